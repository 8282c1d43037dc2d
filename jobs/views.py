"""The owner's view of their background jobs: a list, one job's progress, and its file.

Every view opens the job through selectors.jobs_of(request.user): another person's job (staff
included) answers 404, as if it did not exist.
"""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _

from core import audit

from .models import BackgroundJob
from .selectors import jobs_of, recent_jobs_of

# The job page asks for news this often while the job is queued or running.
POLL_SECONDS = 3


def _own_job(request: HttpRequest, job_id: int) -> BackgroundJob:
    return get_object_or_404(jobs_of(request.user), pk=job_id)


def status_text(job: BackgroundJob) -> str:
    """One sentence saying where the job is, for the page and the polling script alike."""
    if job.status == BackgroundJob.Status.QUEUED:
        return _("Waiting for the background worker to start it.")
    if job.status == BackgroundJob.Status.RUNNING:
        if job.progress_total:
            return _("Working: %(done)s of %(total)s done.") % {
                "done": job.progress_done,
                "total": job.progress_total,
            }
        return _("Working…")
    if job.status == BackgroundJob.Status.DONE:
        return _("Done.") if not job.result else _("Done: the file is ready to download.")
    return job.message or _("This could not be finished.")


@login_required
def job_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "jobs/job_list.html",
        {"jobs": recent_jobs_of(request.user), "keep_days": settings.HAMKORI_JOBS_KEEP_DAYS},
    )


@login_required
def job_detail(request: HttpRequest, job_id: int) -> HttpResponse:
    job = _own_job(request, job_id)
    return render(
        request,
        "jobs/job_detail.html",
        {"job": job, "status_text": status_text(job), "poll_seconds": POLL_SECONDS},
    )


@login_required
def job_status(request: HttpRequest, job_id: int) -> JsonResponse:
    """What the job page's script polls: status, progress and the sentence to show."""
    job = _own_job(request, job_id)
    return JsonResponse(
        {
            "status": job.status,
            "finished": job.is_finished,
            "done": job.progress_done,
            "total": job.progress_total,
            "text": status_text(job),
            "download_url": reverse("jobs:download", args=[job.pk]) if job.has_download else None,
        }
    )


@login_required
def job_download(request: HttpRequest, job_id: int) -> FileResponse:
    job = _own_job(request, job_id)
    if not job.has_download:
        raise Http404
    try:
        handle = job.result.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    audit.record_export(actor=request.user, what=f"background job {job.pk}: {job.title}")
    return FileResponse(
        handle,
        as_attachment=True,
        filename=job.result_name,
        content_type=job.result_content_type or "application/octet-stream",
    )
