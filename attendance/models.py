"""Attendance: the evidence behind every figure the programme reports."""

from django.conf import settings
from django.db import models
from django.db.models.functions import Length
from django.db.models.lookups import GreaterThanOrEqual, LessThanOrEqual
from django.utils.translation import gettext_lazy as _

from core.enums import ChoiceLabelsOnce
from courses.models import Participant, Session


class AttendanceStatus(models.TextChoices):
    PRESENT = "present", _("Present")
    LATE = "late", _("Late")
    LEFT_EARLY = "left_early", _("Left early")
    EXCUSED = "excused", _("Excused")
    ABSENT = "absent", _("Absent")


class AttendanceSource(models.TextChoices):
    WEB = "web", _("Web roster")
    PAPER = "paper", _("Paper sheet")
    SELF_CHECK_IN = "self_check_in", _("Self check-in")
    IMPORT = "import", _("Import")
    # Marked on a trainer's phone, possibly without a connection, and sent later (/api/v1/, docs/api.md).
    OFFLINE = "offline", _("Offline (phone)")


class AttendanceRecord(ChoiceLabelsOnce, models.Model):
    """One participant's mark for one session; the database keeps it to one per pair."""

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="attendance_records")
    participant = models.ForeignKey(Participant, on_delete=models.PROTECT, related_name="attendance_records")
    status = models.CharField(_("status"), max_length=16, choices=AttendanceStatus.choices)
    source = models.CharField(_("source"), max_length=16, choices=AttendanceSource.choices)
    note = models.CharField(_("note"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded at"))
    # When the mark was made: on a phone offline this is before it reached the server (recorded_at).
    # Per participant the mark taken later wins (attendance_marks_save); empty on marks older than
    # the field, which count as taken when recorded.
    taken_at = models.DateTimeField(_("taken at"), null=True, blank=True)
    # Raised on every change; a roster form carries the version it showed, so a save can tell
    # "someone else changed this since you loaded the page" from "you changed it".
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("attendance record")
        verbose_name_plural = _("attendance records")
        constraints = [
            models.UniqueConstraint(
                fields=["session", "participant"], name="attendance_one_per_session_participant"
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=[choice.value for choice in AttendanceStatus]),
                name="attendance_known_status",
            ),
        ]
        indexes = [models.Index(fields=["participant", "status"])]

    def __str__(self) -> str:
        return f"{self.participant_id} @ {self.session_id}: {self.status}"


class AttendanceChange(ChoiceLabelsOnce, models.Model):
    """One change of a mark: the evidence of who recorded what, when, and from where (DESIGN.md "Evidence")."""

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="attendance_changes")
    participant = models.ForeignKey(Participant, on_delete=models.PROTECT, related_name="attendance_changes")
    old_status = models.CharField(
        _("old status"), max_length=16, choices=AttendanceStatus.choices, blank=True
    )
    new_status = models.CharField(_("new status"), max_length=16, choices=AttendanceStatus.choices)
    old_note = models.CharField(_("old note"), max_length=300, blank=True)
    new_note = models.CharField(_("new note"), max_length=300, blank=True)
    source = models.CharField(_("source"), max_length=16, choices=AttendanceSource.choices)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    changed_at = models.DateTimeField(_("changed at"))
    taken_at = models.DateTimeField(_("taken at"), null=True, blank=True)
    # True when a phone sent this mark after a mark taken later had reached the server: the
    # record kept the later mark (old_status) and this one (new_status) is kept here only.
    superseded = models.BooleanField(_("superseded"), default=False)
    # True when the record had changed since the form was loaded and this change replaced that mark.
    overrode_concurrent_change = models.BooleanField(default=False)

    class Meta:
        ordering = ["-changed_at", "-pk"]
        verbose_name = _("attendance change")
        verbose_name_plural = _("attendance changes")
        indexes = [models.Index(fields=["session", "changed_at"])]

    def __str__(self) -> str:
        return f"{self.participant_id} @ {self.session_id}: {self.old_status or '–'} → {self.new_status}"


class CheckInCode(models.Model):
    """The short code a trainer shows in the room; trainees type it (or scan its QR) to check in."""

    session = models.OneToOneField(Session, on_delete=models.CASCADE, related_name="check_in_code")
    code = models.CharField(_("code"), max_length=12, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("check-in code")
        verbose_name_plural = _("check-in codes")

    def __str__(self) -> str:
        return self.code


class SyncBatch(models.Model):
    """A batch of marks a phone sent (/api/v1/attendance/batches/), kept with the answer it got.

    The phone names each batch with a key of its own; a repeat of the key by the same user (the
    connection dropped after the server applied it) is answered with the stored response and
    writes nothing. The unique constraint makes that hold for two copies arriving at once too.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    idempotency_key = models.CharField(_("idempotency key"), max_length=64)
    # A digest of the marks sent: the same key with other marks is a client error, not a repeat.
    request_digest = models.CharField(max_length=64)
    response = models.JSONField(default=dict)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("offline sync batch")
        verbose_name_plural = _("offline sync batches")
        constraints = [
            models.UniqueConstraint(fields=["user", "idempotency_key"], name="sync_batch_one_per_user_key"),
            models.CheckConstraint(
                condition=models.Q(GreaterThanOrEqual(Length("idempotency_key"), 8))
                & models.Q(LessThanOrEqual(Length("idempotency_key"), 64)),
                name="sync_batch_key_length",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user_id}: {self.idempotency_key}"
