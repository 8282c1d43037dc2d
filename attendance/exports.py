"""A delivery's attendance as CSV and XLSX: one row per participant, one column per session, totals and rate.

Spreadsheet programs run a cell that begins with = + - @ as a formula (CSV
injection), so such text is prefixed with an apostrophe.
"""

import csv
from io import BytesIO, StringIO

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from core.localtime import format_local
from core.spreadsheets import neutralise, sheet_title
from courses.models import Delivery

from .models import AttendanceStatus
from .selectors import delivery_attendance


def attendance_table(*, delivery: Delivery) -> list[list]:
    """Heading row then one row per participant; numbers stay numbers, text is neutralised."""
    sessions, rows = delivery_attendance(delivery=delivery)
    labels = dict(AttendanceStatus.choices)
    heading = [_("No"), _("Full name"), _("Organisation"), _("Sex")]
    heading += [format_local(session.starts_at, delivery.region, "Y-m-d H:i") for session in sessions]
    heading += [_("Attended"), _("Held"), _("Rate %"), _("Meets the attendance rule")]
    table = [heading]
    for number, row in enumerate(rows, start=1):
        participant = row.participant
        summary = row.summary
        line = [
            number,
            participant.full_name,
            participant.organisation.name if participant.organisation else "",
            str(participant.get_sex_display()),
        ]
        line += [str(labels[mark]) if mark else "" for mark in row.marks]
        line += [
            summary.attended if summary else 0,
            summary.held if summary else 0,
            round(summary.rate_percent, 1) if summary and summary.rate_percent is not None else 0.0,
            _rule_cell(summary),
        ]
        table.append([neutralise(value) for value in line])
    return table


def _rule_cell(summary) -> str:
    """Whether the rule is met, or that it cannot be said yet while sessions are still to come."""
    if summary is not None and summary.is_provisional:
        return str(
            _("not yet: %(held)s of %(planned)s sessions held")
            % {"held": summary.held, "planned": summary.planned}
        )
    return str(_("yes") if summary and summary.meets_rule else _("no"))


def attendance_csv(*, delivery: Delivery) -> bytes:
    buffer = StringIO()
    writer = csv.writer(buffer)
    writer.writerows(attendance_table(delivery=delivery))
    # A byte-order mark so Excel opens the Cyrillic as UTF-8.
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def attendance_xlsx(*, delivery: Delivery) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = sheet_title(_("Attendance"))
    for row in attendance_table(delivery=delivery):
        sheet.append(row)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "C2"
    sheet.column_dimensions["B"].width = 32
    sheet.column_dimensions["C"].width = 28
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
