"""A delivery sign-in sheet needs a signature column per session: without sessions it says so."""

import pytest
from django.urls import reverse
from django.utils import translation

from accounts.roles import Role
from accounts.tests.factories import user_with_role
from attendance.pdf import NO_SESSIONS_MESSAGE, delivery_sign_in_sheet
from courses.models import Session
from courses.tests.factories import DeliveryFactory, EnrolmentFactory, SessionFactory
from tests.pdf_text import pdf_text

pytestmark = pytest.mark.django_db


def flat(content: bytes) -> str:
    return "".join(pdf_text(content).split())


def test_a_delivery_without_sessions_prints_a_message_instead_of_a_table(client):
    delivery = DeliveryFactory(language="en")
    participant = EnrolmentFactory(delivery=delivery).participant
    client.force_login(user_with_role(Role.ME_STAFF))
    response = client.get(reverse("attendance:delivery_sheet", args=[delivery.pk]))
    assert response.status_code == 200
    text = flat(response.content)
    assert "".join(NO_SESSIONS_MESSAGE.split()) in text
    assert "".join(participant.full_name.split()) not in text  # no table of names to sign against


def test_only_cancelled_sessions_count_as_none(db):
    delivery = DeliveryFactory(language="en")
    SessionFactory(delivery=delivery, status=Session.Status.CANCELLED)
    assert "".join(NO_SESSIONS_MESSAGE.split()) in flat(delivery_sign_in_sheet(delivery=delivery))


def test_the_message_is_in_the_delivery_language(db):
    delivery = DeliveryFactory(language="ru")
    with translation.override("ru"):
        russian = translation.gettext(NO_SESSIONS_MESSAGE)
    text = flat(delivery_sign_in_sheet(delivery=delivery))
    assert "".join(russian.split()) in text


def test_a_delivery_with_sessions_still_prints_its_table(db):
    delivery = DeliveryFactory(language="en")
    participant = EnrolmentFactory(delivery=delivery).participant
    SessionFactory(delivery=delivery)
    text = flat(delivery_sign_in_sheet(delivery=delivery))
    assert "".join(participant.full_name.split()) in text
    assert "".join(NO_SESSIONS_MESSAGE.split()) not in text
