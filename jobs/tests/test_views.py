"""The owner's job pages: who may open them, what they show, and in how many queries."""

from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from accounts.tests.factories import user_with_role
from courses.tests.factories import DeliveryFactory
from jobs.models import BackgroundJob
from jobs.services import JobRefused, job_run, jobs_purge

pytestmark = pytest.mark.django_db


def make_job(owner, *, status="done", content=b"%PDF-1.4 test", **fields) -> BackgroundJob:
    finished = status in ("done", "failed")
    job = BackgroundJob.objects.create(
        owner=owner,
        kind=BackgroundJob.Kind.CERTIFICATES,
        title="Сертификатҳо: Ғарм",
        status=status,
        progress_done=3 if finished else 1,
        progress_total=3,
        finished_at=timezone.now() if finished else None,
        **fields,
    )
    if status == "done" and content is not None:
        job.result.save("certificates-delivery-1.pdf", ContentFile(content), save=False)
        job.result_name, job.result_content_type = "certificates-delivery-1.pdf", "application/pdf"
        job.save()
    return job


@pytest.fixture
def owner():
    return user_with_role(Role.TRAINER)


JOB_URLS = ("jobs:detail", "jobs:status", "jobs:download")


@pytest.mark.parametrize("name", JOB_URLS)
def test_the_owner_opens_their_job(client, owner, name):
    job = make_job(owner)
    client.force_login(owner)
    assert client.get(reverse(name, args=[job.pk])).status_code == 200


@pytest.mark.parametrize("name", JOB_URLS)
@pytest.mark.parametrize("who", [Role.TRAINER, Role.ME_STAFF, None])  # None: a superuser
def test_nobody_else_opens_a_job_not_even_staff(client, owner, name, who):
    job = make_job(owner)
    client.force_login(user_with_role(who))
    response = client.get(reverse(name, args=[job.pk]))
    assert response.status_code == 404
    assert b"%PDF" not in response.content


@pytest.mark.parametrize("name", [*JOB_URLS, "jobs:list"])
def test_anonymous_visitors_are_sent_to_sign_in(client, owner, name):
    job = make_job(owner)
    url = reverse(name) if name == "jobs:list" else reverse(name, args=[job.pk])
    response = client.get(url)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_download_is_an_attachment_with_the_file(client, owner):
    job = make_job(owner, content="%PDF-1.4 Ҷӯраева".encode())
    client.force_login(owner)
    response = client.get(reverse("jobs:download", args=[job.pk]))
    assert response["Content-Disposition"] == 'attachment; filename="certificates-delivery-1.pdf"'
    assert response["Content-Type"] == "application/pdf"
    assert "no-store" in response["Cache-Control"]
    assert b"".join(response.streaming_content) == "%PDF-1.4 Ҷӯраева".encode()


@pytest.mark.parametrize("status", ["queued", "running", "failed"])
def test_no_download_before_the_job_is_done(client, owner, status):
    job = make_job(owner, status=status)
    client.force_login(owner)
    assert client.get(reverse("jobs:download", args=[job.pk])).status_code == 404
    assert (
        reverse("jobs:download", args=[job.pk])
        not in client.get(reverse("jobs:detail", args=[job.pk])).content.decode()
    )


def test_a_running_job_shows_progress_refreshes_itself_and_links_refresh(client, owner):
    job = make_job(owner, status="running")
    client.force_login(owner)
    page = client.get(reverse("jobs:detail", args=[job.pk])).content.decode()
    assert '<progress id="job-progress" max="3" value="1">33%</progress>' in page
    assert "Working: 1 of 3 done." in page
    assert "jobs/job_progress.js" in page
    assert f'data-job-status-url="{reverse("jobs:status", args=[job.pk])}"' in page
    assert f'href="{reverse("jobs:detail", args=[job.pk])}">Refresh</a>' in page
    assert 'http-equiv="refresh"' not in page.lower()
    status = client.get(reverse("jobs:status", args=[job.pk])).json()
    assert status == {
        "status": "running",
        "finished": False,
        "done": 1,
        "total": 3,
        "text": "Working: 1 of 3 done.",
        "download_url": None,
    }


def test_a_finished_job_stops_refreshing(client, owner):
    job = make_job(owner)
    client.force_login(owner)
    page = client.get(reverse("jobs:detail", args=[job.pk])).content.decode()
    assert "job_progress.js" not in page and ">Refresh</a>" not in page
    assert client.get(reverse("jobs:status", args=[job.pk])).json()["download_url"] == reverse(
        "jobs:download", args=[job.pk]
    )


def test_the_job_page_speaks_the_readers_language(client, owner):
    job = make_job(owner, status="running")
    client.force_login(owner)
    client.cookies["django_language"] = "ru"
    page = client.get(reverse("jobs:detail", args=[job.pk]), HTTP_ACCEPT_LANGUAGE="ru").content.decode()
    assert '<html lang="ru">' in page and ">Обновить</a>" in page


def test_the_list_shows_only_the_users_own_jobs(client, owner):
    mine = make_job(owner)
    theirs = make_job(user_with_role(Role.TRAINER), content=None, status="failed")
    theirs.title = "Чужое задание"
    theirs.save()
    client.force_login(owner)
    page = client.get(reverse("jobs:list")).content.decode()
    assert reverse("jobs:detail", args=[mine.pk]) in page
    assert reverse("jobs:detail", args=[theirs.pk]) not in page and "Чужое задание" not in page


def _list_queries(client, owner) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("jobs:list")).status_code == 200
    return len(queries)


