"""The roles of DESIGN.md, as Django group names, and the questions views ask about a user.

Views never compare group names themselves; they ask these helpers, so that a
role's meaning lives in one place.
"""

from enum import StrEnum

from django.contrib.auth.models import AnonymousUser, User
from django.db import connections, router


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
        cached = _load_roles(user)
    return cached


def may_open_admin(user: User | AnonymousUser) -> bool:
    """Whether the Wagtail admin lets the user in (its `wagtailadmin.access_admin` permission, given
    to the user or one of their groups; superusers always), read with the roles in the same query.

    For showing the link in every page's header: `user.has_perm` loads all of the user's
    permissions in two queries, on every page. The admin itself still checks `has_perm`.
    """
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    cached = getattr(user, "_hamkori_may_open_admin", None)
    if cached is None:
        _load_roles(user)
        cached = user._hamkori_may_open_admin
    return cached


# Every signed-in page asks for the roles (the header's links) and the admin link, so they are read
# together in one statement written out: through the ORM the two queries cost ~1 ms of Python per
# request to compile (issue 18, bench/README.md), the database ~0.05 ms to answer. One row per group
# with whether it grants the admin, and a row without a name when the user holds that permission
# directly.
_ROLES_SQL = """
SELECT g.name, CASE WHEN EXISTS (
    SELECT 1 FROM auth_group_permissions gp
    JOIN auth_permission p ON p.id = gp.permission_id
    JOIN django_content_type ct ON ct.id = p.content_type_id
    WHERE gp.group_id = g.id AND p.codename = %(codename)s AND ct.app_label = %(app_label)s
) THEN 1 ELSE 0 END
FROM auth_group g JOIN auth_user_groups ug ON ug.group_id = g.id
WHERE ug.user_id = %(user)s
UNION ALL
SELECT NULL, 1 FROM auth_user_user_permissions up
JOIN auth_permission p ON p.id = up.permission_id
JOIN django_content_type ct ON ct.id = p.content_type_id
WHERE up.user_id = %(user)s AND p.codename = %(codename)s AND ct.app_label = %(app_label)s
"""


def _load_roles(user: User) -> frozenset[str]:
    with connections[router.db_for_read(User)].cursor() as cursor:
        cursor.execute(_ROLES_SQL, {"user": user.pk, "codename": "access_admin", "app_label": "wagtailadmin"})
        rows = cursor.fetchall()
    names = frozenset(name for name, _grants_admin in rows if name is not None)
    user._hamkori_role_names = names
    user._hamkori_may_open_admin = any(grants_admin for _name, grants_admin in rows)
    return names


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
