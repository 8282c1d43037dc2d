"""Numbers beyond the database's range and dates beyond the calendar's answer 404/400, never 500.

Seen on a running system: /results/courses/99999999999999999999/, ?participant=99999999999999999999
and ?date_from=0001-01-01&date_to=9999-12-31 answered 500.
"""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from accounts.tests.factories import user_with_role
from core.converters import MAX_DATABASE_ID, DatabaseIdConverter, database_id

pytestmark = pytest.mark.django_db
HUGE = "99999999999999999999"


@pytest.fixture
def admin_client(client):
    client.raise_request_exception = False
    client.force_login(user_with_role(None))
    return client


@pytest.mark.parametrize(
    "url",
    [
        f"/results/courses/{HUGE}/",
        f"/results/courses/{MAX_DATABASE_ID + 1}/",
        f"/privacy/audit/?participant={HUGE}",
        "/reports/?date_from=0001-01-01&date_to=9999-12-31",
        "/reports/export.pdf?date_from=0001-01-01&date_to=9999-12-31",
        "/reports/export.xlsx?date_from=0001-01-01&date_to=9999-12-31",
        "/reports/export.csv?date_from=0001-01-01&date_to=9999-12-31",
        f"/reports/?region={HUGE}&course={HUGE}&project={HUGE}&country={HUGE}",
        f"/deliveries/?region={HUGE}&course={HUGE}&project={HUGE}&trainer={HUGE}",
        "/deliveries/?start_after=0001-01-01&start_before=9999-12-31",
    ],
)
def test_seen_addresses_answer_a_client_error_not_500(admin_client, url):
    response = admin_client.get(url)
    assert response.status_code in (200, 400, 404), (url, response.status_code)


def test_session_history_filter_with_a_huge_participant_id(admin_client):
    from attendance.tests.factories import make_roster

    roster = make_roster(1)
    response = admin_client.get(f"/sessions/{roster.session.pk}/attendance/history/?participant={HUGE}")
    assert response.status_code == 200


def test_database_id_parses_only_ids_a_row_can_have():
    assert database_id("42") == 42
    assert database_id(str(MAX_DATABASE_ID)) == MAX_DATABASE_ID
    for value in (HUGE, str(MAX_DATABASE_ID + 1), "", None, "-1", "1e3", "٣"):
        assert database_id(value) is None


def _routes(resolver: URLResolver, prefix: str = ""):
    for entry in resolver.url_patterns:
        route = str(entry.pattern)
        if isinstance(entry, URLResolver):
            yield from _routes(entry, prefix + route)
        elif isinstance(entry, URLPattern):
            yield prefix + route, entry


OUR_APPS = ("core", "accounts", "curriculum", "courses", "attendance", "assessments", "reports", "privacy")


def our_patterns():
    for route, entry in _routes(get_resolver()):
        module = getattr(entry.callback, "__module__", "")
        if module.split(".")[0] in OUR_APPS and "<" in route and not route.startswith("^"):
            yield route, entry


def test_every_id_in_our_addresses_uses_the_bounded_converter():
    routes = list(our_patterns())
    assert len(routes) > 20  # the sweep must see our patterns
    unbounded = [route for route, entry in routes if "<int:" in route]
    assert not unbounded, f"use <id:…> (core.converters) for database ids: {unbounded}"
    assert any(
        isinstance(c, DatabaseIdConverter) for _route, e in routes for c in e.pattern.converters.values()
    )


def test_every_address_with_a_huge_id_answers_404(admin_client):
    import re

    checked = 0
    for route, _entry in our_patterns():
        url = "/" + re.sub(r"<id:\w+>", HUGE, route)
        url = re.sub(r"<(?:str|slug):\w+>", "x", url)
        if "<" in url:
            continue
        checked += 1
        for method in ("get", "post"):
            response = getattr(admin_client, method)(url)
            assert response.status_code in (302, 400, 403, 404, 405), (method, url, response.status_code)
    assert checked > 20
