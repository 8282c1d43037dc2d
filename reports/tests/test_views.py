"""Access to /reports/ and its exports, the page's content, and its fixed number of queries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.roles import Role
from accounts.tests.factories import user_with_role
from courses.tests.factories import region
from reports.facts import facts_refresh
from reports.tests.programme import build_programme

pytestmark = pytest.mark.django_db

REPORT_URLS = ["reports:dashboard", "reports:export_xlsx", "reports:export_pdf", "reports:export_csv"]


@pytest.mark.parametrize("url_name", REPORT_URLS)
def test_anonymous_visitor_is_sent_to_log_in(client, url_name):
    response = client.get(reverse(url_name))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.parametrize("url_name", REPORT_URLS)
@pytest.mark.parametrize("role", [Role.TRAINER, Role.TRAINEE, Role.CURRICULUM_EDITOR, Role.CURRICULUM_LEAD])
def test_roles_without_reports_are_denied(client, url_name, role):
    client.force_login(user_with_role(role))
    assert client.get(reverse(url_name)).status_code == 403


@pytest.mark.parametrize("role", [None, Role.ME_STAFF, Role.REGIONAL_COORDINATOR])
def test_staff_admins_and_coordinators_open_the_dashboard(client, role):
    client.force_login(user_with_role(role))
    response = client.get(reverse("reports:dashboard"))
    assert response.status_code == 200
    assert "No training matched these filters" in response.content.decode()


def test_dashboard_shows_figures_statements_and_accessible_charts(client, programme):
    client.force_login(user_with_role(Role.ME_STAFF))
    html = client.get(reverse("reports:dashboard"), {"country": "TJ"}).content.decode()
    assert (
        "In Tajikistan, 2 training courses were delivered, and 2 people (1 of them a woman) were trained in 2 of 5 regions."
        in html
    )
    assert "In training now (deliveries still running)" in html
    assert html.count("<svg") == 3
    assert html.count("<title id=") == 3 and html.count("<desc id=") == 3
    assert "Table behind this chart" in html
    assert "no test data" in html  # no attempts in the hand-built programme
    assert "?country=TJ" in html  # exports keep the filters


def test_coordinator_never_sees_another_regions_figures(client, programme):
    coordinator = user_with_role(Role.REGIONAL_COORDINATOR)
    region("TJ-DU").coordinators.add(coordinator)
    client.force_login(coordinator)
    html = client.get(reverse("reports:dashboard"), {"region": "TJ-SU"}).content.decode()
    assert "Sughd" not in html.split('id="statements-heading"')[1]
    assert "Dushanbe" in html
    csv_text = b"".join(
        client.get(reverse("reports:export_csv"), {"region": "TJ-SU"}).streaming_content
    ).decode()
    assert "TJ-SU" not in csv_text and "TJ-DU" in csv_text


def test_unknown_filter_values_are_reported_and_ignored(client, programme):
    client.force_login(user_with_role(Role.ME_STAFF))
    response = client.get(
        reverse("reports:dashboard"), {"country": "ZZ", "audience": "youth", "date_to": "2025-13-45"}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "were not recognised and were ignored" in html
    assert "youth ambassador" in html


def _dashboard_queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert (
            client.get(reverse("reports:dashboard"), {"country": "TJ", "audience": "police"}).status_code
            == 200
        )
    return len(queries)


def test_dashboard_query_count_does_not_grow_with_data(client, db):
    client.force_login(user_with_role(Role.ME_STAFF))
    # Built once, as on any running site: each request below then rewrites the facts of the
    # records added since the last one (the same statements for few or many).
    facts_refresh()
    build_programme()
    small = _dashboard_queries(client)
    build_programme(extra_people=30)
    assert _dashboard_queries(client) == small


@pytest.mark.parametrize(
    ("role", "shown"), [(Role.ME_STAFF, True), (Role.REGIONAL_COORDINATOR, True), (Role.TRAINER, False)]
)
def test_header_links_reports_for_staff_and_coordinators_only(client, role, shown):
    client.force_login(user_with_role(role))
    html = client.get("/").content.decode()
    assert (f'href="{reverse("reports:dashboard")}"' in html) is shown


def figures_part(html: str) -> str:
    """The dashboard drawn from the figures: statements to breakdowns (the rest has a CSRF token)."""
    start = html.index('<section aria-labelledby="statements-heading">')
    return html[start : html.index('<section aria-labelledby="exports-heading">')]


def test_staff_dashboard_draws_its_figures_once_until_the_records_change(client, programme, monkeypatch):
    from attendance.models import AttendanceRecord, AttendanceStatus
    from reports import views

    drawn = []
    statements = views.results_statements
    monkeypatch.setattr(views, "results_statements", lambda *args: drawn.append(1) or statements(*args))
    client.force_login(user_with_role(Role.ME_STAFF))
    url = reverse("reports:dashboard")

    first = client.get(url).content.decode()
    again = client.get(url).content.decode()
    assert len(drawn) == 1, "the second request reuses the part drawn from the same figures"
    assert figures_part(again) == figures_part(first)
    assert "report-chart__bar" in figures_part(first)

    # p4 was absent from every D1 session: now present at one. The next page is drawn anew.
    record = AttendanceRecord.objects.filter(participant=programme["people"]["p4"]).first()
    AttendanceRecord.objects.filter(pk=record.pk).update(status=AttendanceStatus.PRESENT)
    changed = client.get(url).content.decode()
    assert len(drawn) == 2
    assert figures_part(changed) != figures_part(first)
