"""Starting, running and purging background jobs.

A view starts a job with `job_start` (the job row and the queue row in one transaction, so the
worker never sees one without the other); the task, on the worker, calls `job_run` with the
function that does the work. `job_run` marks the job running, reports progress, stores the file,
and turns an error into a message for the owner: the traceback stays in the queue's row and the
worker's log, never on a user's page.
"""

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.files import File
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_tasks.base import Task
from django_tasks_db.models import DBTaskResult

from .models import BackgroundJob

logger = logging.getLogger(__name__)

# Progress is written at most this often (each write is an UPDATE the job page polls for).
PROGRESS_WRITE_SECONDS = 1.0


class JobRefused(Exception):
    """Raised by a job's work with a message for its owner (already translated): the job fails
    with that message and no traceback, e.g. the delivery is no longer theirs."""


@dataclass
class JobOutput:
    """The finished file: its content, the name the owner downloads it as, and its type."""

    file: File
    filename: str
    content_type: str


class Progress:
    """Called by the work as it goes: progress(done, total). Writes at most once a second."""

    def __init__(self, job: BackgroundJob):
        self.job = job
        self._written_at = 0.0

    def __call__(self, done: int, total: int) -> None:
        total = max(total, 0)
        done = min(max(done, 0), total)
        now = time.monotonic()
        if done < total and now - self._written_at < PROGRESS_WRITE_SECONDS:
            return
        self._written_at = now
        self.job.progress_done, self.job.progress_total = done, total
        BackgroundJob.objects.filter(pk=self.job.pk).update(progress_done=done, progress_total=total)


def job_start(
    *,
    owner,
    kind: str,
    title: str,
    task: Task,
    parameters: dict | None = None,
    back_url: str = "",
) -> BackgroundJob:
    """Record a job for `owner` and put `task` (called with the job's id) on the queue."""
    with transaction.atomic():
        job = BackgroundJob(
            owner=owner,
            kind=kind,
            title=title[:300],
            parameters=parameters or {},
            language=translation.get_language() or settings.LANGUAGE_CODE,
            back_url=back_url[:500] if back_url.startswith("/") and not back_url.startswith("//") else "",
        )
        job.full_clean(exclude=["result"])
        job.save()
        queued = task.enqueue(job.pk)
        job.task_result_id = str(queued.id)
        job.save(update_fields=["task_result_id"])
    return job


def _finish(job: BackgroundJob, *, status: str, message: str = "", output: JobOutput | None = None) -> None:
    job.status = status
    job.message = message[:500]
    job.finished_at = timezone.now()
    fields = ["status", "message", "finished_at"]
    if status == BackgroundJob.Status.DONE and job.progress_total:
        job.progress_done = job.progress_total
        fields.append("progress_done")
    if output is not None:
        try:
            job.result.save(output.filename, output.file, save=False)
        finally:
            output.file.close()
        job.result_name = output.filename
        job.result_content_type = output.content_type
        fields += ["result", "result_name", "result_content_type"]
    job.save(update_fields=fields)


def job_run(job_id: int, work: Callable[[BackgroundJob, Progress], JobOutput | str | None]) -> None:
    """Run `work` for the job on the worker, in its owner's language, recording how it ended.

    `work` returns the file to offer (JobOutput), or a sentence for the owner (a rebuild's
    summary), or nothing.

    A job already finished, or gone, is left alone (a queue row run twice must not redo or undo
    it). An unexpected error marks the job failed with a general message and is raised again, so
    the queue row records the traceback for operators.
    """
    job = BackgroundJob.objects.select_related("owner").filter(pk=job_id).first()
    if job is None:
        # Purged, or deleted with its owner, while it waited: nobody to do it for.
        logger.warning("Background job %s no longer exists; nothing to run.", job_id)
        return
    if job.is_finished:
        return
    job.status, job.started_at = BackgroundJob.Status.RUNNING, timezone.now()
    job.save(update_fields=["status", "started_at"])
    with translation.override(job.language):
        try:
            if not job.owner.is_active:
                raise JobRefused(_("Your account was deactivated before this could run."))
            output = work(job, Progress(job))
        except JobRefused as refusal:
            _finish(job, status=BackgroundJob.Status.FAILED, message=str(refusal))
            return
        except Exception:
            logger.exception("Background job %s (%s) failed", job.pk, job.kind)
            _finish(
                job,
                status=BackgroundJob.Status.FAILED,
                message=_(
                    "This could not be finished. Start it again; if it fails again, tell your "
                    "administrator the job number %(number)s."
                )
                % {"number": job.pk},
            )
            raise
        if isinstance(output, str):
            _finish(job, status=BackgroundJob.Status.DONE, message=output)
        else:
            _finish(job, status=BackgroundJob.Status.DONE, output=output)


def jobs_purge(*, older_than_days: int, now=None) -> tuple[int, int]:
    """Delete jobs started more than `older_than_days` ago, their files and their finished queue
    rows; returns (jobs, queue rows) deleted. Files of jobs deleted otherwise (with their owner)
    are swept too."""
    cutoff = (now or timezone.now()) - timedelta(days=older_than_days)
    old = BackgroundJob.objects.filter(created_at__lt=cutoff)
    for job in old.exclude(result="").only("pk", "result"):
        job.result.delete(save=False)
    jobs_deleted, _counts = old.delete()
    _sweep_orphan_files(cutoff)
    queue_deleted, _counts = DBTaskResult.objects.finished().filter(finished_at__lt=cutoff).delete()
    return jobs_deleted, queue_deleted


def _sweep_orphan_files(cutoff) -> None:
    storage = BackgroundJob._meta.get_field("result").storage
    kept = set(BackgroundJob.objects.exclude(result="").values_list("result", flat=True))

    def walk(folder: str):
        try:
            folders, files = storage.listdir(folder)
        except (FileNotFoundError, NotImplementedError):
            return
        for name in files:
            path = f"{folder}/{name}" if folder else name
            if path not in kept and storage.get_modified_time(path) < cutoff:
                storage.delete(path)
        for name in folders:
            walk(f"{folder}/{name}" if folder else name)

    walk("")
