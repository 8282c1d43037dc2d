"""Attendance figures per participant and delivery: the completion rule's input.

The assessments app reads `attendance_summaries` when it decides completion;
reports read the stored decision.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db.models import Count, IntegerField, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from core.collation import reader_order, reader_sort_key
from core.localtime import local_date
from courses.models import Delivery, Enrolment, Participant, Session
from courses.rules import active_enrolment_q, deliveries_managed_by, held_session_q, planned_session_q

from .models import AttendanceRecord
from .rules import attendance_percent, attended_statuses, meets_attendance


@dataclass(frozen=True)
class AttendanceSummary:
    """A participant's attendance in a delivery: attended of held, and how many sessions are planned.

    While the delivery runs the figures are provisional ("so far: 1 of 1 held, 4 planned"); only
    the completion decision, taken when it is completed, says whether the rule was met.
    """

    participant_id: int
    attended: int
    held: int
    planned: int
    minimum_percent: int

    @property
    def rate_percent(self) -> float | None:
        return attendance_percent(attended=self.attended, held=self.held)

    @property
    def is_provisional(self) -> bool:
        """Sessions are still to come: the rate covers the sessions held so far only."""
        return self.planned > self.held

    @property
    def meets_rule_so_far(self) -> bool:
        """The rule applied to the sessions held so far: a hint while the delivery runs, never a decision."""
        return meets_attendance(attended=self.attended, held=self.held, minimum_percent=self.minimum_percent)

    @property
    def meets_rule(self) -> bool:
        """The attendance rule over every planned session: never met while sessions are to come."""
        return not self.is_provisional and meets_attendance(
            attended=self.attended, held=self.held, minimum_percent=self.minimum_percent
        )


def attendance_summaries(
    *, delivery: Delivery, now=None, participant_ids: Iterable[int] | None = None
) -> dict[int, AttendanceSummary]:
    """Per active participant of the delivery (or per one of `participant_ids`, enrolled or about to
    be, as an import deciding its people before inserting them): sessions attended of held and
    planned, in fixed queries."""
    if participant_ids is None:
        participant_ids = Enrolment.objects.filter(active_enrolment_q(), delivery=delivery).values_list(
            "participant_id", flat=True
        )
    return attendance_summaries_of_deliveries({delivery: participant_ids}, now=now)[delivery.pk]


def attendance_summaries_of_deliveries(
    participant_ids_by_delivery: dict[Delivery, Iterable[int]], *, now=None
) -> dict[int, dict[int, AttendanceSummary]]:
    """attendance_summaries for many deliveries at once, by delivery id then participant id: three
    queries whatever the number of deliveries (an import decides fifty past deliveries at once)."""
    deliveries = {delivery.pk: delivery for delivery in participant_ids_by_delivery}
    held_by_delivery: dict[int, list[int]] = {pk: [] for pk in deliveries}
    for session_id, delivery_id in Session.objects.filter(
        held_session_q(now=now or timezone.now()), delivery_id__in=deliveries
    ).values_list("pk", "delivery_id"):
        held_by_delivery[delivery_id].append(session_id)
    planned = dict(
        Session.objects.filter(planned_session_q(), delivery_id__in=deliveries)
        .values("delivery_id")
        .annotate(count=Count("pk"))
        .values_list("delivery_id", "count")
    )
    attended: dict[tuple[int, int], int] = {
        (delivery_id, participant_id): count
        for delivery_id, participant_id, count in AttendanceRecord.objects.filter(
            session_id__in=[pk for held in held_by_delivery.values() for pk in held],
            status__in=attended_statuses(),
        )
        .values("session__delivery_id", "participant_id")
        .annotate(attended=Count("pk"))
        .values_list("session__delivery_id", "participant_id", "attended")
    }
    return {
        delivery.pk: {
            participant_id: AttendanceSummary(
                participant_id=participant_id,
                attended=attended.get((delivery.pk, participant_id), 0),
                held=len(held_by_delivery[delivery.pk]),
                planned=planned.get(delivery.pk, 0),
                minimum_percent=delivery.course.minimum_attendance_percent,
            )
            for participant_id in participant_ids
        }
        for delivery, participant_ids in participant_ids_by_delivery.items()
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
        Enrolment.objects.filter(active_enrolment_q(), delivery=delivery)
        .select_related("participant__organisation")
        .order_by(*reader_order("participant__"), "participant_id")
    )


def in_reader_order(enrolment: Enrolment) -> tuple:
    """The key roster_enrolments' ORDER BY sorts by, for enrolments sorted in Python after they are
    read (`sorted(…, key=in_reader_order)`): building the reader's ORDER BY costs more than sorting."""
    return (reader_sort_key(enrolment.participant.name_sort_key), enrolment.participant_id)


