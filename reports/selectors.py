"""The programme's figures for a filtered scope: one source of truth for the dashboard, exports and statements.

Every figure is computed in SQL (aggregate / annotate), so the number of
queries is fixed whatever the data size. What each enrolment's participant
attended comes from the report tables (reports/outcomes.py: EnrolmentOutcome,
DeliveryHeld), brought up to date before every report by `report_figures` and
`participant_rows`; the selectors below read them and go back to the marks
only for the rare rows the stored first/last attended start cannot decide.

Definitions (docs/reports.md explains them for users):

- A delivery is *in scope* when it matches the delivery filters (country,
  region, project, course), the viewer may report on it, and at least one of
  its sessions was *held* in the period. A held session has started and was
  not cancelled; the period is on the session's start (UTC dates, inclusive).
- With a person filter (audience, sex, organisation type) a delivery is in
  scope only if someone matching it is enrolled.
- *Reached*: an active enrolment (not withdrawn or waitlisted) whose
  participant attended at least one held session of that delivery in the
  period (present, late, left early; see attendance.selectors.attended_statuses).
- *Trained* (`trained_condition`): the enrolment is marked completed, OR the
  participant attended at least the course's minimum attendance percentage of
  the delivery's held sessions. Completion is a property of the whole
  delivery, so it does not depend on the period.
- *People* are counted once (COUNT DISTINCT participant); *course completions*
  count trained enrolments, so a person trained in three deliveries is one
  person and three completions.
- A participant's audience in a figure is the audience they attended as
  (Enrolment.audience). Someone who attended as two audiences appears in both
  rows of the audience table but once in the totals.
- *First-time* people were reached in scope in the delivery where they first
  attended a session of the programme; the other people reached are *returning*.
"""

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from django.contrib.auth.models import AnonymousUser, User
from django.db.models import (
    BooleanField,
    Case,
    Count,
    DurationField,
    Exists,
    ExpressionWrapper,
    F,
    Func,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce, TruncMonth
from django.db.models.lookups import GreaterThan, GreaterThanOrEqual
from django.utils import timezone

from accounts import roles
from attendance.models import AttendanceRecord
from attendance.selectors import attended_statuses
from courses.models import Country, Delivery, Enrolment, Region, Session

from . import assessment_figures, outcomes

INACTIVE_ENROLMENT_STATUSES = (Enrolment.Status.WITHDRAWN, Enrolment.Status.WAITLISTED)
DURATION = ExpressionWrapper(F("ends_at") - F("starts_at"), output_field=DurationField())


@dataclass(frozen=True)
class ReportScope:
    """Who is asking and what they filtered to; every selector below takes one."""

    user: User | AnonymousUser
    date_from: date | None = None
    date_to: date | None = None
    country: Country | None = None
    region: Region | None = None
    project: object | None = None
    course: object | None = None
    audience: str = ""
    sex: str = ""
    organisation_type: str = ""
    now: datetime = field(default_factory=timezone.now)
    # Filled by the selectors: the ids of a small scope's deliveries, fetched once per report.
    cache: dict = field(default_factory=dict, compare=False, repr=False)

    @property
    def has_person_filter(self) -> bool:
        return bool(self.audience or self.sex or self.organisation_type)

    def period_start(self) -> datetime | None:
        if self.date_from is None:
            return None
        return datetime.combine(self.date_from, time.min, tzinfo=UTC)

    def period_end(self) -> datetime:
        """Exclusive end: the day after date_to, and never later than now (held sessions have started)."""
        if self.date_to is None:
            return self.now
        return min(self.now, datetime.combine(self.date_to + timedelta(days=1), time.min, tzinfo=UTC))


def reportable_deliveries(user: User | AnonymousUser) -> QuerySet[Delivery]:
    """Deliveries a user may report on: every one for staff, their regions' for coordinators, none otherwise.

    Narrower than courses.selectors.deliveries_visible_to on purpose: a coordinator
    who also trains reports on their regions only, not on deliveries they run elsewhere.
    """
    if roles.is_programme_staff(user):
        return Delivery.objects.all()
    if roles.is_regional_coordinator(user):
        return Delivery.objects.filter(region__coordinators=user)
    return Delivery.objects.none()


def reportable_regions(user: User | AnonymousUser) -> QuerySet[Region]:
    if roles.is_programme_staff(user):
        return Region.objects.select_related("country")
    if roles.is_regional_coordinator(user):
        return Region.objects.filter(coordinators=user).select_related("country")
    return Region.objects.none()


def _held_q(scope: ReportScope, prefix: str = "", *, in_period: bool = True) -> Q:
    condition = ~Q(**{f"{prefix}status": Session.Status.CANCELLED})
    if not in_period:
        return condition & Q(**{f"{prefix}starts_at__lte": scope.now})
    condition &= Q(**{f"{prefix}starts_at__lt": scope.period_end()})
    if scope.period_start() is not None:
        condition &= Q(**{f"{prefix}starts_at__gte": scope.period_start()})
    return condition


def _person_q(scope: ReportScope, prefix: str = "") -> Q:
    """The person filters on an Enrolment (prefix leads from the queried model to the enrolment)."""
    condition = Q()
    if scope.audience:
        condition &= Q(**{f"{prefix}audience": scope.audience})
    if scope.sex:
        condition &= Q(**{f"{prefix}participant__sex": scope.sex})
    if scope.organisation_type:
        condition &= Q(**{f"{prefix}participant__organisation__type": scope.organisation_type})
    return condition


def scoped_deliveries(scope: ReportScope) -> QuerySet[Delivery]:
    deliveries = Delivery.objects.filter(pk__in=reportable_deliveries(scope.user).values("pk"))
    if scope.country is not None:
        deliveries = deliveries.filter(country=scope.country)
    if scope.region is not None:
        deliveries = deliveries.filter(region=scope.region)
    if scope.project is not None:
        deliveries = deliveries.filter(project=scope.project)
    if scope.course is not None:
        deliveries = deliveries.filter(course=scope.course)
    deliveries = deliveries.filter(Exists(Session.objects.filter(_held_q(scope), delivery=OuterRef("pk"))))
    if scope.has_person_filter:
        active = Enrolment.objects.filter(delivery=OuterRef("pk")).exclude(
            status__in=INACTIVE_ENROLMENT_STATUSES
        )
        deliveries = deliveries.filter(Exists(active.filter(_person_q(scope))))
    return deliveries


def scoped_sessions(scope: ReportScope) -> QuerySet[Session]:
    """Sessions held in the period, of deliveries in scope."""
    return Session.objects.filter(_held_q(scope), delivery__in=scoped_deliveries(scope).values("pk"))


SMALL_SCOPE = 1000


def _scoped_delivery_ids(scope: ReportScope) -> list[int] | QuerySet:
    """The deliveries in scope as a list of ids when there are few, else as a subquery.

    A filtered report (a country and a year: a few hundred deliveries) then hands the
    database the ids themselves, so PostgreSQL reads those deliveries' enrolments by index
    instead of misjudging the subquery and scanning every enrolment. One query per report.
    """
    if "delivery_ids" not in scope.cache:
        scope.cache["delivery_ids"] = list(
            scoped_deliveries(scope).order_by().values_list("pk", flat=True)[: SMALL_SCOPE + 1]
        )
    ids = scope.cache["delivery_ids"]
    if len(ids) <= SMALL_SCOPE:
        return ids or [0]
    return scoped_deliveries(scope).values("pk")


def scoped_enrolments(scope: ReportScope) -> QuerySet[Enrolment]:
    """Active enrolments matching the person filters, in deliveries in scope."""
    return (
        Enrolment.objects.filter(delivery__in=_scoped_delivery_ids(scope))
        .exclude(status__in=INACTIVE_ENROLMENT_STATUSES)
        .filter(_person_q(scope))
    )


def _count(queryset: QuerySet) -> Coalesce:
    """A correlated COUNT(*) subquery (COUNT as a plain function so Django adds no GROUP BY)."""
    counted = queryset.order_by().annotate(n=Func(Value(1), function="COUNT")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def _attended_records(scope: ReportScope, *, in_period: bool) -> QuerySet[AttendanceRecord]:
    """Attended marks of the outer enrolment's participant at held sessions of its delivery."""
    return AttendanceRecord.objects.filter(
        _held_q(scope, "session__", in_period=in_period),
        participant=OuterRef("participant_id"),
        session__delivery=OuterRef("delivery_id"),
        status__in=attended_statuses(),
    )


OUTCOME = "report_outcome__"


def _outcome(name: str) -> F:
    """A column of the outer enrolment's stored outcome (reports.models.EnrolmentOutcome; NULL when none)."""
    return F(f"{OUTCOME}{name}")


def _inside_period(scope: ReportScope) -> Q:
    """On an Enrolment: every session its participant attended in its delivery started within the period."""
    condition = Q(**{f"{OUTCOME}last_attended_at__lt": scope.period_end()})
    if scope.period_start() is not None:
        condition &= Q(**{f"{OUTCOME}first_attended_at__gte": scope.period_start()})
    return condition


def _outside_period(scope: ReportScope) -> Q:
    """On an Enrolment: nothing attended, or nothing attended that started within the period."""
    condition = Q(**{f"{OUTCOME}first_attended_at__isnull": True}) | Q(
        **{f"{OUTCOME}first_attended_at__gte": scope.period_end()}
    )
    if scope.period_start() is not None:
        condition |= Q(**{f"{OUTCOME}last_attended_at__lt": scope.period_start()})
    return condition


def reached_condition(scope: ReportScope) -> Q:
    """On an Enrolment: attended at least one held session of its delivery in the period.

    Decided from the stored first and last attended starts; only when the period lies
    strictly between them are the marks themselves looked at.
    """
    first_inside = Q(**{f"{OUTCOME}first_attended_at__lt": scope.period_end()})
    last_inside = Q(**{f"{OUTCOME}last_attended_at__lt": scope.period_end()})
    if scope.period_start() is None:
        return first_inside
    first_inside &= Q(**{f"{OUTCOME}first_attended_at__gte": scope.period_start()})
    last_inside &= Q(**{f"{OUTCOME}last_attended_at__gte": scope.period_start()})
    straddles = Q(
        **{
            f"{OUTCOME}first_attended_at__lt": scope.period_start(),
            f"{OUTCOME}last_attended_at__gte": scope.period_end(),
        }
    )
    return first_inside | last_inside | (straddles & Exists(_attended_records(scope, in_period=True)))


def _attended_held(scope: ReportScope) -> Case:
    """On an Enrolment: held sessions of its delivery its participant attended (any time up to now)."""
    return Case(
        When(**{f"{OUTCOME}last_attended_at__isnull": True}, then=Value(0)),
        When(**{f"{OUTCOME}last_attended_at__lte": scope.now}, then=_outcome("attended_sessions")),
        # Marked at a session that has not started yet (check-in opens early): count the marks.
        default=_count(_attended_records(scope, in_period=False)),
        output_field=IntegerField(),
    )


def trained_condition(scope: ReportScope) -> Q:
    """On an Enrolment: marked completed, or attended at least the course's minimum share of held sessions.

    The one definition of "trained" for every report, export and statement. Held sessions
    per delivery come from reports.models.DeliveryHeld (brought up to scope.now by
    outcomes_ensure_fresh), attended ones from the outcome table.
    """
    held = Coalesce(F("delivery__report_held__held_sessions"), 0)
    attended = _attended_held(scope)
    minimum = F("delivery__course__minimum_attendance_percent")
    # Attended held sessions are among the held ones, so attending any means some were held; written
    # so that each row counts its delivery's held sessions once, and not at all for nobody-attended rows.
    meets_rule = Q(
        Case(
            When(
                GreaterThan(attended, 0),
                then=GreaterThanOrEqual(attended * 100, held * minimum),
            ),
            default=Q(delivery__course__minimum_attendance_percent=0) & Q(GreaterThan(held, 0)),
            output_field=BooleanField(),
        )
    )
    return Q(status=Enrolment.Status.COMPLETED) | meets_rule


def _flag(condition) -> Case:
    return Case(When(condition, then=Value(1)), default=Value(0), output_field=IntegerField())


def _attended_hours(scope: ReportScope) -> Subquery:
    """On an Enrolment: the summed duration of the held sessions in the period its participant attended."""
    durations = (
        _attended_records(scope, in_period=True)
        .order_by()
        .annotate(
            total=Func(
                ExpressionWrapper(
                    F("session__ends_at") - F("session__starts_at"), output_field=DurationField()
                ),
                function="SUM",
            )
        )
        .values("total")
    )
    return Case(
        When(_outside_period(scope), then=Value(None, output_field=DurationField())),
        When(_inside_period(scope), then=_outcome("attended_duration")),
        default=Subquery(durations, output_field=DurationField()),
        output_field=DurationField(),
    )


def _attended_in_period(scope: ReportScope) -> Case:
    """On an Enrolment: held sessions in the period its participant attended."""
    return Case(
        When(_outside_period(scope), then=Value(0)),
        When(_inside_period(scope), then=_outcome("attended_sessions")),
        default=_count(_attended_records(scope, in_period=True)),
        output_field=IntegerField(),
    )


def _first_time_condition(scope: ReportScope) -> Q:
    """On an Enrolment: nothing attended anywhere in the programme before what was attended in this delivery."""
    return Q(**{f"{OUTCOME}is_first_delivery": True})


def participant_hours(scope: ReportScope) -> float:
    """Hours attended by people in scope: per held session, its duration times the people in scope who attended.

    Summed per enrolment in scope (the same thing: each attended held session of its delivery once).
    """
    duration = scoped_enrolments(scope).aggregate(total=Sum(_attended_hours(scope)))["total"]
    if duration is not None and not isinstance(duration, timedelta):
        duration = timedelta(microseconds=duration)
    return _hours(duration)


def people_totals(scope: ReportScope) -> dict:
    """The headline people figures in one query: each enrolment's flags are computed once, in a subquery."""
    totals = (
        scoped_enrolments(scope)
        .annotate(
            reached_flag=_flag(reached_condition(scope)),
            trained_flag=_flag(trained_condition(scope)),
            first_time_flag=_flag(Q(reached_condition(scope)) & _first_time_condition(scope)),
            female=_flag(Q(participant__sex="female")),
        )
        # DISTINCT (a no-op: every row has its own pk) stops SQLite from flattening the subquery,
        # which would compute each flag again for every aggregate that reads it.
        .distinct()
        .aggregate(
            people_reached=Count("participant", distinct=True, filter=Q(reached_flag=1)),
            people_trained=Count("participant", distinct=True, filter=Q(trained_flag=1)),
            women_trained=Count("participant", distinct=True, filter=Q(trained_flag=1, female=1)),
            course_completions=Count("pk", filter=Q(trained_flag=1)),
            first_time=Count("participant", distinct=True, filter=Q(first_time_flag=1)),
        )
    )
    totals["returning"] = totals["people_reached"] - totals["first_time"]
    return totals


def _grouped_people(scope: ReportScope, dimensions: list[str]) -> list[dict]:
    """People reached, people trained and completions per combination of dimensions, in one pass."""
    trained = trained_condition(scope)
    rows = (
        scoped_enrolments(scope)
        .values(*dimensions)
        .annotate(
            people_reached=Count("participant", distinct=True, filter=reached_condition(scope)),
            people_trained=Count("participant", distinct=True, filter=trained),
            course_completions=Count("pk", filter=trained),
        )
        .order_by()
    )
    return sorted(rows, key=lambda row: tuple(str(row[dimension]) for dimension in dimensions))


def by_sex_audience(scope: ReportScope) -> list[dict]:
    return _grouped_people(scope, ["audience", "participant__sex"])


def by_region(scope: ReportScope) -> list[dict]:
    return _grouped_people(
        scope, ["delivery__country__name", "delivery__region__name", "delivery__region__iso_code"]
    )


def by_country(scope: ReportScope) -> dict[str, dict]:
    """Per country ISO code: deliveries completed, people trained, women trained (for the statements)."""
    countries = {
        row["country__iso_code"]: {
            "deliveries_completed": row["completed"],
            "people_trained": 0,
            "women_trained": 0,
        }
        for row in scoped_deliveries(scope)
        .values("country__iso_code")
        .annotate(completed=Count("pk", filter=Q(status=Delivery.Status.COMPLETED)))
        .order_by()
    }
    people = (
        scoped_enrolments(scope)
        .annotate(flag=_flag(trained_condition(scope)))
        .values("delivery__country__iso_code", "flag")
        .annotate(
            people_trained=Count("participant", distinct=True),
            women_trained=Count("participant", distinct=True, filter=Q(participant__sex="female")),
        )
        .order_by()
    )
    for row in people:
        if not row["flag"]:
            continue
        country = countries.setdefault(
            row["delivery__country__iso_code"],
            {"deliveries_completed": 0, "people_trained": 0, "women_trained": 0},
        )
        country["people_trained"] = row["people_trained"]
        country["women_trained"] = row["women_trained"]
    return countries


@dataclass
class Figures:
    """Everything the dashboard shows, the exports write and the statements say."""

    deliveries_in_scope: int
    deliveries_completed: int
    sessions_held: int
    training_hours: float
    participant_hours: float
    people_reached: int
    people_trained: int
    women_trained: int
    course_completions: int
    trainers_active: int
    first_time: int
    returning: int
    by_sex_audience: list[dict]
    by_region: list[dict]
    regions_covered: list[dict]
    by_country: dict[str, dict]
    deliveries_per_month: list[dict]
    certificates_issued: int | None
    test_scores: assessment_figures.TestScores | None

    @property
    def is_empty(self) -> bool:
        return self.deliveries_in_scope == 0


def _hours(duration: timedelta | None) -> float:
    return round(duration.total_seconds() / 3600, 1) if duration else 0.0


def delivery_totals(scope: ReportScope) -> dict:
    return scoped_deliveries(scope).aggregate(
        deliveries_in_scope=Count("pk"),
        deliveries_completed=Count("pk", filter=Q(status=Delivery.Status.COMPLETED)),
    )


def trainers_active(scope: ReportScope) -> int:
    return scoped_deliveries(scope).aggregate(n=Count("trainers", distinct=True))["n"]


def session_totals(scope: ReportScope) -> dict:
    totals = scoped_sessions(scope).aggregate(sessions_held=Count("pk"), duration=Sum(DURATION))
    return {"sessions_held": totals["sessions_held"], "training_hours": _hours(totals["duration"])}


def regions_covered(scope: ReportScope) -> list[dict]:
    """Per country: regions with a delivery in scope, of all the country's regions ("3 of 5")."""
    covered = Exists(scoped_deliveries(scope).filter(region=OuterRef("pk")))
    regions = Region.objects.all()
    if scope.country is not None:
        regions = regions.filter(country=scope.country)
    if not roles.is_programme_staff(scope.user):
        regions = regions.filter(country__regions__in=reportable_regions(scope.user)).distinct()
    rows = (
        regions.values("country__iso_code", "country__name")
        .annotate(total=Count("pk", distinct=True), covered=Count("pk", distinct=True, filter=Q(covered)))
        .order_by("country__name")
    )
    return [row for row in rows if row["covered"] or scope.country is not None]


def deliveries_per_month(scope: ReportScope) -> list[dict]:
    """Deliveries with a held session in each month (a delivery running over two months counts in both)."""
    return list(
        scoped_sessions(scope)
        .annotate(month=TruncMonth("starts_at"))
        .values("month")
        .annotate(deliveries=Count("delivery", distinct=True))
        .order_by("month")
    )


def report_figures(scope: ReportScope) -> Figures:
    outcomes.outcomes_ensure_fresh(now=scope.now)
    return Figures(
        **delivery_totals(scope),
        **session_totals(scope),
        **people_totals(scope),
        participant_hours=participant_hours(scope),
        trainers_active=trainers_active(scope),
        by_sex_audience=by_sex_audience(scope),
        by_region=by_region(scope),
        regions_covered=regions_covered(scope),
        by_country=by_country(scope),
        deliveries_per_month=deliveries_per_month(scope),
        certificates_issued=assessment_figures.certificates_issued(scope),
        test_scores=assessment_figures.test_scores(scope),
    )


def participant_rows(scope: ReportScope) -> QuerySet[Enrolment]:
    """One row per enrolment in scope, with the flags the headline figures count (the CSV export)."""
    outcomes.outcomes_ensure_fresh(now=scope.now)
    return (
        scoped_enrolments(scope)
        .select_related(
            "participant__organisation",
            "delivery__course",
            "delivery__country",
            "delivery__region",
            "delivery__project",
        )
        .annotate(
            sessions_attended=_attended_in_period(scope),
            attended_duration=_attended_hours(scope),
            is_reached=Case(
                When(reached_condition(scope), then=True), default=False, output_field=BooleanField()
            ),
            is_trained=Case(
                When(trained_condition(scope), then=True), default=False, output_field=BooleanField()
            ),
        )
        .order_by("participant_id", "delivery_id")
    )
