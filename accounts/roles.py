"""The roles of DESIGN.md, as Django group names, and the questions views ask about a user.

Views never compare group names themselves; they ask these helpers, so that a
role's meaning lives in one place.
"""

import json
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


# The same two answers as columns of another statement: the session's read (accounts.sessions)
# brings the signed-in user with their roles and the admin permission, one statement for all three
# (issue 18). The group names come as one JSON array; a database without one of these aggregates
# gets no columns, and the roles are then read by _load_roles.
_JSON_ARRAY_OF = {"postgresql": "json_agg", "sqlite": "json_group_array"}


def roles_columns_sql(vendor: str, user_id_column: str) -> tuple[str, list] | None:
    """`(SQL of two select-list columns, their parameters)`: the group names of the user whose id is
    in `user_id_column` (a JSON array, NULL or [] without groups) and whether they may open the
    admin (1 or 0); None where `vendor` has no JSON array aggregate."""
    aggregate = _JSON_ARRAY_OF.get(vendor)
    if aggregate is None:
        return None
    sql = f"""
(SELECT {aggregate}(g.name) FROM auth_group g JOIN auth_user_groups ug ON ug.group_id = g.id
 WHERE ug.user_id = {user_id_column}),
CASE WHEN EXISTS (
    SELECT 1 FROM auth_user_groups ug
    JOIN auth_group_permissions gp ON gp.group_id = ug.group_id
    JOIN auth_permission p ON p.id = gp.permission_id
    JOIN django_content_type ct ON ct.id = p.content_type_id
    WHERE ug.user_id = {user_id_column} AND p.codename = %s AND ct.app_label = %s
) OR EXISTS (
    SELECT 1 FROM auth_user_user_permissions up
    JOIN auth_permission p ON p.id = up.permission_id
    JOIN django_content_type ct ON ct.id = p.content_type_id
    WHERE up.user_id = {user_id_column} AND p.codename = %s AND ct.app_label = %s
) THEN 1 ELSE 0 END"""
    return sql, ["access_admin", "wagtailadmin"] * 2


def remember_roles(user: User, names_json, grants_admin) -> None:
    """Keep on `user` what roles_columns_sql's two columns said, as _load_roles would have."""
    if isinstance(names_json, str):  # SQLite's JSON is text; psycopg decodes PostgreSQL's json
        names_json = json.loads(names_json)
    user._hamkori_role_names = frozenset(names_json or ())
    user._hamkori_may_open_admin = bool(grants_admin)


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
