"""Who may print personal-code slips, and what the slips carry."""

import re

import pytest
from django.urls import reverse

from accounts.models import PersonalCode
from accounts.personal_codes import user_for_code
from accounts.roles import Role
from accounts.tests.factories import user_with_role
from courses.tests.factories import DeliveryFactory, EnrolmentFactory, ParticipantFactory, region

pytestmark = pytest.mark.django_db
CODE_PATTERN = re.compile(r"<code>([A-Z0-9]{4}-[A-Z0-9]{4})</code>")


@pytest.fixture
def delivery_with_trainer():
    trainer = user_with_role(Role.TRAINER)
    delivery = DeliveryFactory(region=region("TJ-SU"), trainers=[trainer])
    participant = ParticipantFactory(full_name="Ғафурова Маҳина")
    EnrolmentFactory(delivery=delivery, participant=participant)
    return delivery, trainer, participant


def test_trainer_prints_a_slip_whose_code_signs_the_participant_in(client, delivery_with_trainer):
    _delivery, trainer, participant = delivery_with_trainer
    client.force_login(trainer)
    response = client.post(reverse("personal_codes:participant", args=[participant.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Ғафурова Маҳина" in html
    code = CODE_PATTERN.search(html).group(1)
    participant.refresh_from_db()
    assert user_for_code(code) == participant.user
    assert participant.user.groups.filter(name=Role.TRAINEE).exists()


def test_delivery_slips_keep_existing_codes_unless_replaced(client, delivery_with_trainer):
    delivery, trainer, _participant = delivery_with_trainer
    EnrolmentFactory(delivery=delivery)
    client.force_login(trainer)
    url = reverse("personal_codes:delivery", args=[delivery.pk])
    assert len(CODE_PATTERN.findall(client.post(url).content.decode())) == 2
    assert len(CODE_PATTERN.findall(client.post(url).content.decode())) == 0
    assert len(CODE_PATTERN.findall(client.post(url, {"replace": "on"}).content.decode())) == 2
    assert PersonalCode.objects.count() == 2


@pytest.mark.parametrize(
    "role", [Role.TRAINER, Role.REGIONAL_COORDINATOR, Role.TRAINEE, Role.CURRICULUM_EDITOR]
)
def test_people_outside_the_delivery_get_404_and_no_code_is_issued(client, delivery_with_trainer, role):
    delivery, _trainer, participant = delivery_with_trainer
    outsider = user_with_role(role)
    region("KG-O").coordinators.add(outsider)
    client.force_login(outsider)
    assert client.post(reverse("personal_codes:participant", args=[participant.pk])).status_code == 404
    assert client.post(reverse("personal_codes:delivery", args=[delivery.pk])).status_code == 404
    assert not PersonalCode.objects.exists()


def test_anonymous_visitor_is_sent_to_log_in(client, delivery_with_trainer):
    _delivery, _trainer, participant = delivery_with_trainer
    response = client.post(reverse("personal_codes:participant", args=[participant.pk]))
    assert response.status_code == 302
    assert not PersonalCode.objects.exists()


def test_coordinator_of_the_region_and_staff_may_issue(client, delivery_with_trainer):
    _delivery, _trainer, participant = delivery_with_trainer
    coordinator = user_with_role(Role.REGIONAL_COORDINATOR)
    region("TJ-SU").coordinators.add(coordinator)
    for user in (coordinator, user_with_role(Role.ME_STAFF)):
        client.force_login(user)
        assert client.post(reverse("personal_codes:participant", args=[participant.pk])).status_code == 200
