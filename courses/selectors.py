"""Reads for scheduling views and the apps above: querysets already scoped to what a user may see.

"Own" in DESIGN.md's roles table means the queryset is scoped, so every view
that opens a delivery or session by id goes through these functions; an
object outside the scope then answers 404 instead of someone else's data.
"""

from django.contrib.auth.models import AnonymousUser, User
from django.db.models import Q, QuerySet

from accounts import roles

from .models import Delivery, Session


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
