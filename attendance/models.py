"""Attendance: the evidence behind every figure the programme reports."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from courses.models import Participant, Session


class AttendanceStatus(models.TextChoices):
    PRESENT = "present", _("Present")
    LATE = "late", _("Late")
    LEFT_EARLY = "left_early", _("Left early")
    EXCUSED = "excused", _("Excused")
    ABSENT = "absent", _("Absent")


# Late and left early still count as attended (DESIGN.md; issue "Attendance" item 7).
ATTENDED_STATUSES = (AttendanceStatus.PRESENT, AttendanceStatus.LATE, AttendanceStatus.LEFT_EARLY)


class AttendanceSource(models.TextChoices):
    WEB = "web", _("Web roster")
    PAPER = "paper", _("Paper sheet")
    SELF_CHECK_IN = "self_check_in", _("Self check-in")
    IMPORT = "import", _("Import")


class AttendanceRecord(models.Model):
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
