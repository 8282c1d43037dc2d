"""The dashboard's filter fields are kept for programme staff until one of their options changes
(reports.views.filter_fields_key, issue 18). What must hold: a kept filter reads none of its option
lists and prints what a fresh one prints; a changed option shows on the next request; the values
asked are shown selected; a coordinator's own regions are never taken from a kept copy."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.roles import Role
from accounts.tests.factories import user_with_role
from courses.tests.factories import ProjectFactory, region
from curriculum.content_cache import note_content_changed

pytestmark = pytest.mark.django_db

OPTION_TABLES = (
    'FROM "courses_country"',
    'FROM "courses_region"',
    'FROM "courses_project"',
    'FROM "curriculum_coursepage"',
)


def filter_fields(html: str) -> str:
    return re.search(r'<div class="report-filters__fields">(.*?)</div>\s*<p><button', html, flags=re.S).group(
        1
    )


def test_a_kept_filter_reads_none_of_its_option_lists(client, programme):
    client.force_login(user_with_role(Role.ME_STAFF))
    url = reverse("reports:dashboard")
    client.get(url)
    note_content_changed()  # as any change to an option does: the next request prints the fields
    with CaptureQueriesContext(connection) as printed:
        first = filter_fields(client.get(url).text)
    with CaptureQueriesContext(connection) as kept:
        second = filter_fields(client.get(url).text)
    assert second == first and "Sughd" in first
    assert [
        q
        for q in printed
        if q["sql"].lstrip().startswith("SELECT") and any(t in q["sql"] for t in OPTION_TABLES)
    ]
    assert not [q["sql"][:80] for q in kept if any(table in q["sql"] for table in OPTION_TABLES)]


def test_a_new_project_and_the_values_asked_show_on_the_next_request(client, programme):
    client.force_login(user_with_role(Role.ME_STAFF))
    url = reverse("reports:dashboard")
    client.get(url)
    ProjectFactory(code="NEW-1", name="A project added later")
    assert "NEW-1" in filter_fields(client.get(url).text)
    asked = filter_fields(client.get(url, {"region": "TJ-SU", "audience": "police"}).text)
    assert re.search(r'<option value="TJ-SU" selected>', asked)
    assert re.search(r'<option value="police" selected>', asked)
    unfiltered = filter_fields(client.get(url).text)
    assert 'value="TJ-SU" selected' not in unfiltered and 'value="police" selected' not in unfiltered


def test_a_coordinator_is_offered_their_own_regions_only(client, programme):
    client.force_login(user_with_role(Role.ME_STAFF))
    client.get(reverse("reports:dashboard"))  # a staff copy, with every region, is kept
    coordinator = user_with_role(Role.REGIONAL_COORDINATOR)
    region("TJ-DU").coordinators.add(coordinator)
    client.force_login(coordinator)
    fields = filter_fields(client.get(reverse("reports:dashboard")).text)
    regions = re.search(r'<select name="region".*?</select>', fields, flags=re.S).group(0)
    assert 'value="TJ-DU"' in regions and 'value="TJ-SU"' not in regions
