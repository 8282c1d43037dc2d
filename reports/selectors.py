"""The programme's figures for a filtered scope: one source of truth for the dashboard, exports and statements.

Every figure is computed in SQL (aggregate / annotate, GROUP BY), so the number
of queries is fixed whatever the data size. The people figures read one table,
reports.models.EnrolmentFact (one row per active enrolment with its dimensions,
attendance, scores and certificate; reports/facts.py rewrites the facts of records
changed since the last report before each one); the selectors below go back to the
marks only for the rare rows the stored first/last attended start cannot decide.

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
- *Trained* (`trained_condition`): the enrolment's stored completion decision
  is "completed" (assessments.services.completion_decide, taken when the
  delivery was completed: attended of held sessions against the course's
  minimum, and the post-test against its pass mark when the course has a test).
  People in deliveries still running are *in training now*, never trained.
  Completion is a property of the whole delivery, so it does not depend on
  the period.
- Cancelled deliveries are left out of every figure: they have no held sessions.
- *People* are counted once (one row per person before summing; see
  _per_person); *course completions* count trained enrolments, so a person
  trained in three deliveries is one person and three completions.
- A participant's audience in a figure is the audience they attended as
  (Enrolment.audience). Someone who attended as two audiences appears in both
  rows of the audience table but once in the totals.
- *First-time* people were reached in scope in the delivery where they first
  attended a session of the programme; the other people reached are *returning*.
"""

import hashlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

from django.contrib.auth.models import AnonymousUser, User
from django.core.cache import cache
from django.db import connection, transaction
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
    Max,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce, TruncMonth
from django.db.models.lookups import Exact
from django.utils import timezone
from django.utils.translation import get_language

from accounts import roles
from attendance.models import AttendanceRecord
from attendance.rules import attended_statuses
from core.database import statements_planned_each_time
from core.enums import Sex
from courses.models import Country, Delivery, Region, Session
from courses.rules import deliveries_in_managed_regions, held_session_q, regions_managed_by

from . import assessment_figures, facts
from .models import EnrolmentFact

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
    """Deliveries a user may report on (courses.rules.deliveries_in_managed_regions), never cancelled ones."""
    return deliveries_in_managed_regions(user).exclude(status=Delivery.Status.CANCELLED)


def _held_q(scope: ReportScope, prefix: str = "", *, in_period: bool = True) -> Q:
    """Held by the report's moment (courses.rules.held_session_q) and, unless told not to, in its period."""
    condition = held_session_q(now=scope.now, prefix=prefix)
    if not in_period:
        return condition
    condition &= Q(**{f"{prefix}starts_at__lt": scope.period_end()})
    if scope.period_start() is not None:
        condition &= Q(**{f"{prefix}starts_at__gte": scope.period_start()})
    return condition


def _person_q(scope: ReportScope) -> Q:
    """The person filters on an EnrolmentFact."""
    condition = Q()
    if scope.audience:
        condition &= Q(audience=scope.audience)
    if scope.sex:
        condition &= Q(sex=scope.sex)
    if scope.organisation_type:
        condition &= Q(organisation_type=scope.organisation_type)
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
        # A course is one thing in every language: a delivery of any of its translations counts.
        deliveries = deliveries.filter(course__translation_key=scope.course.translation_key)
    deliveries = deliveries.filter(Exists(Session.objects.filter(_held_q(scope), delivery=OuterRef("pk"))))
    if scope.has_person_filter:
        matching = EnrolmentFact.objects.filter(_person_q(scope), delivery=OuterRef("pk"))
        deliveries = deliveries.filter(Exists(matching))
    return deliveries


def scoped_sessions(scope: ReportScope) -> QuerySet[Session]:
    """Sessions held in the period, of deliveries in scope."""
    return Session.objects.filter(_held_q(scope), delivery__in=scoped_deliveries(scope).values("pk"))


SHORT_LIST = 1000


