"""The test page and certificate verification name the course in the delivery's language (issue 16, item 1).

Seen on a running system: a Kyrgyz-language delivery's test page and the public
verification of its certificates named the course in English, although the course
has a Russian translation and a Kyrgyz delivery's material falls back to Russian.
"""

import re

import pytest
from django.conf import settings
from django.urls import reverse

from accounts.roles import Role
from courses.tests.factories import DeliveryFactory, EnrolmentFactory, ParticipantFactory
from curriculum.tests.factories import make_course, translate

from .. import services
from ..models import Phase
from .factories import make_instrument, open_window, single, trainee_for

pytestmark = pytest.mark.django_db

ENGLISH = "Community policing"
RUSSIAN = "Общественная полиция"


@pytest.fixture
def kyrgyz_delivery(make_user):
    """A Kyrgyz-language delivery of a course written in English and Russian only, with an open pre-test."""
    course = make_course(title=ENGLISH)
    translate(course, "ru", title=RUSSIAN)
    trainer = make_user(Role.TRAINER)
    delivery = DeliveryFactory(course=course, language="ky", trainers=[trainer])
    single(make_instrument(course, title="Pre and post test"), "Who builds trust?")
    participant = EnrolmentFactory(delivery=delivery, participant=ParticipantFactory()).participant
    open_window(delivery, Phase.PRE, trainer)
    return delivery, participant


@pytest.mark.parametrize("page_language", ["ky", "en"])
def test_the_test_page_names_the_course_in_the_deliverys_language(client, kyrgyz_delivery, page_language):
    delivery, participant = kyrgyz_delivery
    client.force_login(trainee_for(participant))
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = page_language
    html = client.get(reverse("assessments:take", args=[delivery.pk, "pre"])).content.decode()
    heading = re.search(r"<h1>.*?</h1>", html, flags=re.S).group(0)
    assert f'<span lang="ru">{RUSSIAN}</span>' in heading, heading  # marked: not the page's language
    title = re.search(r"<title>(.*?)</title>", html, flags=re.S).group(1)
    assert RUSSIAN in title and ENGLISH not in title


def test_verification_names_the_course_as_the_certificate_does(client, kyrgyz_delivery, make_user):
    delivery, participant = kyrgyz_delivery
    certificate = services.certificate_issue_manual(
        delivery=delivery, participant=participant, reason="exception", issued_by=make_user(None)
    )
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = client.get(reverse("assessments:verify", args=[certificate.display_code])).content.decode()
    assert f'<dd lang="ru">{RUSSIAN}</dd>' in html
    assert ENGLISH not in html
