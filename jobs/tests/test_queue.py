"""Heavy work through the real queue: a view enqueues, the database worker runs it once, the owner
downloads the file. The worker commits and locks rows itself, so these tests run outside the test
transaction (serialized_rollback restores what the migrations seeded: roles, regions, home page).
"""

import csv
import io
import logging
import signal
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from accounts.roles import Role
from accounts.tests.factories import user_with_role
from assessments.models import Certificate
from courses.tests.factories import DeliveryFactory, EnrolmentFactory, ParticipantFactory, SessionFactory
from jobs.models import BackgroundJob
from reports.models import EnrolmentFact
from tests.pdf_text import pdf_text

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

NAMES = ["Ҷӯраева Гулӣ", "Қосимов Ғайрат", "Үсөнова Айгүл"]


def run_worker_once() -> None:
    """`manage.py db_worker --batch`: run every queued task, then return (as a deployment's worker would)."""
    handlers = {
        number: signal.getsignal(number) for number in (signal.SIGINT, signal.SIGTERM, signal.SIGQUIT)
    }
    levels = {name: logging.getLogger(name).level for name in ("django_tasks", "django_tasks_db")}
    try:
        call_command(
            "db_worker", "--backend=background", batch=True, reload=False, startup_delay=False, verbosity=0
        )
    finally:
        for number, handler in handlers.items():
            signal.signal(number, handler)
        for name, level in levels.items():
            logging.getLogger(name).setLevel(level)


@pytest.fixture
def staff(client):
    user = user_with_role(Role.ME_STAFF)
    client.force_login(user)
    return user


@pytest.fixture
def delivery_with_certificates():
    delivery = DeliveryFactory()
    # Reports count deliveries by their held sessions: one in the past, whatever the factory's sequence.
    SessionFactory(delivery=delivery, starts_at=timezone.now() - timedelta(days=3))
    for name in NAMES:
        participant = ParticipantFactory(full_name=name)
        EnrolmentFactory(delivery=delivery, participant=participant)
        Certificate.objects.create(delivery=delivery, participant=participant)
    return delivery


def test_bulk_certificates_run_through_the_queue(client, staff, delivery_with_certificates, settings):
    settings.HAMKORI_BACKGROUND_CERTIFICATES_OVER = 2
    delivery = delivery_with_certificates
    page = client.get(reverse("assessments:delivery_certificates", args=[delivery.pk])).content.decode()
    background_url = reverse("assessments:delivery_certificates_background", args=[delivery.pk])
    assert background_url in page
    # The immediate PDF is not drawn above the threshold: back to the page that offers the job.
    immediate = client.get(reverse("assessments:delivery_certificates_pdf", args=[delivery.pk]))
    assert immediate.status_code == 302 and immediate["Location"].endswith(
        reverse("assessments:delivery_certificates", args=[delivery.pk])
    )

    response = client.post(background_url)
    job = BackgroundJob.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("jobs:detail", args=[job.pk])
    assert (job.owner, job.kind, job.status) == (staff, BackgroundJob.Kind.CERTIFICATES, "queued")
    assert DBTaskResult.objects.get(pk=job.task_result_id).status == TaskResultStatus.READY
    assert "Waiting for the background worker" in client.get(response["Location"]).content.decode()

    run_worker_once()

    job.refresh_from_db()
    assert job.status == BackgroundJob.Status.DONE and job.finished_at is not None
    assert (job.progress_done, job.progress_total) == (3, 3)
    assert DBTaskResult.objects.get(pk=job.task_result_id).status == TaskResultStatus.SUCCESSFUL
    page = client.get(reverse("jobs:detail", args=[job.pk])).content.decode()
    assert reverse("jobs:download", args=[job.pk]) in page
    download = client.get(reverse("jobs:download", args=[job.pk]))
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment")
    assert f"certificates-delivery-{delivery.pk}.pdf" in download["Content-Disposition"]
    content = b"".join(download.streaming_content)
    assert content.startswith(b"%PDF")
    text = pdf_text(content, flatten=True)
    for name in NAMES:
        assert name in text