def test_the_list_takes_the_same_queries_for_two_jobs_and_for_twenty(client, owner):
    client.force_login(owner)
    for _number in range(2):
        make_job(owner)
    few = _list_queries(client, owner)
    for _number in range(18):
        make_job(owner, status="running")
    many = _list_queries(client, owner)
    assert few == many


def test_database_refuses_progress_beyond_the_total(owner):
    with pytest.raises(IntegrityError), transaction.atomic():
        BackgroundJob.objects.create(
            owner=owner, kind="certificates", title="x", progress_done=4, progress_total=3
        )


def test_database_refuses_an_unknown_status_or_kind(owner):
    with pytest.raises(IntegrityError), transaction.atomic():
        BackgroundJob.objects.create(owner=owner, kind="certificates", title="x", status="lost")
    with pytest.raises(IntegrityError), transaction.atomic():
        BackgroundJob.objects.create(owner=owner, kind="mining", title="x")


def test_database_refuses_a_finished_job_without_its_time(owner):
    with pytest.raises(IntegrityError), transaction.atomic():
        BackgroundJob.objects.create(owner=owner, kind="certificates", title="x", status="done")


def test_a_refused_job_fails_with_its_message(owner):
    job = make_job(owner, status="queued")

    def work(job, progress):
        raise JobRefused("Эта поставка больше не ваша.")

    job_run(job.pk, work)
    job.refresh_from_db()
    assert (job.status, job.message) == ("failed", "Эта поставка больше не ваша.")
    assert job.finished_at is not None


def test_a_trainer_taken_off_the_delivery_gets_no_certificates(owner):
    from assessments.tasks import _certificates_work

    delivery = DeliveryFactory()  # not the owner's
    job = make_job(owner, status="queued", parameters={"delivery_id": delivery.pk, "base_url": "http://x/"})
    job_run(job.pk, _certificates_work)
    job.refresh_from_db()
    assert job.status == "failed" and "no longer" in job.message and not job.result


def test_a_deactivated_owner_gets_nothing(owner):
    job = make_job(owner, status="queued")
    owner.is_active = False
    owner.save()
    job_run(job.pk, lambda job, progress: pytest.fail("ran for a deactivated owner"))
    job.refresh_from_db()
    assert job.status == "failed"


def test_a_finished_job_is_not_run_again(owner):
    job = make_job(owner)
    job_run(job.pk, lambda job, progress: pytest.fail("ran twice"))
    job.refresh_from_db()
    assert job.status == "done"


def test_purge_deletes_old_jobs_and_their_files_and_keeps_recent_ones(owner):
    old, recent = make_job(owner), make_job(owner)
    BackgroundJob.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=8))
    storage = old.result.storage
    old_file = old.result.name
    assert storage.exists(old_file)
    assert jobs_purge(older_than_days=7)[0] == 1
    assert not storage.exists(old_file)
    assert list(BackgroundJob.objects.all()) == [recent] and storage.exists(recent.result.name)


def test_job_files_are_kept_outside_the_public_media_folder(owner, settings):
    job = make_job(owner)
    path = job.result.path
    assert path.startswith(str(settings.HAMKORI_JOB_FILES_ROOT))
    assert not path.startswith(str(settings.MEDIA_ROOT))


def test_only_the_deliverys_managers_start_its_certificates(client):
    delivery = DeliveryFactory()
    url = reverse("assessments:delivery_certificates_background", args=[delivery.pk])
    client.force_login(user_with_role(Role.TRAINER))  # not this delivery's trainer
    assert client.post(url).status_code == 404
    assert client.get(url).status_code in (404, 405)
    assert not BackgroundJob.objects.exists()


@pytest.mark.parametrize("role", [Role.REGIONAL_COORDINATOR, Role.TRAINER])
def test_only_programme_staff_rebuild_the_report_tables(client, role):
    client.force_login(user_with_role(role))
    assert client.post(reverse("reports:rebuild_tables")).status_code == 403
    assert not BackgroundJob.objects.exists()


def test_a_job_deleted_while_it_waited_is_skipped(owner):
    job = make_job(owner, status="queued")
    job_id = job.pk
    job.delete()
    job_run(job_id, lambda job, progress: pytest.fail("ran a deleted job"))


def test_purge_command_removes_old_queue_rows_and_orphaned_files(owner, settings):
    import io
    import os

    from django.core.management import call_command
    from django_tasks_db.models import DBTaskResult

    from jobs.models import job_files_storage
    from jobs.services import job_start
    from reports.tasks import facts_rebuild_task

    eight_days_ago = timezone.now() - timedelta(days=8)
    job = job_start(owner=user_with_role(None), kind="facts_rebuild", title="x", task=facts_rebuild_task)
    DBTaskResult.objects.filter(pk=job.task_result_id).update(status="SUCCESSFUL", finished_at=eight_days_ago)
    BackgroundJob.objects.filter(pk=job.pk).update(created_at=eight_days_ago)
    storage = job_files_storage()
    orphan = storage.save("2020/01/left-by-a-deleted-owner.csv", ContentFile(b"names"))
    os.utime(storage.path(orphan), (eight_days_ago.timestamp(), eight_days_ago.timestamp()))
    kept = make_job(owner)

    out = io.StringIO()
    call_command("purge_jobs", stdout=out)
    assert "Deleted 1 background job(s) older than 7 day(s) and 1 finished queue row(s)." in out.getvalue()
    assert not DBTaskResult.objects.filter(pk=job.task_result_id).exists()
    assert not storage.exists(orphan)
    assert storage.exists(kept.result.name)
