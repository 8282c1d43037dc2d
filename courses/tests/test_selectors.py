"""Role scoping: each role sees only the deliveries DESIGN.md gives it."""

import pytest

from accounts.roles import Role
from accounts.tests.factories import user_with_role
from courses.selectors import deliveries_managed_by, deliveries_visible_to
from courses.tests.factories import DeliveryFactory, EnrolmentFactory, ParticipantFactory, region

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_deliveries():
    return DeliveryFactory(region=region("TJ-SU")), DeliveryFactory(region=region("KG-O"))


def test_staff_and_admin_see_every_delivery(two_deliveries):
    for role in (None, Role.ME_STAFF):
        assert set(deliveries_visible_to(user_with_role(role))) == set(two_deliveries)


def test_coordinator_sees_only_their_regions(two_deliveries):
    sughd_delivery, _osh_delivery = two_deliveries
    coordinator = user_with_role(Role.REGIONAL_COORDINATOR)
    region("TJ-SU").coordinators.add(coordinator)
    assert list(deliveries_visible_to(coordinator)) == [sughd_delivery]
    assert list(deliveries_managed_by(coordinator)) == [sughd_delivery]


def test_trainer_sees_only_deliveries_they_run(two_deliveries):
    trainer = user_with_role(Role.TRAINER)
    two_deliveries[1].trainers.add(trainer)
    assert list(deliveries_visible_to(trainer)) == [two_deliveries[1]]


def test_trainee_sees_own_deliveries_but_manages_none(two_deliveries):
    trainee = user_with_role(Role.TRAINEE)
    EnrolmentFactory(delivery=two_deliveries[0], participant=ParticipantFactory(user=trainee))
    assert list(deliveries_visible_to(trainee)) == [two_deliveries[0]]
    assert not deliveries_managed_by(trainee).exists()


def test_roles_without_delivery_access_see_nothing(two_deliveries):
    for role in (Role.CURRICULUM_EDITOR, Role.CURRICULUM_LEAD):
        assert not deliveries_visible_to(user_with_role(role)).exists()
