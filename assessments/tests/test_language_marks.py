"""A test shown in another language than the page is marked with its `lang` (issue 16, item 4; WCAG 3.1.2)."""

import re

import pytest
from django.conf import settings
from django.urls import reverse

from accounts.roles import Role
from courses.tests.factories import DeliveryFactory, EnrolmentFactory, ParticipantFactory, region

from ..models import Phase
from .factories import make_instrument, open_window, single, trainee_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def trainee_with_an_english_test(make_user):
    trainer = make_user(Role.TRAINER)
    delivery = DeliveryFactory(trainers=[trainer], region=region("TJ-SU"))
    instrument = make_instrument(delivery.course, title="Pre and post test")
    single(instrument, "Who builds trust?")
    participant = EnrolmentFactory(delivery=delivery, participant=ParticipantFactory()).participant
    open_window(delivery, Phase.PRE, trainer)
    return trainee_for(participant), delivery, instrument


def test_a_test_in_another_language_is_marked_with_its_lang(client, trainee_with_an_english_test):
    trainee, delivery, instrument = trainee_with_an_english_test
    assert instrument.locale.language_code == "en"
    client.force_login(trainee)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "tg"
    html = client.get(reverse("assessments:take", args=[delivery.pk, "pre"])).content.decode()
    assert '<html lang="tg"' in html
    assert re.search(r'<legend lang="en">1\. Who builds trust\?</legend>', html)
    assert re.search(r'<span lang="en">[^<]+</span></h1>', html), "the course title is marked too"
    assert '<span lang="en">Who builds trust? option 0</span>' in html


def test_a_test_in_the_pages_language_carries_no_extra_lang(client, trainee_with_an_english_test):
    trainee, delivery, _instrument = trainee_with_an_english_test
    client.force_login(trainee)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = client.get(reverse("assessments:take", args=[delivery.pk, "pre"])).content.decode()
    assert "<legend>1. Who builds trust?</legend>" in html
    main = html[html.index("<main") : html.index("</main>")]
    assert 'lang="en"' not in main
