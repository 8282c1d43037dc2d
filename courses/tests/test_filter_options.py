"""The deliveries filter keeps its printed options until one of them changes (issue 18).

Its selects list every country, region, course, project and trainer, the same for everyone; they
are printed once per language and filter values and kept under the content version
(courses.option_lists). What must hold: a kept filter reads none of those lists; any change to an
option shows on the next request; a sign-in changes nothing; what the filter finds is never kept.
"""

import re

import pytest
from django.contrib.auth.models import Group, User, update_last_login
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.roles import Role
from accounts.tests.factories import user_with_role
from courses.tests.factories import DeliveryFactory, ProjectFactory, make_course, region
from curriculum.content_cache import content_version, note_content_changed

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(client):
    client.force_login(user_with_role(Role.ME_STAFF, username="mestaff"))
    return client


def filter_form(html: str) -> str:
    start = html.index('<form method="get"')
    return html[start : html.index("</form>", start)]


def test_a_kept_filter_reads_none_of_its_option_lists(staff_client):
    DeliveryFactory(course=make_course("Хуҷанд курс"))
    staff_client.get("/deliveries/")
    note_content_changed()  # as any change to an option does: the next request prints the fields
    with CaptureQueriesContext(connection) as printed:
        first = filter_form(staff_client.get("/deliveries/").text)
    with CaptureQueriesContext(connection) as kept:
        second = filter_form(staff_client.get("/deliveries/").text)
    assert second == first
    # Countries, regions, courses, projects and trainers: five lists not read; nor the rows' course
    # titles, countries and projects, kept under the same version
    # (curriculum.selectors.live_course_versions, courses.selectors.attach_countries_and_projects).
    assert len(kept) == len(printed) - 8, ([q["sql"][:60] for q in printed], [q["sql"][:60] for q in kept])
    assert not [q for q in kept if 'FROM "courses_region"' in q["sql"]]


def test_a_renamed_region_shows_in_the_filter(staff_client):
    staff_client.get("/deliveries/")
    sughd = region("TJ-SU")
    sughd.name = "Sughd (renamed)"
    sughd.save()
    assert "Sughd (renamed)" in filter_form(staff_client.get("/deliveries/").text)


def test_a_new_project_shows_in_the_filter(staff_client):
    staff_client.get("/deliveries/")
    ProjectFactory(code="NEW-001")
    assert 'value="NEW-001"' in filter_form(staff_client.get("/deliveries/").text)


def test_a_new_trainer_and_a_renamed_one_show_in_the_filter(staff_client):
    staff_client.get("/deliveries/")
    trainer = user_with_role(Role.TRAINER, username="new-trainer")
    assert f'value="{trainer.pk}"' in filter_form(staff_client.get("/deliveries/").text)
    trainer.first_name, trainer.last_name = "Нигора", "Каримова"
    trainer.save()
    assert "Нигора Каримова" in filter_form(staff_client.get("/deliveries/").text)
    trainer.groups.remove(Group.objects.get(name=Role.TRAINER))
    assert f'value="{trainer.pk}"' not in filter_form(staff_client.get("/deliveries/").text)


def test_the_chosen_values_are_shown_selected(staff_client):
    staff_client.get("/deliveries/")
    form = filter_form(staff_client.get("/deliveries/", {"region": "TJ-SU"}).text)
    assert re.search(r'<option value="TJ-SU" selected>', form)
    assert 'value="TJ-SU" selected' not in filter_form(staff_client.get("/deliveries/").text)


def test_a_sign_in_keeps_the_version():
    user = user_with_role(Role.TRAINER, username="trainer")
    before = content_version()
    update_last_login(sender=User, user=user)  # what every sign-in does: saves last_login only
    assert content_version() == before


def test_what_the_filter_finds_is_never_kept(staff_client):
    first = DeliveryFactory(course=make_course("Хуҷанд курс"))
    assert f"/deliveries/{first.pk}/" in staff_client.get("/deliveries/").text
    second = DeliveryFactory(course=make_course("Ош курсу"))
    html = staff_client.get("/deliveries/").text
    assert f"/deliveries/{first.pk}/" in html and f"/deliveries/{second.pk}/" in html


def test_the_form_is_built_only_when_something_asks_for_it(rf):
    """A kept, unfiltered list needs no form: DeliveryFilter builds it when first asked for, with
    its light selects, and a filtered list (which validates its values) still gets one."""
    from core.widgets import LightSelect
    from courses.filters import DeliveryFilter
    from courses.models import Delivery

    DeliveryFactory()
    unfiltered = DeliveryFilter(None, queryset=Delivery.objects.all(), request=rf.get("/deliveries/"))
    assert len(unfiltered.qs) == 1
    assert not hasattr(unfiltered, "_form")
    assert type(unfiltered.form.fields["country"].widget) is LightSelect
    assert unfiltered.form is unfiltered.form

    filtered = DeliveryFilter(
        {"status": "open"}, queryset=Delivery.objects.all(), request=rf.get("/deliveries/?status=open")
    )
    assert len(filtered.qs) == 1 and filtered.form.is_valid()
    assert type(filtered.form.fields["region"].widget) is LightSelect
