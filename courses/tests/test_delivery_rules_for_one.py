"""A delivery's page asks the planning and managing rules for that one delivery from what it has
read (courses.rules.plans_delivery, manages_delivery; issue 18). They must answer what the scoped
querysets answer, for every role, and the page must still refuse what they refuse."""

import pytest
from django.contrib.auth.models import AnonymousUser

from accounts.roles import Role
from accounts.tests.factories import UserFactory, user_with_role
from courses import rules
from courses.tests.factories import DeliveryFactory, EnrolmentFactory, ParticipantFactory, region

pytestmark = pytest.mark.django_db


@pytest.fixture
def people():
    coordinator_here = user_with_role(Role.REGIONAL_COORDINATOR)
    region("TJ-SU").coordinators.add(coordinator_here)
    coordinator_elsewhere = user_with_role(Role.REGIONAL_COORDINATOR)
    region("KG-C").coordinators.add(coordinator_elsewhere)
    trainer_of_it = user_with_role(Role.TRAINER)
    # Coordinates elsewhere and trains here: manages this one, plans only in their own region.
    coordinating_trainer = UserFactory(roles=[Role.REGIONAL_COORDINATOR, Role.TRAINER])
    region("KG-C").coordinators.add(coordinating_trainer)
    listed_without_the_role = user_with_role(Role.CURRICULUM_EDITOR)
    trainee = user_with_role(Role.TRAINEE)
    delivery = DeliveryFactory(
        region=region("TJ-SU"), trainers=[trainer_of_it, coordinating_trainer, listed_without_the_role]
    )
    EnrolmentFactory(delivery=delivery, participant=ParticipantFactory(user=trainee))
    users = {
        "staff": user_with_role(Role.ME_STAFF),
        "coordinator of its region": coordinator_here,
        "coordinator elsewhere": coordinator_elsewhere,
        "its trainer": trainer_of_it,
        "another trainer": user_with_role(Role.TRAINER),
        "coordinator elsewhere who trains it": coordinating_trainer,
        "listed as trainer without the role": listed_without_the_role,
        "its trainee": trainee,
        "curriculum editor": user_with_role(Role.CURRICULUM_EDITOR),
        "anonymous": AnonymousUser(),
    }
    return delivery, users


def test_the_rules_for_one_delivery_answer_as_the_querysets(people):
    delivery, users = people
    trainer_ids = list(delivery.trainers.values_list("pk", flat=True))
    answers = {}
    for name, user in users.items():
        plans = rules.deliveries_in_managed_regions(user).filter(pk=delivery.pk).exists()
        manages = rules.deliveries_managed_by(user).filter(pk=delivery.pk).exists()
        assert rules.plans_delivery(user, delivery) == plans, name
        assert rules.manages_delivery(user, delivery, trainer_ids=trainer_ids) == manages, name
        answers[name] = (plans, manages)
    # The cases differ, so the comparison above covers each branch.
    assert answers["staff"] == (True, True)
    assert answers["coordinator of its region"] == (True, True)
    assert answers["its trainer"] == answers["coordinator elsewhere who trains it"] == (False, True)
    assert answers["coordinator elsewhere"] == answers["listed as trainer without the role"] == (False, False)
    assert answers["its trainee"] == answers["anonymous"] == (False, False)


def test_the_page_shows_the_roster_and_actions_only_to_whom_the_rules_allow(client, people):
    delivery, users = people
    url = f"/deliveries/{delivery.pk}/"
    expectations = {
        "staff": ("Edit delivery", "Attendance and completion"),
        "coordinator of its region": ("Edit delivery", "Attendance and completion"),
        "its trainer": ("Attendance and completion",),
        "its trainee": (),
    }
    for name, shown in expectations.items():
        client.force_login(users[name])
        html = client.get(url, headers={"accept-language": "en"}).text
        for text in ("Edit delivery", "Attendance and completion"):
            assert (text in html) == (text in shown), (name, text)
    client.force_login(users["another trainer"])
    assert client.get(url).status_code == 404