def test_a_small_delivery_still_prints_at_once(client, staff, delivery_with_certificates, settings):
    settings.HAMKORI_BACKGROUND_CERTIFICATES_OVER = 50
    delivery = delivery_with_certificates
    page = client.get(reverse("assessments:delivery_certificates", args=[delivery.pk])).content.decode()
    assert reverse("assessments:delivery_certificates_background", args=[delivery.pk]) not in page
    response = client.get(reverse("assessments:delivery_certificates_pdf", args=[delivery.pk]))
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    assert not BackgroundJob.objects.exists()


def test_large_participant_csv_runs_through_the_queue(client, staff, delivery_with_certificates, settings):
    settings.HAMKORI_BACKGROUND_EXPORT_ROWS_OVER = 2
    offer = client.get(reverse("reports:export_csv"), {"pseudonymised": "0"})
    assert offer.status_code == 200
    assert "3 rows" in offer.content.decode()
    assert not BackgroundJob.objects.exists()

    response = client.post(reverse("reports:export_csv_background") + "?pseudonymised=0")
    job = BackgroundJob.objects.get()
    assert response["Location"] == reverse("jobs:detail", args=[job.pk])
    run_worker_once()

    job.refresh_from_db()
    assert job.status == BackgroundJob.Status.DONE and (job.progress_done, job.progress_total) == (3, 3)
    download = client.get(reverse("jobs:download", args=[job.pk]))
    assert download["Content-Disposition"].startswith("attachment")
    rows = list(csv.DictReader(io.StringIO(b"".join(download.streaming_content).decode("utf-8-sig"))))
    assert sorted(row["full_name"] for row in rows) == sorted(NAMES)


def test_full_rebuild_runs_through_the_queue(client, staff, delivery_with_certificates):
    EnrolmentFact.objects.all().delete()
    dashboard = client.get(reverse("reports:dashboard")).content.decode()
    assert reverse("reports:rebuild_tables") in dashboard
    response = client.post(reverse("reports:rebuild_tables"))
    job = BackgroundJob.objects.get()
    assert response["Location"] == reverse("jobs:detail", args=[job.pk])
    EnrolmentFact.objects.all().delete()  # the dashboard above refreshed them; the job must rebuild
    run_worker_once()

    job.refresh_from_db()
    assert job.status == BackgroundJob.Status.DONE and (job.progress_done, job.progress_total) == (1, 1)
    assert job.message.startswith("Rebuilt: 3 enrolment facts")
    assert EnrolmentFact.objects.count() == 3
    assert (
        not job.result
        and reverse("jobs:download", args=[job.pk])
        not in client.get(reverse("jobs:detail", args=[job.pk])).content.decode()
    )


def test_a_failing_task_marks_the_job_failed_without_a_traceback(client, staff, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("connection to secret-host.internal refused")

    monkeypatch.setattr("reports.tasks.facts_refresh", broken)
    client.post(reverse("reports:rebuild_tables"))
    run_worker_once()

    job = BackgroundJob.objects.get()
    assert job.status == BackgroundJob.Status.FAILED and job.finished_at is not None
    assert f"job number {job.pk}" in job.message
    page = client.get(reverse("jobs:detail", args=[job.pk])).content.decode()
    assert job.message in page
    assert "secret-host" not in page and "Traceback" not in page and "RuntimeError" not in page
    status = client.get(reverse("jobs:status", args=[job.pk])).json()
    assert status["finished"] and "secret-host" not in str(status)
    # Operators keep the traceback in the queue's row.
    queued = DBTaskResult.objects.get(pk=job.task_result_id)
    assert queued.status == TaskResultStatus.FAILED and "secret-host" in queued.traceback


def test_refresh_report_tables_background_prints_the_job_and_how_to_follow_it(capsys):
    admin = user_with_role(None)
    call_command("refresh_report_tables", "--background")
    job = BackgroundJob.objects.get()
    out = capsys.readouterr().out
    assert job.owner == admin and job.kind == BackgroundJob.Kind.FACTS_REBUILD
    assert f"job {job.pk}" in out and reverse("jobs:detail", args=[job.pk]) in out
    assert "db_worker" in out
    run_worker_once()
    job.refresh_from_db()
    assert job.status == BackgroundJob.Status.DONE
