"""Attendance figures per participant and delivery: the completion rule's input.

The assessments app reads `attendance_summaries` to decide who may receive a
certificate; reports read the same counts in SQL.
"""

from dataclasses import dataclass

from django.conf import settings
from django.db.models import Count
from django.utils import timezone

from courses.models import Delivery, Enrolment, Participant, Session

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
        .filter(status__in=Enrolment.ACTIVE_STATUSES)
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


@dataclass(frozen=True)
class RosterRow:
    """One line of a session roster: the person and their current mark (None when unmarked)."""

    participant: Participant
    record: AttendanceRecord | None

    @property
    def status(self) -> str:
        return self.record.status if self.record else ""

    @property
    def note(self) -> str:
        return self.record.note if self.record else ""

    @property
    def version(self) -> int:
        return self.record.version if self.record else 0


def roster_enrolments(delivery: Delivery):
    return (
        Enrolment.objects.filter(delivery=delivery, status__in=Enrolment.ACTIVE_STATUSES)
        .select_related("participant__organisation")
        .order_by("participant__full_name", "participant_id")
    )


def session_roster(*, session: Session) -> list[RosterRow]:
    """Every markable participant of the session's delivery with their mark: two queries at any size."""
    records = {record.participant_id: record for record in session.attendance_records.all()}
    return [
        RosterRow(participant=enrolment.participant, record=records.get(enrolment.participant_id))
        for enrolment in roster_enrolments(session.delivery)
    ]


def session_history(*, session: Session, participant_id: int | None = None):
    changes = session.attendance_changes.select_related("participant", "changed_by")
    if participant_id:
        changes = changes.filter(participant_id=participant_id)
    return changes


@dataclass(frozen=True)
class DeliveryRow:
    participant: Participant
    marks: list[str]  # one status (or "") per session, in session order
    summary: AttendanceSummary | None

    @property
    def total_attended(self) -> int:
        return self.summary.attended if self.summary else 0


def delivery_attendance(*, delivery: Delivery) -> tuple[list[Session], list[DeliveryRow]]:
    """The delivery's grid: participants × sessions, with totals and the completion rule, in fixed queries."""
    sessions = list(delivery.sessions.order_by("starts_at", "pk"))
    marks: dict[tuple[int, int], str] = {
        (participant_id, session_id): status
        for participant_id, session_id, status in AttendanceRecord.objects.filter(
            session__delivery=delivery
        ).values_list("participant_id", "session_id", "status")
    }
    summaries = attendance_summaries(delivery=delivery)
    rows = [
        DeliveryRow(
            participant=enrolment.participant,
            marks=[marks.get((enrolment.participant_id, session.pk), "") for session in sessions],
            summary=summaries.get(enrolment.participant_id),
        )
        for enrolment in roster_enrolments(delivery)
    ]
    return sessions, rows
