"""The roles of DESIGN.md exist as groups, and navigation follows them."""

import pytest
from django.contrib.auth.models import AnonymousUser, Group

from accounts import roles
from accounts.roles import Role
from accounts.tests.factories import user_with_role

pytestmark = pytest.mark.django_db


def test_every_role_exists_as_a_group():
    assert set(Group.objects.values_list("name", flat=True)) >= {str(role) for role in Role}


@pytest.mark.parametrize(
    ("role", "sees_notes"),
    [
        (None, True),
        (Role.ME_STAFF, True),
        (Role.REGIONAL_COORDINATOR, True),
        (Role.CURRICULUM_EDITOR, True),
        (Role.CURRICULUM_LEAD, True),
        (Role.TRAINER, True),
        (Role.TRAINEE, False),
    ],
)
def test_facilitator_notes_rule_follows_the_roles_table(role, sees_notes):
    assert roles.can_see_facilitator_notes(user_with_role(role)) is sees_notes


def test_anonymous_visitor_has_no_role():
    visitor = AnonymousUser()
    assert not roles.can_see_facilitator_notes(visitor)
    assert not roles.can_plan_deliveries(visitor)
    assert not roles.can_see_reports(visitor)


def test_trainee_and_trainer_are_not_planners_or_report_readers():
    for role in (Role.TRAINEE, Role.TRAINER, Role.CURRICULUM_EDITOR):
        user = user_with_role(role)
        assert not roles.can_plan_deliveries(user)
        assert not roles.can_see_reports(user)


def test_regional_coordinator_plans_and_reads_reports():
    user = user_with_role(Role.REGIONAL_COORDINATOR)
    assert roles.can_plan_deliveries(user)
    assert roles.can_see_reports(user)


def test_role_names_are_fetched_once_per_user_object(django_assert_num_queries):
    user = user_with_role(Role.TRAINER)
    user = type(user).objects.get(pk=user.pk)
    with django_assert_num_queries(1):
        roles.is_trainer(user)
        roles.can_see_facilitator_notes(user)
        roles.can_see_reports(user)
        roles.may_open_admin(user)  # the header's admin link is read with the roles


@pytest.mark.parametrize("role", list(Role))
def test_roles_read_in_one_statement_match_the_groups(role):
    user = user_with_role(role)
    user.groups.add(Group.objects.get_or_create(name="A group of no role")[0])
    user = type(user).objects.get(pk=user.pk)
    assert roles.role_names(user) == frozenset(user.groups.values_list("name", flat=True))
    assert roles.role_names(user) == {str(role), "A group of no role"}


@pytest.mark.parametrize("role", list(Role))
def test_admin_link_follows_the_admin_permission_in_one_query(role, django_assert_num_queries):
    from django.contrib.auth.models import User

    user = user_with_role(role)
    expected = User.objects.get(pk=user.pk).has_perm("wagtailadmin.access_admin")
    with django_assert_num_queries(1):
        assert roles.may_open_admin(user) is expected
        assert roles.may_open_admin(user) is expected  # cached on the user object


def test_admin_link_for_a_permission_given_to_the_user_alone():
    from django.contrib.auth.models import Permission

    user = user_with_role(Role.TRAINEE)
    assert not roles.may_open_admin(user)
    user = type(user).objects.get(pk=user.pk)
    user.user_permissions.add(
        Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")
    )
    assert roles.may_open_admin(user)
    assert not roles.may_open_admin(AnonymousUser())
