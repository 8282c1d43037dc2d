"""Which test a delivery takes is kept under the content version (assessments.selectors
.instrument_for_delivery): asked once, then again only after a change to the tests."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import Locale

from assessments.selectors import instrument_for_delivery
from assessments.tests.factories import make_instrument
from courses.tests.factories import DeliveryFactory
from curriculum.tests.factories import make_course

pytestmark = pytest.mark.django_db


def _instrument_reads(queries) -> list[str]:
    return [query["sql"] for query in queries.captured_queries if "assessments_instrument" in query["sql"]]


def test_the_deliverys_test_is_read_once_then_kept_until_a_test_changes():
    english = make_instrument(title="Before and after")
    delivery = DeliveryFactory(course=english.course, language="ru")
    assert instrument_for_delivery(delivery) == english  # no Russian test yet: the one there is
    with CaptureQueriesContext(connection) as kept:
        assert instrument_for_delivery(delivery) == english
    assert _instrument_reads(kept) == []

    russian_locale, _created = Locale.objects.get_or_create(language_code="ru")
    russian = english.copy_for_translation(russian_locale)
    russian.title = "До и после"
    russian.save()  # a change to the tests replaces the version: the next read sees it
    with CaptureQueriesContext(connection) as after_change:
        assert instrument_for_delivery(delivery) == russian
    assert len(_instrument_reads(after_change)) == 1
    assert instrument_for_delivery(DeliveryFactory(course=english.course, language="en")) == english


def test_a_course_without_a_test_is_kept_as_having_none():
    delivery = DeliveryFactory(course=make_course(title="No test here"))
    assert instrument_for_delivery(delivery) is None
    with CaptureQueriesContext(connection) as kept:
        assert instrument_for_delivery(delivery) is None
    assert _instrument_reads(kept) == []
