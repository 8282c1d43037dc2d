"""XLSX, participant-level CSV and PDF exports of a report scope, all built from reports.selectors.

Spreadsheet cells that start with = + - @ (or a tab / carriage return) are
prefixed with an apostrophe so that Excel or LibreOffice shows them as text
instead of running them as formulas (CSV / formula injection).
"""

import csv
import hashlib
import hmac
import io
from collections.abc import Iterator
from datetime import datetime

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from core.enums import Audience, OrganisationType, Sex
from core.formatting import format_decimal
from core.spreadsheets import fit_name, neutralise, number_format_for, sheet_title

from .charts import Chart, charts_for
from .selectors import Figures, ReportScope, participant_rows


def pseudonym(participant_id: int) -> str:
    """A stable pseudonymous id: the same person gets the same id in every export, and it cannot be reversed."""
    digest = hmac.new(settings.SECRET_KEY.encode(), f"participant:{participant_id}".encode(), hashlib.sha256)
    return "P-" + digest.hexdigest()[:12].upper()


def _label(choices, value: str) -> str:
    return str(choices(value).label) if value in choices.values else value


def headline_rows(figures: Figures) -> list[tuple[str, object]]:
    def shown(value):
        return "—" if value is None else value

    def one_decimal(value):
        # Scores are means of percentages: one decimal is what a donor report can defend.
        return "—" if value is None else round(value, 1)

    scores = figures.test_scores
    return [
        (_("Deliveries completed"), figures.deliveries_completed),
        (_("Deliveries with a session held"), figures.deliveries_in_scope),
        (_("Sessions held"), figures.sessions_held),
        (_("Training hours delivered"), figures.training_hours),
        (_("Participant-hours"), figures.participant_hours),
        (_("People reached (unique, attended at least one session)"), figures.people_reached),
        (_("People trained (unique persons)"), figures.people_trained),
        (_("In training now (deliveries still running)"), figures.people_in_training),
        (_("Women trained (unique persons)"), figures.women_trained),
        (_("Course completions (one per person per delivery)"), figures.course_completions),
        (_("Trainers active"), figures.trainers_active),
        (_("First-time participants"), figures.first_time),
        (_("Returning participants"), figures.returning),
        (_("Certificates issued"), shown(figures.certificates_issued)),
        (_("Mean pre-test score (%)"), one_decimal(scores and scores.mean_pre)),
        (_("Mean post-test score (%)"), one_decimal(scores and scores.mean_post)),
        (_("Mean gain (percentage points)"), one_decimal(scores and scores.mean_gain)),
    ]


def breakdown_tables(figures: Figures) -> list[tuple[str, list[str], list[list]]]:
    """(title, header, rows) for every breakdown; the XLSX sheets and the PDF tables."""
    return [
        (
            _("Sex and audience"),
            [
                _("Audience (as attended)"),
                _("Sex"),
                _("People reached"),
                _("People trained"),
                _("Course completions"),
            ],
            [
                [
                    _label(Audience, row["audience"]),
                    _label(Sex, row["participant__sex"]),
                    row["people_reached"],
                    row["people_trained"],
                    row["course_completions"],
                ]
                for row in figures.by_sex_audience
            ],
        ),
        (
            _("Regions"),
            [_("Country"), _("Region"), _("People reached"), _("People trained"), _("Course completions")],
            [
                [
                    row["delivery__country__name"],
                    row["delivery__region__name"],
                    row["people_reached"],
                    row["people_trained"],
                    row["course_completions"],
                ]
                for row in figures.by_region
            ],
        ),
        (
            _("Regions covered"),
            [_("Country"), _("Regions covered"), _("Regions in the country")],
            [[row["country__name"], row["covered"], row["total"]] for row in figures.regions_covered],
        ),
        (
            _("Deliveries per month"),
            [_("Month"), _("Deliveries")],
            [[row["month"].strftime("%Y-%m"), row["deliveries"]] for row in figures.deliveries_per_month],
        ),
    ]


