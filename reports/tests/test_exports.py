"""Exports read back: XLSX with openpyxl, the participant CSV (reconciled with the headline), the PDF via pypdf."""

import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from accounts.roles import Role
from accounts.tests.factories import user_with_role
from reports.exports import neutralise, pseudonym
from reports.selectors import ReportScope, report_figures
from tests.pdf_text import pdf_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(client):
    client.force_login(user_with_role(Role.ME_STAFF))
    return client


def read_csv(client, **params) -> list[dict]:
    response = client.get(reverse("reports:export_csv"), params)
    assert response.status_code == 200
    text = b"".join(response.streaming_content).decode("utf-8").lstrip("\ufeff")
    return list(csv.DictReader(io.StringIO(text)))


@pytest.mark.parametrize(
    "filters", [{}, {"country": "TJ"}, {"audience": "police"}, {"date_from": "2025-05-01"}, {"sex": "female"}]
)
def test_every_headline_figure_reconciles_with_the_participant_csv(staff_client, programme, filters):
    rows = read_csv(staff_client, **filters)
    from reports.filters import ReportFilterSet

    scope = ReportFilterSet(filters, user=user_with_role(Role.ME_STAFF, username="reconciler")).to_scope()
    figures = report_figures(scope)
    reached = {row["participant_id"] for row in rows if row["reached"] == "1"}
    trained = {row["participant_id"] for row in rows if row["trained"] == "1"}
    assert len(reached) == figures.people_reached
    assert len(trained) == figures.people_trained
    assert len(
        {row["participant_id"] for row in rows if row["trained"] == "1" and row["sex"] == "female"}
    ) == (figures.women_trained)
    assert sum(row["trained"] == "1" for row in rows) == figures.course_completions
    assert round(sum(float(row["hours_attended_in_period"]) for row in rows), 1) == figures.participant_hours
    assert len({row["delivery_id"] for row in rows}) <= figures.deliveries_in_scope
    for breakdown in figures.by_sex_audience:
        people = {
            row["participant_id"]
            for row in rows
            if row["trained"] == "1"
            and row["sex"] == breakdown["participant__sex"]
            and row["audience_as_attended"] == breakdown["audience"]
        }
        assert len(people) == breakdown["people_trained"]
    for breakdown in figures.by_region:
        people = {
            row["participant_id"]
            for row in rows
            if row["reached"] == "1" and row["region"] == breakdown["delivery__region__iso_code"]
        }
        assert len(people) == breakdown["people_reached"]


def test_csv_has_names_and_neutralises_formulas(staff_client, programme):
    rows = read_csv(staff_client)
    names = {row["full_name"] for row in rows}
    assert "Раҳимова Гулнора" in names
    assert "'=Қодиров Ҷамшед" in names  # a name starting with = is not a formula
    assert len(rows) == 8  # active enrolments: D1 5 (p5 withdrew), D2 2, D3 1; D4 has held nothing


def test_pseudonymised_csv_drops_names_phones_and_years_with_stable_ids(staff_client, programme):
    rows = read_csv(staff_client, pseudonymised="1")
    assert set(rows[0]) >= {"pseudonym", "sex", "audience_as_attended", "trained"}
    assert not set(rows[0]) & {"participant_id", "full_name", "latin_name", "phone", "year_of_birth"}
    p1 = programme["people"]["p1"]
    assert sum(row["pseudonym"] == pseudonym(p1.pk) for row in rows) == 2
    assert read_csv(staff_client, pseudonymised="1") == rows
    text = "".join(str(row) for row in rows)
    assert "Гулнора" not in text and "+992" not in text