def _delivery_split(scope: ReportScope) -> tuple[list[int], list[int]]:
    """Up to SHORT_LIST + 1 ids of deliveries in scope, and as many of those out of it.

    Two small queries per report, whatever the size (remembered for the report's other
    figures): whichever list is short is the one scoped_facts hands to the database.
    """
    if "deliveries" not in scope.cache:
        in_scope = scoped_deliveries(scope).order_by().values("pk")
        scope.cache["deliveries"] = (
            list(in_scope.values_list("pk", flat=True)[: SHORT_LIST + 1]),
            list(
                Delivery.objects.exclude(pk__in=in_scope)
                .order_by()
                .values_list("pk", flat=True)[: SHORT_LIST + 1]
            ),
        )
    return scope.cache["deliveries"]


def scoped_facts(scope: ReportScope) -> QuerySet[EnrolmentFact]:
    """Active enrolments (as report facts) matching the person filters, in deliveries in scope.

    The deliveries in scope are handed to the database as a list of ids, or, when most
    deliveries are in scope (the whole programme), as the short list of those that are not.
    Either way SQLite and PostgreSQL read the facts once and check each row against a small
    set; given the scope as a subquery they fetched the facts delivery by delivery through
    the index (measured: 0.7 s instead of 0.2 s per figure at ten years' size).
    """
    included, excluded = _delivery_split(scope)
    if len(included) <= SHORT_LIST:
        # [0] matches nothing but, unlike an empty list, still makes SQL (the raw queries need it).
        rows = EnrolmentFact.objects.filter(delivery__in=included or [0])
    elif len(excluded) <= SHORT_LIST:
        rows = EnrolmentFact.objects.exclude(delivery__in=excluded)
    else:
        # Both long (a coordinator of half the regions, over all years): a unary plus hides the
        # column from the index, so the table is read in order and checked against the set.
        unindexed = Func(F("delivery_id"), template="+%(expressions)s", output_field=IntegerField())
        rows = EnrolmentFact.objects.alias(delivery_ref=unindexed).filter(
            delivery_ref__in=scoped_deliveries(scope).values("pk")
        )
    return rows.filter(_person_q(scope))


def _count(queryset: QuerySet) -> Coalesce:
    """A correlated COUNT(*) subquery (COUNT as a plain function so Django adds no GROUP BY)."""
    counted = queryset.order_by().annotate(n=Func(Value(1), function="COUNT")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def _attended_records(scope: ReportScope, *, in_period: bool) -> QuerySet[AttendanceRecord]:
    """Attended marks of the outer fact's participant at held sessions of its delivery."""
    return AttendanceRecord.objects.filter(
        _held_q(scope, "session__", in_period=in_period),
        participant=OuterRef("participant_id"),
        session__delivery=OuterRef("delivery_id"),
        status__in=attended_statuses(),
    )


def _inside_period(scope: ReportScope) -> Q:
    """On a fact: every session its participant attended in its delivery started within the period."""
    condition = Q(last_attended_at__lt=scope.period_end())
    if scope.period_start() is not None:
        condition &= Q(first_attended_at__gte=scope.period_start())
    return condition


def _outside_period(scope: ReportScope) -> Q:
    """On a fact: nothing attended, or nothing attended that started within the period."""
    condition = Q(first_attended_at__isnull=True) | Q(first_attended_at__gte=scope.period_end())
    if scope.period_start() is not None:
        condition |= Q(last_attended_at__lt=scope.period_start())
    return condition


def reached_condition(scope: ReportScope) -> Q:
    """On a fact: attended at least one held session of its delivery in the period.

    Decided from the stored first and last attended starts; only when the period lies
    strictly between them are the marks themselves looked at.
    """
    first_inside = Q(first_attended_at__lt=scope.period_end())
    last_inside = Q(last_attended_at__lt=scope.period_end())
    if scope.period_start() is None:
        return first_inside
    first_inside &= Q(first_attended_at__gte=scope.period_start())
    last_inside &= Q(last_attended_at__gte=scope.period_start())
    straddles = Q(first_attended_at__lt=scope.period_start(), last_attended_at__gte=scope.period_end())
    return first_inside | last_inside | (straddles & Exists(_attended_records(scope, in_period=True)))


def trained_flag(scope: ReportScope) -> Case:
    """On a fact: 1 when the enrolment's stored completion decision is "completed", else 0.

    The one definition of "trained" for every report, export and statement: the decision is
    taken when the delivery is completed (and again after a correction), so a person in a
    delivery still running is never counted as trained.
    """
    return _flag(Q(enrolment_completed=True))


def in_training_flag() -> Case:
    """On a fact: 1 while the enrolment awaits its decision (the delivery is still running)."""
    return _flag(Q(in_training=True))


def trained_condition(scope: ReportScope) -> Q:
    """On a fact: trained (see trained_flag), as a condition."""
    return Q(Exact(trained_flag(scope), 1))


def _flag(condition) -> Case:
    return Case(When(condition, then=Value(1)), default=Value(0), output_field=IntegerField())


def _attended_hours(scope: ReportScope) -> Case:
    """On a fact: the summed duration of the held sessions in the period its participant attended."""
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
        When(_inside_period(scope), then=F("attended_duration")),
        default=Subquery(durations, output_field=DurationField()),
        output_field=DurationField(),
    )


