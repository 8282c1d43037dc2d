"""CSV and XLSX exports of results. Text cells that a spreadsheet would run as a formula are neutralised."""

import csv
import io

from django.utils.translation import gettext as _
from openpyxl import Workbook

from core.spreadsheets import neutralise, sheet_title

from .selectors import FLAG_KNOWN_BEFORE, FLAG_NEGATIVE, Results


def _round(value: float | None, places: int = 1):
    return None if value is None else round(value, places)


def flag_labels(flags: list[str]) -> str:
    labels = {FLAG_KNOWN_BEFORE: _("known before training"), FLAG_NEGATIVE: _("negative discrimination")}
    return "; ".join(str(labels[flag]) for flag in flags)


def participant_table(results: Results) -> list[list]:
    header = [
        _("Participant"),
        _("Name in Latin letters"),
        _("Delivery"),
        _("Pre %"),
        _("Post %"),
        _("Change"),
        _("Passed"),
    ]
    rows = [
        [
            row.participant.full_name,
            row.participant.latin_name,
            row.delivery_id,
            _round(row.pre),
            _round(row.post),
            _round(row.change),
            "" if row.passed is None else (_("yes") if row.passed else _("no")),
        ]
        for row in results.rows
    ]
    return [header, *rows]


def summary_table(results: Results) -> list[list]:
    summary = results.summary
    return [
        [_("Figure"), _("Value")],
        [_("Participants"), summary.participants],
        [_("Paired (pre and post)"), summary.paired_n],
        [_("Mean pre %"), _round(summary.mean_pre)],
        [_("Mean post %"), _round(summary.mean_post)],
        [_("Mean change (points)"), _round(summary.mean_change)],
        [_("95% CI low"), _round(summary.ci_low)],
        [_("95% CI high"), _round(summary.ci_high)],
        [_("Normalized gain"), _round(summary.normalized_gain, 2)],
        [_("Share improved"), _round(summary.share_improved, 3)],
        [_("Share passed"), _round(summary.share_passed, 3)],
        [_("Pass mark %"), summary.pass_mark],
    ]


def item_table(results: Results) -> list[list]:
    header = [
        _("Question"),
        _("Text"),
        _("Facility pre"),
        _("Facility post"),
        _("Discrimination"),
        _("Flags"),
    ]
    rows = [
        [
            item.number,
            item.text,
            _round(item.facility_pre, 2),
            _round(item.facility_post, 2),
            _round(item.discrimination, 2),
            flag_labels(item.flags),
        ]
        for item in results.items
    ]
    likert = [[_("Question"), _("Text"), _("Mean pre"), _("Mean post")]] + [
        [item.number, item.text, _round(item.mean_pre, 2), _round(item.mean_post, 2)]
        for item in results.likert
    ]
    return [header, *rows], likert


def results_csv(results: Results) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for row in participant_table(results):
        writer.writerow([neutralise(cell) for cell in row])
    return buffer.getvalue()


def results_xlsx(results: Results) -> bytes:
    workbook = Workbook()
    items, likert = item_table(results)
    sheets = [
        (_("Participants"), participant_table(results)),
        (_("Summary"), summary_table(results)),
        (_("Items"), items),
        (_("Attitudes"), likert),
    ]
    workbook.remove(workbook.active)
    for title, table in sheets:
        sheet = workbook.create_sheet(sheet_title(title))
        for row in table:
            sheet.append(
                [
                    neutralise(str(cell)) if not isinstance(cell, int | float | type(None)) else cell
                    for cell in row
                ]
            )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
