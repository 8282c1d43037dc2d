"""The walk-in form under every roster is printed once per country and language, and kept until an
organisation changes (attendance.views.walk_in_fields_key, the receiver in attendance/apps.py)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.roles import Role
from courses.models import Country
from courses.tests.factories import OrganisationFactory, region

from .factories import make_roster

pytestmark = pytest.mark.django_db


@pytest.fixture
def trainer(make_user):
    return make_user(Role.TRAINER)


def _roster_page(client, roster, **headers) -> str:
    response = client.get(f"/sessions/{roster.session.pk}/attendance/", headers=headers)
    assert response.status_code == 200
    return response.content.decode()


def test_a_kept_form_reads_no_organisations(client, trainer):
    roster = make_roster(2, trainers=[trainer])
    OrganisationFactory(name="ОВД Пенджикент")
    client.force_login(trainer)
    first = _roster_page(client, roster)
    with CaptureQueriesContext(connection) as queries:
        again = _roster_page(client, roster)
    assert "ОВД Пенджикент" in first and "ОВД Пенджикент" in again
    assert not [query for query in queries.captured_queries if 'FROM "courses_organisation"' in query["sql"]]


def test_a_new_or_renamed_organisation_shows_on_the_next_roster(client, trainer):
    roster = make_roster(2, trainers=[trainer])
    client.force_login(trainer)
    assert "ОВД Исфара" not in _roster_page(client, roster)
    organisation = OrganisationFactory(name="ОВД Исфара")
    assert "ОВД Исфара" in _roster_page(client, roster)
    organisation.name = "ОВД города Исфара"
    organisation.save()
    assert "ОВД города Исфара" in _roster_page(client, roster)
    organisation.delete()
    assert "Исфара" not in _roster_page(client, roster)


def test_each_country_and_language_keeps_its_own_form(client, trainer):
    tajik = make_roster(1, trainers=[trainer])
    kyrgyz = make_roster(1, trainers=[trainer], region=region("KG-C"))
    OrganisationFactory(name="ОВД Худжанд")
    OrganisationFactory(name="ОВД Токмок", country=Country.objects.get(iso_code="KG"), region=region("KG-C"))
    client.force_login(trainer)
    tajik_page, kyrgyz_page = _roster_page(client, tajik), _roster_page(client, kyrgyz)
    assert "ОВД Худжанд" in tajik_page and "ОВД Токмок" not in tajik_page
    assert "ОВД Токмок" in kyrgyz_page and "ОВД Худжанд" not in kyrgyz_page
    english = _roster_page(client, tajik, accept_language="en")
    russian = _roster_page(client, tajik, accept_language="ru")
    assert '<label for="walkin_full_name">Full name:</label>' in english
    assert '<label for="walkin_full_name">Full name:</label>' not in russian
    assert '<label for="walkin_full_name">Ф. И. О.' in russian


def test_a_refused_walk_in_comes_back_with_its_errors_and_the_next_roster_without(client, trainer):
    roster = make_roster(1, trainers=[trainer])
    client.force_login(trainer)
    _roster_page(client, roster)  # keeps the empty form
    refused = client.post(
        f"/sessions/{roster.session.pk}/attendance/walk-in/",
        {"full_name": "Саидова Мадина", "sex": "female", "audience": "nobody"},
    )
    assert refused.status_code == 400
    assert 'value="Саидова Мадина"' in refused.content.decode()
    assert "errorlist" in refused.content.decode()
    again = _roster_page(client, roster)
    assert "Саидова Мадина" not in again and 'id="walkin_full_name"' in again