def _attended_in_period(scope: ReportScope) -> Case:
    """On a fact: held sessions in the period its participant attended."""
    return Case(
        When(_outside_period(scope), then=Value(0)),
        When(_inside_period(scope), then=F("attended_sessions")),
        default=_count(_attended_records(scope, in_period=True)),
        output_field=IntegerField(),
    )


def _per_person(scope: ReportScope, dimensions: list[str], **extra) -> tuple[str, tuple]:
    """SQL of one row per person (and dimension values) in scope with their flags, ready to be summed.

    Counting unique people as SUM over per-person rows of MAX(flag) is one GROUP BY, where
    COUNT(DISTINCT …) FILTER would sort the people once per figure. `completions` counts
    the person's trained enrolments, so its sum is the course completions.
    """
    trained = trained_flag(scope)
    per_person = (
        scoped_facts(scope)
        .values("participant_id", *dimensions)
        .annotate(
            reached=Max(_flag(reached_condition(scope))),
            trained=Max(trained),
            in_training=Max(in_training_flag()),
            completions=Sum(trained),
            **extra,
        )
        .order_by()
    )
    return per_person.query.sql_with_params()


def _number(value):
    """PostgreSQL sums bigints to numeric (a Decimal in Python); the figures are ints and floats."""
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


def _fetch(sql: str, params) -> list[dict]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        names = [column[0] for column in cursor.description]
        return [
            {name: _number(value) for name, value in zip(names, row, strict=True)}
            for row in cursor.fetchall()
        ]


def _as_duration(value) -> timedelta | None:
    """A summed duration read by raw SQL: a timedelta on PostgreSQL, microseconds on SQLite."""
    if value is None or isinstance(value, timedelta):
        return value
    return timedelta(microseconds=int(value))


def people_totals(scope: ReportScope) -> dict:
    """The headline people figures, per-country people trained, participant-hours, certificates and
    test-score sums, in one query (one pass over the facts in scope).

    Per country as columns of the same per-person row rather than a second GROUP BY: a person
    trained in both countries counts once in the total and once in each country's figure.
    """
    trained = trained_flag(scope)
    female_trained = trained * _flag(Q(sex=Sex.FEMALE))
    countries = dict(Country.objects.values_list("pk", "iso_code"))
    per_country = {}
    for pk in countries:
        in_country = _flag(Q(country_id=pk))
        per_country[f"trained_{pk}"] = Max(trained * in_country)
        per_country[f"women_{pk}"] = Max(female_trained * in_country)
    sql, params = _per_person(
        scope,
        [],
        women_trained=Max(female_trained),
        first_time=Max(_flag(Q(reached_condition(scope)) & Q(is_first_delivery=True))),
        hours=Sum(_attended_hours(scope)),
        certificates=Sum(_flag(Q(certified=True))),
        pre_sum=Sum("pre_percent"),
        pre_n=Count("pre_percent"),
        post_sum=Sum("post_percent"),
        post_n=Count("post_percent"),
        gain_sum=Sum(F("post_percent") - F("pre_percent")),
        paired=Count(F("post_percent") - F("pre_percent")),
        **per_country,
    )
    columns = [
        "reached",
        "trained",
        "in_training",
        "women_trained",
        "completions",
        "first_time",
        "hours",
        "certificates",
        "pre_sum",
        "pre_n",
        "post_sum",
        "post_n",
        "gain_sum",
        "paired",
        *per_country,
    ]
    summed = ", ".join(f"SUM({column}) AS {column}" for column in columns)
    row = _fetch(f"SELECT {summed} FROM ({sql}) per_person", params)[0]
    reached, first_time = row["reached"] or 0, row["first_time"] or 0
    return {
        "people_reached": reached,
        "people_trained": row["trained"] or 0,
        "people_in_training": row["in_training"] or 0,
        "women_trained": row["women_trained"] or 0,
        "course_completions": row["completions"] or 0,
        "first_time": first_time,
        "returning": reached - first_time,
        "participant_hours": _hours(_as_duration(row["hours"])),
        "certificates_issued": row["certificates"] or 0,
        "test_scores": assessment_figures.TestScores.from_sums(row),
        "trained_by_country": {
            iso_code: (row[f"trained_{pk}"] or 0, row[f"women_{pk}"] or 0)
            for pk, iso_code in countries.items()
        },
    }