def session_roster(*, session: Session) -> list[RosterRow]:
    """Every markable participant of the session's delivery with their mark: two queries at any size.

    Sorted here, by the key roster_enrolments orders by (core.collation.reader_sort_key, the same
    order): building the reader's ORDER BY was ~0.7 ms of every roster and roster save (issue 18).
    """
    records = {record.participant_id: record for record in session.attendance_records.all()}
    enrolments = sorted(roster_enrolments(session.delivery).order_by(), key=in_reader_order)
    return [
        RosterRow(participant=enrolment.participant, record=records.get(enrolment.participant_id))
        for enrolment in enrolments
    ]


def session_history(*, session: Session, participant_id: int | None = None):
    changes = session.attendance_changes.select_related("participant", "changed_by")
    if participant_id:
        changes = changes.filter(participant_id=participant_id)
    return changes


@dataclass(frozen=True)
class DeliveryRow:
    participant: Participant
    enrolment: Enrolment
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
            enrolment=enrolment,
            marks=[marks.get((enrolment.participant_id, session.pk), "") for session in sessions],
            summary=summaries.get(enrolment.participant_id),
        )
        for enrolment in roster_enrolments(delivery)
    ]
    return sessions, rows


# Today shows this many local days after today, as well as today.
TODAY_DAYS_AHEAD = 7

# What a Today row prints (the page and the field kit's /api/v1/ list), and nothing else: the course
# is a Wagtail page of some forty columns, and building them with every column of the session, its
# delivery, region and venues took about a fifth of the page (issue 18). A field read that is not
# listed costs a query per row, which the Today query-count tests catch.
TODAY_SESSION_FIELDS = (
    *("pk", "title", "starts_at", "ends_at", "status", "delivery", "venue__name"),
    *("delivery__course__title", "delivery__course__translation_key"),
    *("delivery__region__timezone", "delivery__venue__name"),
)


@dataclass(frozen=True)
class TodaySession:
    """One session on a trainer's Today page: its local day and how far its roster is marked."""

    session: Session
    local_day: date
    is_today: bool
    enrolled: int
    marked: int


def trainer_sessions_ahead(*, user, now: datetime | None = None) -> list[TodaySession]:
    """The sessions a user runs as a trainer today and in the next TODAY_DAYS_AHEAD days, each in
    its own region's local day, with its active enrolment and mark counts: one query whatever the size.

    "Runs" means named among the delivery's trainers and inside the user's managed scope (the same
    scope as the roster, so every row's link opens). A coordinator or M&E officer who runs no
    delivery gets none: Today is a trainer's list, planning lives on /deliveries/.
    """
    now = now or timezone.now()
    enrolled = (
        Enrolment.objects.filter(active_enrolment_q(), delivery=OuterRef("delivery"))
        .order_by()
        .values("delivery")
        .annotate(total=Count("pk"))
        .values("total")
    )
    # Marks of people who still hold a seat: a withdrawn person's old mark is not "marked".
    marked = (
        AttendanceRecord.objects.filter(
            session=OuterRef("pk"),
            participant__in=Enrolment.objects.filter(
                active_enrolment_q(), delivery=OuterRef(OuterRef("delivery"))
            ).values("participant"),
        )
        .order_by()
        .values("session")
        .annotate(total=Count("pk"))
        .values("total")
    )
    # A wide UTC window first; the exact local day of each region is checked below.
    sessions = (
        Session.objects.filter(
            delivery__in=deliveries_managed_by(user).filter(trainers=user).values("pk"),
            starts_at__gte=now - timedelta(days=1),
            starts_at__lt=now + timedelta(days=TODAY_DAYS_AHEAD + 2),
        )
        .exclude(status=Session.Status.CANCELLED)
        .exclude(delivery__status=Delivery.Status.CANCELLED)
        .select_related("delivery__course", "delivery__region", "delivery__venue", "venue")
        .only(*TODAY_SESSION_FIELDS)
        .annotate(
            enrolled_count=Coalesce(Subquery(enrolled, output_field=IntegerField()), 0),
            marked_count=Coalesce(Subquery(marked, output_field=IntegerField()), 0),
        )
        .order_by("starts_at", "pk")
    )
    rows = []
    for session in sessions:
        region = session.delivery.region
        today = local_date(now, region)
        day = local_date(session.starts_at, region)
        if today <= day <= today + timedelta(days=TODAY_DAYS_AHEAD):
            rows.append(
                TodaySession(
                    session=session,
                    local_day=day,
                    is_today=day == today,
                    enrolled=session.enrolled_count,
                    marked=session.marked_count,
                )
            )
    return rows