def xlsx_bytes(*, figures: Figures, filters: list[tuple[str, str]], statements: list[str]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    cover = workbook.active
    cover.title = sheet_title(_("Report"))
    cover.append([_("Hamkori programme report")])
    cover["A1"].font = Font(bold=True, size=14)
    cover.append([_("Generated"), timezone.now().strftime("%Y-%m-%d %H:%M UTC")])
    cover.append([])
    cover.append([_("Filters")])
    for label, value in filters or [(_("Filters"), _("none"))]:
        cover.append([neutralise(label), neutralise(value)])
    cover.append([])
    for statement in statements:
        cover.append([neutralise(statement)])
    cover.append([])
    for label, value in headline_rows(figures):
        cover.append([neutralise(label), neutralise(value)])
        cover.cell(row=cover.max_row, column=2).number_format = number_format_for(value)
    cover.column_dimensions["A"].width = 55
    cover.column_dimensions["B"].width = 30
    for title, header, rows in breakdown_tables(figures):
        sheet = workbook.create_sheet(sheet_title(title))
        sheet.append(header)
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in rows:
            sheet.append([neutralise(value) for value in row])
            for cell in sheet[sheet.max_row]:
                cell.number_format = number_format_for(cell.value)
        for column in "ABCDE":
            sheet.column_dimensions[column].width = 24
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


CSV_PERSONAL_COLUMNS = ("full_name", "latin_name", "year_of_birth", "phone")


def csv_header(*, pseudonymised: bool) -> list[str]:
    identity = ["pseudonym"] if pseudonymised else ["participant_id", *CSV_PERSONAL_COLUMNS]
    return [
        *identity,
        "sex",
        "organisation",
        "organisation_type",
        "audience_as_attended",
        "delivery_id",
        "course",
        "country",
        "region",
        "project",
        "sessions_attended_in_period",
        "hours_attended_in_period",
        "reached",
        "trained",
    ]


def csv_rows(scope: ReportScope, *, pseudonymised: bool) -> Iterator[list]:
    for fact in participant_rows(scope).iterator(chunk_size=2000):
        participant = fact.participant
        delivery = fact.delivery
        if pseudonymised:
            identity = [pseudonym(participant.pk)]
        else:
            identity = [
                participant.pk,
                participant.full_name,
                participant.latin_name,
                participant.year_of_birth or "",
                participant.phone,
            ]
        duration = fact.hours_in_period
        organisation = participant.organisation
        yield [
            neutralise(value)
            for value in [
                *identity,
                participant.sex,
                organisation.name if organisation else "",
                _label(OrganisationType, organisation.type) if organisation else "",
                fact.audience,
                delivery.pk,
                delivery.course.title,
                delivery.country.iso_code,
                delivery.region.iso_code,
                delivery.project.code if delivery.project else "",
                fact.sessions_in_period,
                round(duration.total_seconds() / 3600, 2) if duration else 0,
                int(fact.is_reached),
                int(fact.is_trained),
            ]
        ]


class _Echo:
    def write(self, value):
        return value


def csv_stream(scope: ReportScope, *, pseudonymised: bool) -> Iterator[str]:
    writer = csv.writer(_Echo())
    yield "\ufeff"  # so Excel opens the Cyrillic as UTF-8
    yield writer.writerow(csv_header(pseudonymised=pseudonymised))
    for row in csv_rows(scope, pseudonymised=pseudonymised):
        yield writer.writerow(row)


def _shown(value) -> str:
    """A PDF cell's text: numbers as the reader's language writes them (29,2 in ru, tg, ky)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return str(value)
    return format_decimal(value, 1 if isinstance(value, float) and not value.is_integer() else 0)


def _pdf_chart(chart: Chart, font: str):
    from reportlab.graphics.charts.barcharts import HorizontalBarChart
    from reportlab.graphics.shapes import Drawing, String
    from reportlab.lib import colors

    rows = chart.rows[-40:] or [("—", 0)]
    height = 40 + 14 * len(rows)
    drawing = Drawing(480, height)
    bars = HorizontalBarChart()
    bars.x, bars.y, bars.width, bars.height = 170, 10, 290, height - 35
    bars.data = [[value for _label, value in reversed(rows)]]
    bars.categoryAxis.categoryNames = [fit_name(label, 34) for label, _value in reversed(rows)]
    bars.categoryAxis.labels.fontName = font
    bars.categoryAxis.labels.fontSize = 7
    bars.categoryAxis.labels.boxAnchor = "e"
    bars.valueAxis.labels.fontName = font
    bars.valueAxis.labels.fontSize = 7
    bars.valueAxis.valueMin = 0
    bars.valueAxis.labelTextFormat = _shown
    bars.bars[0].fillColor = colors.HexColor("#1f5f8b")
    drawing.add(bars)
    drawing.add(String(0, height - 12, chart.title, fontName=font, fontSize=10))
    return drawing


def pdf_bytes(*, figures: Figures, filters: list[tuple[str, str]], statements: list[str]) -> bytes:
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    from core.pdf import paragraph_text as escape
    from core.pdf import register_fonts

    font = register_fonts()
    body = ParagraphStyle("body", fontName=font, fontSize=10, leading=13)
    heading = ParagraphStyle(
        "heading", parent=body, fontName=f"{font}-Bold", fontSize=14, leading=18, spaceAfter=6
    )
    subheading = ParagraphStyle("subheading", parent=heading, fontSize=11, leading=14, spaceBefore=8)
    table_style = TableStyle(
        [
            ("FONTNAME", (0, 0), (-1, -1), font),
            ("FONTNAME", (0, 0), (-1, 0), f"{font}-Bold"),
            ("FONTSIZE", (0, 0), (-1, -1), 8),
            ("GRID", (0, 0), (-1, -1), 0.25, colors.grey),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ]
    )

    story = [
        Paragraph(escape(_("Hamkori programme report")), heading),
        Paragraph(
            escape(_("Generated %(date)s") % {"date": timezone.now().strftime("%Y-%m-%d %H:%M UTC")}), body
        ),
    ]
    for label, value in filters:
        story.append(Paragraph(escape(f"{label}: {value}"), body))
    story.append(Spacer(1, 4 * mm))
    for statement in statements:
        story.append(Paragraph(escape(statement), body))
    story.append(Paragraph(escape(_("Headline figures")), subheading))
    cell = ParagraphStyle("cell", parent=body, fontSize=8, leading=10)
    headline = [
        [Paragraph(escape(label), cell), Paragraph(escape(_shown(value)), cell)]
        for label, value in headline_rows(figures)
    ]
    story.append(Table(headline, colWidths=[120 * mm, 40 * mm], style=table_style))
    for chart in charts_for(figures):
        story.append(Spacer(1, 4 * mm))
        story.append(_pdf_chart(chart, font))
    for title, header, rows in breakdown_tables(figures):
        story.append(Paragraph(escape(title), subheading))
        data = [[Paragraph(escape(_shown(value)), cell) for value in row] for row in [header, *rows]]
        story.append(Table(data, repeatRows=1, style=table_style))
    buffer = io.BytesIO()
    SimpleDocTemplate(
        buffer, pagesize=A4, title=_("Hamkori programme report"), leftMargin=18 * mm, rightMargin=18 * mm
    ).build(story)
    return buffer.getvalue()


def export_filename(extension: str, when: datetime | None = None) -> str:
    return f"hamkori-report-{(when or timezone.now()):%Y%m%d-%H%M}.{extension}"