def _grouped_people(scope: ReportScope, dimensions: list[str]) -> list[dict]:
    """People reached, people trained and completions per combination of dimensions, in one query."""
    sql, params = _per_person(scope, dimensions)
    columns = ", ".join(dimensions)
    return _fetch(
        f"SELECT {columns}, SUM(reached) AS people_reached, SUM(trained) AS people_trained, "
        f"SUM(completions) AS course_completions FROM ({sql}) per_person "
        f"GROUP BY {columns} ORDER BY {columns}",
        params,
    )


def by_sex_audience(scope: ReportScope) -> list[dict]:
    return [
        {
            "audience": row["audience"],
            "participant__sex": row["sex"],
            **{key: row[key] for key in ("people_reached", "people_trained", "course_completions")},
        }
        for row in _grouped_people(scope, ["audience", "sex"])
    ]


def by_region(scope: ReportScope) -> list[dict]:
    """Per region: people reached and trained and completions, with the region's and country's names."""
    rows = _grouped_people(scope, ["region_id"])
    regions = {
        region.pk: region
        for region in Region.objects.filter(pk__in=[row["region_id"] for row in rows]).select_related(
            "country"
        )
    }
    named = [
        {
            "delivery__country__name": regions[row["region_id"]].country.display_name,
            "delivery__region__name": regions[row["region_id"]].display_name,
            "delivery__region__iso_code": regions[row["region_id"]].iso_code,
            **{key: row[key] for key in ("people_reached", "people_trained", "course_completions")},
        }
        for row in rows
    ]
    return sorted(named, key=lambda row: (row["delivery__country__name"], row["delivery__region__name"]))


def by_country(scope: ReportScope, trained_by_country: dict[str, tuple[int, int]]) -> dict[str, dict]:
    """Per country ISO code: deliveries completed, people trained, women trained (for the statements).

    `trained_by_country` is people_totals' per-country (people trained, women trained).
    """
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
    for iso_code, (people_trained, women_trained) in trained_by_country.items():
        if not people_trained:
            continue
        country_figures = countries.setdefault(
            iso_code, {"deliveries_completed": 0, "people_trained": 0, "women_trained": 0}
        )
        country_figures["people_trained"] = people_trained
        country_figures["women_trained"] = women_trained
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
    people_in_training: int
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
    certificates_issued: int
    test_scores: assessment_figures.TestScores
    # Set when the report tables could not be brought up to date (another refresh was running):
    # the moment they last held every change, shown as "Figures as of …".
    as_of: datetime | None = None
    # Set when these figures are kept (report_figures): what else is drawn from them alone (the
    # dashboard's tables and charts) may be kept under the same key.
    cache_key: str | None = field(default=None, compare=False)

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
        regions = regions.filter(country__regions__in=regions_managed_by(scope.user)).distinct()
    rows = (
        regions.values("country_id", "country__iso_code")
        .annotate(total=Count("pk", distinct=True), covered=Count("pk", distinct=True, filter=Q(covered)))
        .order_by("country__name")
    )
    rows = [row for row in rows if row["covered"] or scope.country is not None]
    # The key keeps its name for the exports and statements; its value is the reader's-language name.
    countries = Country.objects.in_bulk([row["country_id"] for row in rows])
    return [
        {
            "country__iso_code": row["country__iso_code"],
            "country__name": countries[row["country_id"]].display_name,
            "total": row["total"],
            "covered": row["covered"],
        }
        for row in rows
    ]


