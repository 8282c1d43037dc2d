"""A printable summary of a participant's data export (the JSON export holds every field)."""

from io import BytesIO

from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from core.pdf import paragraph_text, register_fonts


def _text(value) -> str:
    if value in (None, ""):
        return "—"
    return paragraph_text(value)


def participant_summary_pdf(*, export: dict) -> bytes:
    font = register_fonts()
    styles = getSampleStyleSheet()
    for style in styles.byName.values():
        style.fontName = font
    buffer = BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        title=_("Data held about participant #%(id)s") % {"id": export["participant"]["id"]},
        leftMargin=18 * mm,
        rightMargin=18 * mm,
    )
    table_style = TableStyle(
        [
            ("FONTNAME", (0, 0), (-1, -1), font),
            ("FONTSIZE", (0, 0), (-1, -1), 9),
            ("GRID", (0, 0), (-1, -1), 0.4, colors.grey),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ]
    )
    story = [
        Paragraph(
            _("Data held about participant #%(id)s") % {"id": export["participant"]["id"]}, styles["Title"]
        ),
        Paragraph(_("Exported at %(time)s (UTC).") % {"time": export["exported_at"][:16]}, styles["Normal"]),
        Spacer(1, 4 * mm),
        Paragraph(_("Participant"), styles["Heading2"]),
        Table(
            [
                [name, Paragraph(_text(value), styles["Normal"])]
                for name, value in export["participant"].items()
            ],
            colWidths=[50 * mm, 120 * mm],
            style=table_style,
        ),
        Spacer(1, 4 * mm),
        Paragraph(_("Sign-in account"), styles["Heading2"]),
    ]
    account = export["account"]
    if account:
        story.append(
            Table(
                [[name, Paragraph(_text(value), styles["Normal"])] for name, value in account.items()],
                colWidths=[50 * mm, 120 * mm],
                style=table_style,
            )
        )
    else:
        story.append(Paragraph(_("No sign-in account."), styles["Normal"]))
    story += [Spacer(1, 4 * mm), Paragraph(_("Linked records"), styles["Heading2"])]
    story.append(
        Table(
            [[_("Record type"), _("Number")]]
            + [[label, str(len(rows))] for label, rows in export["related"].items()]
            + [[_("Audit events"), str(len(export["audit_events"]))]],
            colWidths=[120 * mm, 50 * mm],
            style=table_style,
        )
    )
    story.append(Spacer(1, 4 * mm))
    story.append(
        Paragraph(
            _("Every field of every record is in the JSON export of the same request."), styles["Normal"]
        )
    )
    document.build(story)
    return buffer.getvalue()
