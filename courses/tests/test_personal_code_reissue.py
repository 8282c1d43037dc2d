"""Re-issuing a personal code: only by those who may see everything the code opens, audited, and
the old code's sessions end.

Seen on a running system: a trainer re-issued the code of a participant who was also on another
trainer's delivery, signed in as them and read that delivery's scores and certificate.
"""

import re

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from accounts.models import PersonalCode
from accounts.roles import Role
from accounts.tests.factories import user_with_role
from core.models import AuditEvent
from courses.personal_codes import personal_code_issue_for_participant
from courses.tests.factories import DeliveryFactory, EnrolmentFactory, ParticipantFactory, region

pytestmark = pytest.mark.django_db
CODE_PATTERN = re.compile(r"<code>([A-Z0-9]{4}-[A-Z0-9]{4})</code>")
MY_PAGE = "/my/"


@pytest.fixture
def two_deliveries():
    """A participant on trainer A's delivery in Sughd and on trainer B's delivery in Khatlon."""
    trainer_a, trainer_b = user_with_role(Role.TRAINER), user_with_role(Role.TRAINER)
    own = DeliveryFactory(region=region("TJ-SU"), trainers=[trainer_a])
    other = DeliveryFactory(region=region("TJ-KT"), trainers=[trainer_b])
    participant = ParticipantFactory(region=region("TJ-SU"))
    EnrolmentFactory(delivery=own, participant=participant)
    EnrolmentFactory(delivery=other, participant=participant)
    return participant, trainer_a, own


def issue(client, user, participant):
    client.force_login(user)
    return client.post(reverse("personal_codes:participant", args=[participant.pk]))


def test_a_trainer_cannot_reissue_the_code_of_someone_also_on_another_trainers_delivery(
    client, two_deliveries
):
    participant, trainer_a, _own = two_deliveries
    assert issue(client, trainer_a, participant).status_code == 404
    assert not PersonalCode.objects.exists()


def test_a_coordinator_cannot_reissue_for_someone_also_on_another_regions_delivery(client, two_deliveries):
    participant, _trainer, _own = two_deliveries
    coordinator = user_with_role(Role.REGIONAL_COORDINATOR)
    region("TJ-SU").coordinators.add(coordinator)
    assert issue(client, coordinator, participant).status_code == 404
    region("TJ-KT").coordinators.add(coordinator)
    assert issue(client, coordinator, participant).status_code == 200


def test_staff_may_reissue_anyones_code(client, two_deliveries):
    participant, _trainer, _own = two_deliveries
    assert issue(client, user_with_role(Role.ME_STAFF), participant).status_code == 200
    assert issue(client, user_with_role(None), participant).status_code == 200


def test_a_trainer_may_reissue_for_someone_only_on_their_own_deliveries(client):
    trainer = user_with_role(Role.TRAINER)
    participant = EnrolmentFactory(delivery=DeliveryFactory(trainers=[trainer])).participant
    EnrolmentFactory(delivery=DeliveryFactory(trainers=[trainer]), participant=participant)
    assert issue(client, trainer, participant).status_code == 200
    assert issue(client, trainer, participant).status_code == 200


def test_no_code_for_an_account_that_is_more_than_a_trainee(client):
    trainer, colleague = user_with_role(Role.TRAINER), user_with_role(Role.TRAINER)
    participant = EnrolmentFactory(delivery=DeliveryFactory(trainers=[trainer])).participant
    participant.user = colleague
    participant.save()
    assert issue(client, trainer, participant).status_code == 404
    assert not PersonalCode.objects.filter(user=colleague).exists()


def test_the_service_refuses_too(two_deliveries):
    from django.core.exceptions import PermissionDenied

    participant, trainer_a, _own = two_deliveries
    with pytest.raises(PermissionDenied):
        personal_code_issue_for_participant(participant=participant, issued_by=trainer_a)


def test_delivery_slips_leave_out_and_name_people_enrolled_elsewhere(client, two_deliveries):
    participant, trainer_a, own = two_deliveries
    mine = EnrolmentFactory(delivery=own).participant
    client.force_login(trainer_a)
    response = client.post(reverse("personal_codes:delivery", args=[own.pk]), {"replace": "on"})
    assert response.status_code == 200
    assert len(CODE_PATTERN.findall(response.content.decode())) == 1
    mine.refresh_from_db()
    assert list(PersonalCode.objects.values_list("user", flat=True)) == [mine.user_id]
    assert participant.full_name in response.content.decode()  # named as withheld


def test_reissuing_writes_an_audit_row_with_who_did_it(client, two_deliveries):
    participant, _trainer, _own = two_deliveries
    staff = user_with_role(Role.ME_STAFF)
    issue(client, staff, participant)
    issue(client, staff, participant)
    events = AuditEvent.objects.filter(content_type=ContentType.objects.get_for_model(PersonalCode))
    assert events.count() == 2
    assert all(event.actor_id == staff.pk for event in events)


def test_reissuing_signs_out_whoever_used_the_old_code(client, two_deliveries):
    from django.test import Client

    participant, _trainer, _own = two_deliveries
    staff_client = Client()
    old_code = CODE_PATTERN.search(
        issue(staff_client, user_with_role(Role.ME_STAFF), participant).content.decode()
    )
    holder = Client()
    response = holder.post(reverse("accounts:code_login"), {"code": old_code.group(1)})
    assert response.status_code == 302
    assert holder.get(MY_PAGE).status_code == 200
    assert "_auth_user_id" in holder.session

    issue(staff_client, user_with_role(Role.ME_STAFF), participant)
    response = holder.get(MY_PAGE)
    assert response.status_code == 302  # sent to sign in again
    assert "_auth_user_id" not in holder.session


def test_a_code_session_continues_while_its_code_stands(client, two_deliveries):
    from django.test import Client

    participant, _trainer, _own = two_deliveries
    code = CODE_PATTERN.search(issue(Client(), user_with_role(Role.ME_STAFF), participant).content.decode())
    client.post(reverse("accounts:code_login"), {"code": code.group(1)})
    for _request in range(3):
        assert client.get(MY_PAGE).status_code == 200
    assert "_auth_user_id" in client.session
