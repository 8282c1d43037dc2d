"""The countries, regions, ISO codes and time zones of DESIGN.md are seeded exactly."""

import pytest

from courses.models import Country, Region
from courses.reference_data import load_reference_data

pytestmark = pytest.mark.django_db

EXPECTED = {
    "TJ": ("Asia/Dushanbe", {"TJ-DU", "TJ-SU", "TJ-KT", "TJ-GB", "TJ-RA"}),
    "KG": (
        "Asia/Bishkek",
        {"KG-GB", "KG-GO", "KG-B", "KG-C", "KG-Y", "KG-J", "KG-N", "KG-O", "KG-T"},
    ),
}


def test_each_country_has_exactly_its_regions_in_its_time_zone():
    for iso_code, (timezone, region_codes) in EXPECTED.items():
        country = Country.objects.get(iso_code=iso_code)
        assert country.timezone == timezone
        regions = Region.objects.filter(country=country)
        assert set(regions.values_list("iso_code", flat=True)) == region_codes
        assert set(regions.values_list("timezone", flat=True)) == {timezone}


def test_loading_reference_data_again_creates_nothing_and_keeps_staff_edits():
    Region.objects.filter(iso_code="TJ-SU").update(name="Согд")
    assert load_reference_data(Country, Region) == (0, 0)
    assert Region.objects.get(iso_code="TJ-SU").name == "Согд"
    assert Region.objects.count() == 14


def test_region_iso_code_format_is_enforced_by_the_database():
    from django.db import IntegrityError

    with pytest.raises(IntegrityError):
        Region.objects.create(
            country=Country.objects.get(iso_code="TJ"), iso_code="bad", name="x", timezone="UTC"
        )
