"""The roles of DESIGN.md, as Django group names, and the questions views ask about a user.

Views never compare group names themselves; they ask these helpers, so that a
role's meaning lives in one place.
"""

from enum import StrEnum

from django.contrib.auth.models import AnonymousUser, User


class Role(StrEnum):
    ME_STAFF = "M&E staff"
    REGIONAL_COORDINATOR = "Regional coordinator"
    CURRICULUM_EDITOR = "Curriculum editor"
    CURRICULUM_LEAD = "Curriculum lead"
    TRAINER = "Trainer"
    TRAINEE = "Trainee"


ALL_ROLES = tuple(Role)


def role_names(user: User | AnonymousUser) -> frozenset[str]:
    """The user's group names, fetched once per request object and cached on it."""
    if not user.is_authenticated:
        return frozenset()
    cached = getattr(user, "_hamkori_role_names", None)
    if cached is None:
        cached = frozenset(user.groups.values_list("name", flat=True))
        user._hamkori_role_names = cached
    return cached


def may_open_admin(user: User | AnonymousUser) -> bool:
    """Whether the Wagtail admin lets the user in (its `wagtailadmin.access_admin` permission, given
    to the user or one of their groups; superusers always), in one query cached on the request's user.

    For showing the link in every page's header: `user.has_perm` loads all of the user's
    permissions in two queries, on every page. The admin itself still checks `has_perm`.
    """
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    cached = getattr(user, "_hamkori_may_open_admin", None)
    if cached is None:
        from django.contrib.auth.models import Permission
        from django.db.models import Q

        cached = (
            Permission.objects.filter(content_type__app_label="wagtailadmin", codename="access_admin")
            .filter(Q(user=user) | Q(group__user=user))
            .exists()
        )
        user._hamkori_may_open_admin = cached
    return cached


def has_role(user: User | AnonymousUser, *roles: Role) -> bool:
    return bool(role_names(user) & {str(role) for role in roles})


def is_programme_staff(user: User | AnonymousUser) -> bool:
    """Admins and M&E staff: every region, every delivery."""
    return user.is_authenticated and (user.is_superuser or has_role(user, Role.ME_STAFF))


def is_regional_coordinator(user: User | AnonymousUser) -> bool:
    return has_role(user, Role.REGIONAL_COORDINATOR)


def is_curriculum_author(user: User | AnonymousUser) -> bool:
    return user.is_authenticated and (
        user.is_superuser or has_role(user, Role.CURRICULUM_EDITOR, Role.CURRICULUM_LEAD)
    )


def is_trainer(user: User | AnonymousUser) -> bool:
    return has_role(user, Role.TRAINER)


def is_trainee(user: User | AnonymousUser) -> bool:
    return has_role(user, Role.TRAINEE)


def can_see_facilitator_notes(user: User | AnonymousUser) -> bool:
    """Everyone who prepares or runs training; never trainees or the public."""
    if not user.is_authenticated:
        return False
    return user.is_superuser or has_role(
        user,
        Role.ME_STAFF,
        Role.REGIONAL_COORDINATOR,
        Role.CURRICULUM_EDITOR,
        Role.CURRICULUM_LEAD,
        Role.TRAINER,
    )


def can_plan_deliveries(user: User | AnonymousUser) -> bool:
    return is_programme_staff(user) or is_regional_coordinator(user)


def can_see_reports(user: User | AnonymousUser) -> bool:
    return is_programme_staff(user) or is_regional_coordinator(user)
