"""Reads for scheduling views and the apps above: querysets already scoped to what a user may see.

"Own" in DESIGN.md's roles table means the queryset is scoped, so every view
that opens a delivery or session by id goes through these functions; an
object outside the scope then answers 404 instead of someone else's data.
"""

from datetime import datetime

from django.contrib.auth.models import AnonymousUser, User
from django.db.models import Count, F, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from accounts import roles

from .models import Delivery, Enrolment, Participant, Region, Session


def delivery_scope_q(user: User | AnonymousUser, prefix: str = "") -> Q | None:
    """The Q a user's deliveries satisfy (None: every delivery), with `prefix` for related lookups.

    Roles combine: a trainer who also coordinates a region sees both sets.
    """
    if roles.is_programme_staff(user):
        return None
    condition = Q(pk__in=[])
    if not user.is_authenticated:
        return condition
    if roles.is_regional_coordinator(user):
        condition |= Q(**{f"{prefix}region__coordinators": user})
    if roles.is_trainer(user):
        condition |= Q(**{f"{prefix}trainers": user})
    if roles.is_trainee(user):
        condition |= Q(**{f"{prefix}enrolments__participant__user": user})
    return condition


def deliveries_visible_to(user: User | AnonymousUser) -> QuerySet[Delivery]:
    deliveries = Delivery.objects.all()
    condition = delivery_scope_q(user)
    if condition is not None:
        # A join through trainers or enrolments can repeat a row; filter by id to keep one.
        deliveries = deliveries.filter(pk__in=Delivery.objects.filter(condition).values("pk"))
    return deliveries


def deliveries_managed_by(user: User | AnonymousUser) -> QuerySet[Delivery]:
    """Deliveries whose roster, attendance and paper tests a user may change (not a trainee's own)."""
    if roles.is_programme_staff(user):
        return Delivery.objects.all()
    condition = Q(pk__in=[])
    if user.is_authenticated and roles.is_regional_coordinator(user):
        condition |= Q(region__coordinators=user)
    if user.is_authenticated and roles.is_trainer(user):
        condition |= Q(trainers=user)
    return Delivery.objects.filter(pk__in=Delivery.objects.filter(condition).values("pk"))


def sessions_visible_to(user: User | AnonymousUser) -> QuerySet[Session]:
    return Session.objects.filter(delivery__in=deliveries_visible_to(user).values("pk"))


def sessions_managed_by(user: User | AnonymousUser) -> QuerySet[Session]:
    return Session.objects.filter(delivery__in=deliveries_managed_by(user).values("pk"))


# Added for the scheduling workspace ------------------------------------------------------------------


def regions_managed_by(user: User | AnonymousUser) -> QuerySet[Region]:
    """Regions where a user may plan deliveries and keep participants."""
    regions = Region.objects.select_related("country")
    if roles.is_programme_staff(user):
        return regions
    if user.is_authenticated and roles.is_regional_coordinator(user):
        return regions.filter(coordinators=user)
    return regions.none()


def delivery_list(user: User | AnonymousUser) -> QuerySet[Delivery]:
    """The /deliveries/ rows: each with its dates, seat counts and trainers in a fixed number of queries."""
    sessions = Session.objects.filter(delivery=OuterRef("pk"), status=Session.Status.SCHEDULED)
    enrolled = (
        Enrolment.objects.filter(delivery=OuterRef("pk"), status=Enrolment.Status.ENROLLED)
        .order_by()
        .values("delivery")
        .annotate(total=Count("pk"))
        .values("total")
    )
    return (
        deliveries_visible_to(user)
        .select_related("course", "region", "country", "venue", "project")
        .prefetch_related(Prefetch("trainers", queryset=User.objects.order_by("last_name", "first_name")))
        .annotate(
            first_start=Subquery(sessions.order_by("starts_at").values("starts_at")[:1]),
            last_end=Subquery(sessions.order_by("-ends_at").values("ends_at")[:1]),
            enrolled_count=Coalesce(Subquery(enrolled, output_field=IntegerField()), 0),
        )
        .order_by(F("first_start").desc(nulls_last=True), "-pk")
    )


def delivery_detail(user: User | AnonymousUser) -> QuerySet[Delivery]:
    return deliveries_visible_to(user).select_related("course", "region__country", "venue", "project")


def participants_visible_to(user: User | AnonymousUser) -> QuerySet[Participant]:
    """Staff see everyone; coordinators people of their regions or on their deliveries; trainers their rosters."""
    participants = Participant.objects.select_related("organisation", "region")
    if roles.is_programme_staff(user):
        return participants
    condition = Q(pk__in=[])
    if user.is_authenticated and roles.is_regional_coordinator(user):
        condition |= Q(region__coordinators=user)
        condition |= Q(enrolments__delivery__region__coordinators=user)
    if user.is_authenticated and roles.is_trainer(user):
        condition |= Q(enrolments__delivery__trainers=user)
    return participants.filter(pk__in=Participant.objects.filter(condition).values("pk"))


def participants_managed_by(user: User | AnonymousUser) -> QuerySet[Participant]:
    """People a user may enrol, edit and merge: staff everyone, coordinators those of their regions."""
    participants = Participant.objects.select_related("organisation", "region")
    if roles.is_programme_staff(user):
        return participants
    return participants.filter(region__in=regions_managed_by(user).values("pk"))


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
    return Delivery.objects.filter(region__in=regions_managed_by(user).values("pk")).select_related(
        "course", "region__country", "venue", "project"
    )
