"""A background job as its owner sees it: what it makes, how far it got, and the file when done.

The queue itself (django-tasks' DBTaskResult) holds the task's arguments, attempts and traceback
for operators; this model holds what a user may see: a translated message instead of a traceback,
progress as done/total, and the finished file. The file lives in a private folder
(settings.HAMKORI_JOB_FILES_ROOT, or a "jobs" entry in STORAGES), not under MEDIA_ROOT, so no URL
serves it: only jobs.views.download, for the job's owner, reads it. A file rather than a
BinaryField because results reach tens of megabytes (a participant CSV at ten years' size): in the
database they would bloat every backup and be read whole into memory to download; from a file they
stream. Several servers share the folder (or an object store) — docs/scaling.md.
"""

from django.conf import settings
from django.core.files.storage import FileSystemStorage, Storage, storages
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from core.enums import ChoiceLabelsOnce


def job_files_storage() -> Storage:
    """The private storage of job files: STORAGES["jobs"] when configured, else a local folder."""
    if "jobs" in settings.STORAGES:
        return storages["jobs"]
    return FileSystemStorage(location=settings.HAMKORI_JOB_FILES_ROOT)


class JobKind(models.TextChoices):
    CERTIFICATES = "certificates", _("Certificates (PDF)")
    PARTICIPANT_CSV = "participant_csv", _("Participant list (CSV)")
    FACTS_REBUILD = "facts_rebuild", _("Rebuild of the report tables")


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("Waiting to start")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


class BackgroundJob(ChoiceLabelsOnce, models.Model):
    """One piece of heavy work a user started: bulk certificates, a large export, a report rebuild."""

    Kind = JobKind
    Status = JobStatus
    FINISHED = (Status.DONE, Status.FAILED)

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("owner"), on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(_("kind"), max_length=32, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=300)
    # What the task needs to redo the work (a delivery id, report filters); the task reads it
    # from here, so the queue's row carries only the job's id.
    parameters = models.JSONField(_("parameters"), default=dict, blank=True)
    # The owner's language when they started it: the task writes the file and the message in it.
    language = models.CharField(_("language"), max_length=8, default="en")
    # Where the owner started it (an internal path), to go back or start it again.
    back_url = models.CharField(_("back to"), max_length=500, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.QUEUED)
    progress_done = models.PositiveIntegerField(_("done"), default=0)
    progress_total = models.PositiveIntegerField(_("total"), default=0)
    message = models.CharField(_("message"), max_length=500, blank=True)
    result = models.FileField(_("result"), storage=job_files_storage, upload_to="%Y/%m/", blank=True)
    result_name = models.CharField(_("file name"), max_length=200, blank=True)
    result_content_type = models.CharField(_("content type"), max_length=100, blank=True)
    task_result_id = models.CharField(_("queue id"), max_length=64, blank=True, db_index=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        verbose_name = _("background job")
        verbose_name_plural = _("background jobs")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["owner", "-created_at"], name="jobs_owner_recent_idx")]
        constraints = [
            models.CheckConstraint(condition=Q(status__in=JobStatus.values), name="jobs_status_known"),
            models.CheckConstraint(condition=Q(kind__in=JobKind.values), name="jobs_kind_known"),
            models.CheckConstraint(
                condition=Q(progress_done__lte=F("progress_total")), name="jobs_progress_within_total"
            ),
            models.CheckConstraint(
                condition=Q(status__in=[JobStatus.QUEUED, JobStatus.RUNNING]) | Q(finished_at__isnull=False),
                name="jobs_finished_has_time",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_finished(self) -> bool:
        return self.status in self.FINISHED

    @property
    def has_download(self) -> bool:
        return self.status == self.Status.DONE and bool(self.result)

    @property
    def percent(self) -> int | None:
        """Whole percent done, or None while the total is not known yet."""
        if not self.progress_total:
            return 100 if self.status == self.Status.DONE else None
        return self.progress_done * 100 // self.progress_total
