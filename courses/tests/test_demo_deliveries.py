"""The scheduling demo covers both countries and every status, and a second run adds nothing."""

import pytest

from courses import demo, demo_deliveries
from courses.models import Delivery, Enrolment, Session

pytestmark = pytest.mark.django_db


def _log(message: str) -> None:
    pass


def test_demo_deliveries_cover_every_status_both_countries_and_are_idempotent():
    from accounts import demo as accounts_demo

    context = accounts_demo.load(log=_log, context={}) or {}
    context.update(demo.load(log=_log, context=context) or {})
    demo_deliveries.load(log=_log, context=context)
    counts = (Delivery.objects.count(), Session.objects.count(), Enrolment.objects.count())
    demo_deliveries.load(log=_log, context=context)
    assert (Delivery.objects.count(), Session.objects.count(), Enrolment.objects.count()) == counts
    assert set(Delivery.objects.values_list("status", flat=True)) == set(Delivery.Status.values)
    assert set(Delivery.objects.values_list("country__iso_code", flat=True)) == {"TJ", "KG"}
    assert Enrolment.objects.filter(status="waitlisted").exists()
    cancelled = Delivery.objects.get(status="cancelled")
    assert cancelled.cancellation_reason
    assert not cancelled.sessions.filter(status="scheduled").exists()
