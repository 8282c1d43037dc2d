"""Attendance figures per participant and delivery: the completion rule's input.

The assessments app reads `attendance_summaries` to decide who may receive a
certificate; reports read the same counts in SQL.
"""

from dataclasses import dataclass

from django.conf import settings
from django.db.models import Count, Q
from django.utils import timezone

from courses.models import Delivery, Enrolment, Session

from .models import ATTENDED_STATUSES, AttendanceRecord, AttendanceStatus


def excused_counts_as_attended() -> bool:
    """Programmes differ; the default (False) counts an excused absence as not attended."""
    return getattr(settings, "HAMKORI_EXCUSED_COUNTS_AS_ATTENDED", False)


def attended_statuses() -> tuple[str, ...]:
    statuses = tuple(ATTENDED_STATUSES)
    if excused_counts_as_attended():
        statuses += (AttendanceStatus.EXCUSED,)
    return statuses


@dataclass(frozen=True)
class AttendanceSummary:
    participant_id: int
    attended: int
    held: int
    minimum_percent: int

    @property
    def rate_percent(self) -> float:
        return 100.0 * self.attended / self.held if self.held else 0.0

    @property
    def meets_rule(self) -> bool:
        return self.held > 0 and self.rate_percent >= self.minimum_percent


def sessions_held(delivery: Delivery):
    """Sessions that have taken place: started, and not cancelled."""
    return delivery.sessions.filter(starts_at__lte=timezone.now()).exclude(status=Session.Status.CANCELLED)


def attendance_summaries(*, delivery: Delivery) -> dict[int, AttendanceSummary]:
    """Per enrolled participant of the delivery: sessions attended / sessions held, in a fixed number of queries."""
    held_ids = list(sessions_held(delivery).values_list("pk", flat=True))
    minimum = delivery.course.minimum_attendance_percent
    attended_by_participant = dict(
        AttendanceRecord.objects.filter(session_id__in=held_ids, status__in=attended_statuses())
        .values("participant_id")
        .annotate(attended=Count("pk"))
        .values_list("participant_id", "attended")
    )
    participant_ids = (
        Enrolment.objects.filter(delivery=delivery)
        .exclude(Q(status=Enrolment.Status.WITHDRAWN) | Q(status=Enrolment.Status.WAITLISTED))
        .values_list("participant_id", flat=True)
    )
    return {
        participant_id: AttendanceSummary(
            participant_id=participant_id,
            attended=attended_by_participant.get(participant_id, 0),
            held=len(held_ids),
            minimum_percent=minimum,
        )
        for participant_id in participant_ids
    }