def test_xlsx_has_a_cover_sheet_and_one_sheet_per_breakdown(staff_client, programme):
    response = staff_client.get(reverse("reports:export_xlsx"), {"country": "TJ", "date_from": "2025-01-01"})
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == [
        "Report",
        "Sex and audience",
        "Regions",
        "Regions covered",
        "Deliveries per month",
    ]
    cover = {row[0]: row[1] for row in workbook["Report"].iter_rows(values_only=True) if row and row[0]}
    assert cover["Country"] == "Tajikistan"
    assert cover["From"] == "2025-01-01"
    assert "Generated" in cover
    assert cover["People trained (unique persons)"] == 2
    assert cover["Course completions (one per person per delivery)"] == 3
    assert cover["Certificates issued"] == 0
    regions = list(workbook["Regions"].iter_rows(values_only=True))
    assert regions[0][:2] == ("Country", "Region")
    assert ("Tajikistan", "Sughd", 4, 2, 2) in regions
    assert list(workbook["Regions covered"].iter_rows(values_only=True))[1] == ("Tajikistan", 2, 5)


def test_xlsx_in_russian_keeps_cyrillic(staff_client, programme):
    staff_client.cookies.load({"django_language": "ru"})
    response = staff_client.get(reverse("reports:export_xlsx"), {"country": "TJ"}, HTTP_ACCEPT_LANGUAGE="ru")
    workbook = load_workbook(io.BytesIO(response.content))
    values = [cell for row in workbook.worksheets[0].iter_rows(values_only=True) for cell in row if cell]
    assert any("В Таджикистане" in str(value) for value in values)


def test_pdf_donor_report_keeps_cyrillic(staff_client, programme):
    staff_client.cookies.load({"django_language": "tg"})
    response = staff_client.get(reverse("reports:export_pdf"), {"country": "TJ"}, HTTP_ACCEPT_LANGUAGE="tg")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    assert "Дар Тоҷикистон" in text
    assert "Шумораи омӯзонидашудагон аз рӯи минтақаҳо" in text  # a chart title drawn with reportlab.graphics
    assert "Вилояти Суғд" in text and "Sughd" not in text  # region names in the reader's language


def test_empty_scope_exports_without_errors(staff_client, db):
    for name in ("reports:export_xlsx", "reports:export_pdf"):
        assert staff_client.get(reverse(name), {"date_from": "2090-01-01"}).status_code == 200
    assert read_csv(staff_client, date_from="2090-01-01") == []


@pytest.mark.parametrize(
    ("value", "expected"),
    [("=SUM(A1)", "'=SUM(A1)"), ("+7", "'+7"), ("-1", "'-1"), ("@cmd", "'@cmd"), ("Sughd", "Sughd"), (5, 5)],
)
def test_neutralise_formula_injection(value, expected):
    assert neutralise(value) == expected


def test_scope_dataclass_defaults_are_safe(db):
    assert report_figures(ReportScope(user=user_with_role(Role.ME_STAFF))).people_trained == 0


def test_every_report_export_is_logged_with_who_and_which_filter(staff_client, programme):
    from core.models import AuditEvent

    for name in ("reports:export_xlsx", "reports:export_pdf", "reports:export_csv"):
        response = staff_client.get(reverse(name), {"country": "TJ"})
        assert response.status_code == 200
        _content = b"".join(response.streaming_content) if response.streaming else response.content
    events = AuditEvent.objects.filter(action="export").order_by("pk")
    assert [event.object_repr for event in events] == [
        "programme report XLSX",
        "programme report PDF",
        "participant-level CSV",
    ]
    assert all(event.changes["filters"] == {"country": "TJ"} and event.actor_id for event in events)


def test_mean_scores_are_shown_to_one_decimal():
    from dataclasses import dataclass

    from reports.assessment_figures import TestScores
    from reports.exports import headline_rows

    @dataclass
    class FakeFigures:
        test_scores: TestScores

        def __getattr__(self, name):
            return 0

    rows = dict(headline_rows(FakeFigures(TestScores(46.91428, 68.09285, 21.17857, paired=7))))
    assert [value for label, value in rows.items() if "score" in str(label) or "gain" in str(label)] == [
        46.9,
        68.1,
        21.2,
    ]