def deliveries_per_month(scope: ReportScope) -> list[dict]:
    """Deliveries with a held session in each month (a delivery running over two months counts in both)."""
    return list(
        scoped_sessions(scope)
        .annotate(month=TruncMonth("starts_at"))
        .values("month")
        .annotate(deliveries=Count("delivery", distinct=True))
        .order_by("month")
    )


@contextmanager
def _reporting_transaction() -> Iterator[None]:
    """One transaction for a report's queries, with PostgreSQL tuned for grouping a whole table.

    Measured on the ten-year programme: the planner's estimate for the people figures
    (correlated subqueries it cannot know are rarely run) sets off JIT compilation, 1.2 s
    of compiling for 0.1 s of work, and the per-person sort spills to disk at the default
    4 MB work_mem. SET LOCAL ends with the transaction, so nothing else is affected.
    """
    with statements_planned_each_time(), transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL jit = off")
                cursor.execute("SET LOCAL work_mem = '64MB'")
        yield


# How long a process keeps the figures of one filter over unchanged report tables. Every change the
# facts copy (marks, enrolments, sessions, deliveries, people, tests, certificates) makes a new
# version and so new figures at once; this bounds only what the tables do not copy: the trainers
# of a delivery ("trainers active") and renamed regions.
FIGURES_CACHE_SECONDS = 300


def _figures_cache_key(scope: ReportScope, freshness: facts.Freshness) -> str | None:
    """The cache key of programme staff's figures for this filter over these tables; None: not cached.

    Programme staff see every region, so their figures depend on the filter alone; a
    coordinator's depend on the regions they coordinate today and are always computed.
    """
    if freshness.version is None or not roles.is_programme_staff(scope.user):
        return None
    refreshed_at, held = freshness.version
    filters = (
        scope.date_from,
        scope.date_to,
        *(
            getattr(choice, "pk", None)
            for choice in (scope.country, scope.region, scope.project, scope.course)
        ),
        scope.audience,
        scope.sex,
        scope.organisation_type,
    )
    described = "|".join(str(part) for part in (refreshed_at.isoformat(), held, get_language(), *filters))
    return "hamkori:report-figures:" + hashlib.sha256(described.encode()).hexdigest()


def report_figures(scope: ReportScope) -> Figures:
    """The dashboard's figures, over report tables brought up to date first.

    Programme staff's figures for a filter are kept by the process until the tables change (a
    report read twice over the same data is computed once; see FIGURES_CACHE_SECONDS).
    """
    freshness = facts.facts_freshen(now=scope.now)
    key = _figures_cache_key(scope, freshness)
    if key is not None:
        cached = cache.get(key)
        if cached is not None:
            return cached
    with _reporting_transaction():
        figures = _figures(scope)
    figures.as_of, figures.cache_key = freshness.as_of, key
    if key is not None:
        cache.set(key, figures, FIGURES_CACHE_SECONDS)
    return figures


def _figures(scope: ReportScope) -> Figures:
    people = people_totals(scope)
    trained_by_country = people.pop("trained_by_country")
    return Figures(
        **delivery_totals(scope),
        **session_totals(scope),
        **people,
        trainers_active=trainers_active(scope),
        by_sex_audience=by_sex_audience(scope),
        by_region=by_region(scope),
        regions_covered=regions_covered(scope),
        by_country=by_country(scope, trained_by_country),
        deliveries_per_month=deliveries_per_month(scope),
    )


def participant_rows(scope: ReportScope) -> QuerySet[EnrolmentFact]:
    """One row per enrolment in scope, with the flags the headline figures count (the CSV export)."""
    facts.facts_ensure_fresh(now=scope.now)
    return (
        scoped_facts(scope)
        .select_related(
            "participant__organisation",
            "delivery__course",
            "delivery__country",
            "delivery__region",
            "delivery__project",
        )
        .annotate(
            sessions_in_period=_attended_in_period(scope),
            hours_in_period=_attended_hours(scope),
            is_reached=Case(
                When(reached_condition(scope), then=True), default=False, output_field=BooleanField()
            ),
            is_trained=Case(
                When(trained_condition(scope), then=True), default=False, output_field=BooleanField()
            ),
        )
        .order_by("participant_id", "delivery_id")
    )
