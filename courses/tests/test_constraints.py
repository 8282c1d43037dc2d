"""The scheduling invariants hold in the database, whatever code writes the rows."""

from datetime import timedelta

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from courses.models import Country, Delivery, Region, Session, Venue
from courses.tests.factories import make_course

pytestmark = pytest.mark.django_db


@pytest.fixture
def course():
    return make_course()


def _delivery(course, region, country=None, venue=None) -> Delivery:
    return Delivery.objects.create(
        course=course, country=country or region.country, region=region, venue=venue, language="ru"
    )


def test_delivery_region_must_be_in_its_country(course):
    osh = Region.objects.get(iso_code="KG-O")
    with pytest.raises(IntegrityError), transaction.atomic():
        _delivery(course, osh, country=Country.objects.get(iso_code="TJ"))


def test_delivery_venue_must_be_in_its_region(course):
    sughd = Region.objects.get(iso_code="TJ-SU")
    osh_hall = Venue.objects.create(name="Ош, зал УВД", region=Region.objects.get(iso_code="KG-O"))
    with pytest.raises(IntegrityError), transaction.atomic():
        _delivery(course, sughd, venue=osh_hall)
    delivery = _delivery(course, sughd)
    delivery.venue = osh_hall
    with pytest.raises(IntegrityError), transaction.atomic():
        delivery.save()


def test_consistent_delivery_is_accepted(course):
    sughd = Region.objects.get(iso_code="TJ-SU")
    hall = Venue.objects.create(name="Хуҷанд, толори УВД", region=sughd)
    assert _delivery(course, sughd, venue=hall).pk


def test_session_must_end_after_it_starts(course):
    delivery = _delivery(course, Region.objects.get(iso_code="TJ-SU"))
    start = timezone.now()
    with pytest.raises(IntegrityError), transaction.atomic():
        Session.objects.create(delivery=delivery, starts_at=start, ends_at=start - timedelta(hours=1))
