"""The scheduling rules, each defined once: active enrolments, held sessions, when a delivery may be
completed, and who may see or manage which deliveries, regions and participants.

Selectors, services, views, reports and PDFs import these; where a rule is needed both on a
Python object and in a query, the function and its query expression sit side by side and
courses/tests/test_rules.py feeds both the same table of cases.
"""

from collections.abc import Iterable
from datetime import datetime

from django.contrib.auth.models import AnonymousUser, User
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy

from accounts import roles

from .models import Delivery, Enrolment, Participant, Region, Session

# Active enrolment -----------------------------------------------------------------------------------

# Holding a seat: on the roster, marked, tested, decided and counted in reports. Waitlisted and
# withdrawn people are none of these.
ACTIVE_ENROLMENT_STATUSES = (
    Enrolment.Status.ENROLLED,
    Enrolment.Status.COMPLETED,
    Enrolment.Status.NOT_COMPLETED,
)
# The completion decision has been taken (courses ← assessments writes it when a delivery completes).
DECIDED_ENROLMENT_STATUSES = (Enrolment.Status.COMPLETED, Enrolment.Status.NOT_COMPLETED)


def is_active_enrolment(status: str) -> bool:
    return status in ACTIVE_ENROLMENT_STATUSES


def active_enrolment_q(prefix: str = "") -> Q:
    """The same rule on an Enrolment (or through `prefix`, e.g. "enrolments__")."""
    return Q(**{f"{prefix}status__in": ACTIVE_ENROLMENT_STATUSES})


def inactive_enrolment_refusal(status: str | None) -> str:
    """Why someone who is not an active participant of a delivery may not act in it (check in, take a
    test, have marks or paper answers entered), in the reader's language."""
    if status == Enrolment.Status.WITHDRAWN:
        return str(NOT_ACTIVE_WITHDRAWN)
    if status == Enrolment.Status.WAITLISTED:
        return str(NOT_ACTIVE_WAITLISTED)
    return str(NOT_ACTIVE_NOT_ENROLLED)


NOT_ACTIVE_WITHDRAWN = gettext_lazy(
    "This enrolment was withdrawn, so it can no longer be used in this delivery."
)
NOT_ACTIVE_WAITLISTED = gettext_lazy(
    "This participant is on the waiting list; they take part once a place is free and they are enrolled."
)
NOT_ACTIVE_NOT_ENROLLED = gettext_lazy("This participant is not enrolled in this delivery.")


# Held sessions --------------------------------------------------------------------------------------


def is_held(*, session_status: str, starts_at: datetime, delivery_status: str, now: datetime) -> bool:
    """A session took place: it has started, is not cancelled, and its delivery is not cancelled.

    A cancelled delivery has no held sessions, whatever its sessions say.
    """
    return (
        session_status != Session.Status.CANCELLED
        and delivery_status != Delivery.Status.CANCELLED
        and starts_at <= now
    )


def held_session_q(*, now: datetime, prefix: str = "") -> Q:
    """is_held on a Session (or through `prefix`, e.g. "session__")."""
    return (
        ~Q(**{f"{prefix}status": Session.Status.CANCELLED})
        & ~Q(**{f"{prefix}delivery__status": Delivery.Status.CANCELLED})
        & Q(**{f"{prefix}starts_at__lte": now})
    )


def is_planned(*, session_status: str, delivery_status: str) -> bool:
    """A session that counts for the delivery at all (held, or still to come): not cancelled."""
    return session_status != Session.Status.CANCELLED and delivery_status != Delivery.Status.CANCELLED


def planned_session_q(prefix: str = "") -> Q:
    return ~Q(**{f"{prefix}status": Session.Status.CANCELLED}) & ~Q(
        **{f"{prefix}delivery__status": Delivery.Status.CANCELLED}
    )


def sessions_still_to_end(sessions: Iterable[Session], *, now: datetime) -> list[Session]:
    """The sessions that stop a delivery being completed: not cancelled and not yet ended."""
    return [
        session
        for session in sessions
        if session.status != Session.Status.CANCELLED and session.ends_at > now
    ]


def may_complete(*, delivery: Delivery, now: datetime) -> bool:
    """A delivery can be completed once every one of its non-cancelled sessions has ended."""
    return delivery.status != Delivery.Status.CANCELLED and not sessions_still_to_end(
        delivery.sessions.all(), now=now
    )


# Access scopes --------------------------------------------------------------------------------------
# "Own" in DESIGN.md's roles table means the queryset is scoped: every view that opens a delivery,
# session or participant by id goes through one of these, so an object outside the scope answers 404.


def delivery_scope_q(user: User | AnonymousUser, prefix: str = "") -> Q | None:
    """The Q a user's visible deliveries satisfy (None: every delivery), with `prefix` for related lookups.

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
    """Deliveries whose roster, attendance, paper tests and results a user may change or read:
    staff all, coordinators their regions', trainers their own (never a trainee's)."""
    if roles.is_programme_staff(user):
        return Delivery.objects.all()
    condition = Q(pk__in=[])
    if user.is_authenticated and roles.is_regional_coordinator(user):
        condition |= Q(region__coordinators=user)
    if user.is_authenticated and roles.is_trainer(user):
        condition |= Q(trainers=user)
    return Delivery.objects.filter(pk__in=Delivery.objects.filter(condition).values("pk"))


def _coordinates_region_of(user: User, delivery: Delivery) -> bool:
    return Region.objects.filter(pk=delivery.region_id, coordinators=user).exists()


def plans_delivery(user: User | AnonymousUser, delivery: Delivery) -> bool:
    """deliveries_in_managed_regions for one delivery: no query for staff, trainers and trainees."""
    if roles.is_programme_staff(user):
        return True
    return (
        user.is_authenticated
        and roles.is_regional_coordinator(user)
        and _coordinates_region_of(user, delivery)
    )


def manages_delivery(user: User | AnonymousUser, delivery: Delivery, *, trainer_ids: Iterable[int]) -> bool:
    """deliveries_managed_by for one delivery whose trainers' ids the caller has read already (a
    delivery's page prints them): a query only for a coordinator who does not train it."""
    if roles.is_programme_staff(user):
        return True
    if not user.is_authenticated:
        return False
    if roles.is_trainer(user) and user.pk in set(trainer_ids):
        return True
    return roles.is_regional_coordinator(user) and _coordinates_region_of(user, delivery)


def regions_managed_by(user: User | AnonymousUser) -> QuerySet[Region]:
    """Regions where a user may plan deliveries, keep participants and report: staff all,
    coordinators their own, nobody else."""
    regions = Region.objects.select_related("country")
    if roles.is_programme_staff(user):
        return regions
    if user.is_authenticated and roles.is_regional_coordinator(user):
        return regions.filter(coordinators=user)
    return regions.none()


def deliveries_in_managed_regions(user: User | AnonymousUser) -> QuerySet[Delivery]:
    """Deliveries a user may plan and report on: those of regions_managed_by.

    Narrower than deliveries_managed_by on purpose: a coordinator who also trains plans and
    reports on their regions only, not on deliveries they run elsewhere.
    """
    if roles.is_programme_staff(user):
        return Delivery.objects.all()
    return Delivery.objects.filter(region__in=regions_managed_by(user).values("pk"))


def participants_visible_to(user: User | AnonymousUser) -> QuerySet[Participant]:
    """Whose personal data a user may see: staff everyone; coordinators people of their regions or on
    their regions' deliveries; trainers the people on their deliveries."""
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
