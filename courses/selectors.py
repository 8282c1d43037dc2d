"""Reads for scheduling views and the apps above: querysets already scoped to what a user may see.

"Own" in DESIGN.md's roles table means the queryset is scoped, so every view
that opens a delivery or session by id goes through these functions; an
object outside the scope then answers 404 instead of someone else's data.
"""

from datetime import datetime

from django.contrib.auth.models import AnonymousUser, User
from django.db.models import Count, F, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from curriculum.content_cache import kept_key, kept_value

from .models import Country, Delivery, Enrolment, Participant, Project, Session
from .rules import DECIDED_ENROLMENT_STATUSES, active_enrolment_q, deliveries_in_managed_regions

# The access scopes are rules (courses.rules); views read them through this module with the other
# reads, so they are re-exported here, not copied.
from .rules import deliveries_managed_by as deliveries_managed_by
from .rules import deliveries_visible_to as deliveries_visible_to
from .rules import participants_managed_by as participants_managed_by
from .rules import participants_visible_to as participants_visible_to
from .rules import regions_managed_by as regions_managed_by


def sessions_visible_to(user: User | AnonymousUser) -> QuerySet[Session]:
    return Session.objects.filter(delivery__in=deliveries_visible_to(user).values("pk"))


def sessions_managed_by(user: User | AnonymousUser) -> QuerySet[Session]:
    return Session.objects.filter(delivery__in=deliveries_managed_by(user).values("pk"))


# What a /deliveries/ row prints, and nothing else: a course is a Wagtail page of some forty columns,
# and building them, with each trainer's whole account, took ~1 ms of the 14 ms page of seven rows
# (issue 18). A field read that is not listed costs a query per row, which the list's
# query-count tests catch.
LIST_DELIVERY_FIELDS = (
    *("pk", "language", "capacity", "status", "country", "project"),
    *("course__title", "course__translation_key", "course__locale"),
    *("region__name", "region__name_ru", "region__name_tg", "region__name_ky", "region__timezone"),
)
LIST_TRAINER_FIELDS = ("pk", "first_name", "last_name", "username")


def attach_countries_and_projects(deliveries) -> None:
    """Give each delivery its country and project from tables each process keeps.

    A handful of countries and a few dozen projects, the same for every reader: kept under the content
    version, which a change to a country, region or project replaces (courses/option_lists.py), instead
    of two queries on every /deliveries/ page (issue 18).
    """
    countries, projects = kept_value(
        kept_key("countries-and-projects"),
        lambda: (
            {country.pk: country for country in Country.objects.all()},
            {project.pk: project for project in Project.objects.all()},
        ),
    )
    for delivery in deliveries:
        delivery.country = countries[delivery.country_id]
        delivery.project = projects[delivery.project_id] if delivery.project_id else None


def delivery_list(user: User | AnonymousUser) -> QuerySet[Delivery]:
    """The /deliveries/ rows: each with its dates, seat counts and trainers in a fixed number of queries."""
    sessions = Session.objects.filter(delivery=OuterRef("pk"), status=Session.Status.SCHEDULED)
    enrolled = (
        Enrolment.objects.filter(active_enrolment_q(), delivery=OuterRef("pk"))
        .order_by()
        .values("delivery")
        .annotate(total=Count("pk"))
        .values("total")
    )
    return (
        deliveries_visible_to(user)
        # Joined: the course and region; the small tables apart. With all five joined,
        # PostgreSQL spent 6–10 ms planning the query (0.7 ms running it); with two, 1.5 ms. Prepared
        # statements did not change that: joining the country and project too was still ~1 ms
        # slower than their two small queries (2026-12-01). The venue is not on the list.
        .select_related("course", "region")
        .only(*LIST_DELIVERY_FIELDS)
        .prefetch_related(
            # The country and project: from the kept tables (attach_countries_and_projects).
            Prefetch(
                "trainers",
                queryset=User.objects.only(*LIST_TRAINER_FIELDS).order_by("last_name", "first_name"),
            ),
        )
        .annotate(
            first_start=Subquery(sessions.order_by("starts_at").values("starts_at")[:1]),
            last_end=Subquery(sessions.order_by("-ends_at").values("ends_at")[:1]),
            enrolled_count=Coalesce(Subquery(enrolled, output_field=IntegerField()), 0),
        )
        .order_by(F("first_start").desc(nulls_last=True), "-pk")
    )


def delivery_detail(user: User | AnonymousUser) -> QuerySet[Delivery]:
    return deliveries_visible_to(user).select_related("course", "region__country", "venue", "project")


def participant_duplicate_groups(user: User | AnonymousUser, limit: int = 50) -> list[list[Participant]]:
    """Groups of participants sharing normalised name, year of birth and organisation: merge candidates."""
    scope = participants_managed_by(user)
    keys = list(
        scope.order_by()
        .values("name_key", "year_of_birth", "organisation")
        .annotate(total=Count("pk"))
        .filter(total__gt=1)
        .order_by("name_key")[:limit]
    )
    if not keys:
        return []
    condition = Q(pk__in=[])
    for key in keys:
        condition |= Q(
            name_key=key["name_key"], year_of_birth=key["year_of_birth"], organisation=key["organisation"]
        )
    groups: dict[tuple, list[Participant]] = {}
    for participant in scope.filter(condition).annotate(enrolment_count=Count("enrolments")).order_by("pk"):
        groups.setdefault(
            (participant.name_key, participant.year_of_birth, participant.organisation_id), []
        ).append(participant)
    return list(groups.values())


def sessions_in_range(user: User | AnonymousUser, *, starts: datetime, ends: datetime) -> QuerySet[Session]:
    """Sessions of visible deliveries between two instants, for the month calendar."""
    return (
        sessions_visible_to(user)
        .filter(starts_at__lt=ends, ends_at__gt=starts)
        .select_related("delivery__course", "delivery__region", "venue", "delivery__venue")
        .order_by("starts_at")
    )


def sessions_for_trainer_feed(user: User) -> QuerySet[Session]:
    return (
        Session.objects.filter(delivery__in=Delivery.objects.filter(trainers=user).values("pk"))
        .select_related("delivery__course", "delivery__region", "venue", "delivery__venue")
        .order_by("starts_at")
    )


def deliveries_planned_by(user: User | AnonymousUser) -> QuerySet[Delivery]:
    """Deliveries whose plan, sessions and roster a user may change: staff all, coordinators their regions."""
    return deliveries_in_managed_regions(user).select_related("course", "region__country", "venue", "project")


def completion_counts(delivery: Delivery) -> dict[str, int]:
    """How many of the delivery's enrolments were decided completed and not completed."""
    counts = dict(
        Enrolment.objects.filter(delivery=delivery, status__in=DECIDED_ENROLMENT_STATUSES)
        .values_list("status")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return {
        "completed": counts.get(Enrolment.Status.COMPLETED, 0),
        "not_completed": counts.get(Enrolment.Status.NOT_COMPLETED, 0),
    }
