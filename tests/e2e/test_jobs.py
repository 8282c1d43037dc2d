"""A coordinator prints a large delivery's certificates: the job page follows the background
worker by itself (its script polls) and offers the PDF when it is ready."""

from pathlib import Path

from accounts.roles import Role
from accounts.tests.factories import user_with_role
from assessments.models import Certificate
from courses.tests.factories import DeliveryFactory, EnrolmentFactory, ParticipantFactory, SessionFactory
from jobs.models import BackgroundJob
from jobs.tests.test_queue import run_worker_once
from tests.pdf_text import pdf_text


def test_large_delivery_certificates_in_the_background(live_server, page, check_page, login, settings):
    settings.HAMKORI_BACKGROUND_CERTIFICATES_OVER = 2
    delivery = DeliveryFactory()
    SessionFactory(delivery=delivery)
    names = ["Ҷӯраева Гулӣ", "Қосимов Ғайрат", "Үсөнова Айгүл"]
    for name in names:
        participant = ParticipantFactory(full_name=name)
        EnrolmentFactory(delivery=delivery, participant=participant)
        Certificate.objects.create(delivery=delivery, participant=participant)
    user_with_role(Role.ME_STAFF, username="mestaff1")
    login(page, "mestaff1")

    page.goto(f"{live_server.url}/deliveries/{delivery.pk}/certificates/")
    page.get_by_role("button", name="Prepare all certificates (PDF) in the background").click()
    page.wait_for_load_state("load")
    job = BackgroundJob.objects.get()
    assert page.url.endswith(f"/jobs/{job.pk}/")
    assert page.get_by_role("status").inner_text() == "Waiting for the background worker to start it."
    assert page.get_by_role("link", name="Refresh").is_visible()
    check_page(page, "job-queued")

    run_worker_once()
    # No reload by hand: the page's script sees the job finished and reloads itself.
    download_link = page.get_by_role("link", name=f"Download certificates-delivery-{delivery.pk}.pdf")
    download_link.wait_for(timeout=15_000)
    assert page.get_by_role("status").inner_text() == "Done: the file is ready to download."
    check_page(page, "job-done")

    with page.expect_download() as download_info:
        download_link.click()
    download = download_info.value
    assert download.suggested_filename == f"certificates-delivery-{delivery.pk}.pdf"
    text = pdf_text(Path(download.path()).read_bytes(), flatten=True)
    for name in names:
        assert name in text

    page.get_by_role("link", name="All my background jobs").click()
    page.wait_for_load_state("load")
    assert page.get_by_role("heading", name="My background jobs").is_visible()
    check_page(page, "jobs-list")
