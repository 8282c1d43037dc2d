"""Printable sign-in sheets: the signed paper donors ask for, and the fallback when there is no signal.

A4, DejaVu Sans everywhere (core.pdf), the header (course, delivery, date and
local time, venue, trainers) drawn on every page, the table's column headings
repeated on every page, headings in Russian and the delivery's language, and
blank rows for walk-ins.
"""

from io import BytesIO

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop, override
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from core.localtime import format_local, zone_label
from core.pdf import paragraph_text, register_fonts
from courses.models import Delivery, Session
from curriculum.selectors import course_title_for

from .selectors import roster_enrolments

MARGIN = 12 * mm
HEADER_HEIGHT = 30 * mm
MIN_BLANK_ROWS = 5
NO_SESSIONS_MESSAGE = gettext_noop(
    "This delivery has no sessions yet, so there is nothing to sign. "
    "Add its sessions, then print the sign-in sheet again."
)


def blank_row_count(enrolled: int) -> int:
    """Room for walk-ins: at least five lines, a tenth more for a big group, ten for an empty list."""
    if enrolled == 0:
        return 10
    return max(MIN_BLANK_ROWS, enrolled // 10)


def bilingual(label_in_english: str, language: str) -> str:
    """A heading in Russian and, when it differs, the delivery's language under it."""
    with override("ru"):
        russian = _(label_in_english)
    with override(language):
        local = _(label_in_english)
    return russian if local == russian else f"{russian} / {local}"


def _trainer_names(delivery: Delivery) -> str:
    return ", ".join(trainer.get_full_name() or trainer.get_username() for trainer in delivery.trainers.all())


def _local(moment, delivery: Delivery, fmt: str) -> str:
    return format_local(moment, delivery.region, fmt)


class _Sheet:
    def __init__(self, *, delivery: Delivery, title_lines: list[str], pagesize):
        self.font = register_fonts()
        self.delivery = delivery
        self.title_lines = title_lines
        self.pagesize = pagesize
        self.cell = ParagraphStyle("cell", fontName=self.font, fontSize=8.5, leading=10)
        self.heading = ParagraphStyle("heading", fontName=f"{self.font}-Bold", fontSize=7.5, leading=9)
        self.note = ParagraphStyle("note", fontName=f"{self.font}-Oblique", fontSize=9, leading=11)
        self.message = ParagraphStyle("message", fontName=self.font, fontSize=12, leading=16)

    def draw_header(self, canvas, document):
        canvas.saveState()
        width, height = self.pagesize
        top = height - MARGIN
        canvas.setFont(f"{self.font}-Bold", 12)
        canvas.drawString(MARGIN, top - 4 * mm, self.title_lines[0][:110])
        canvas.setFont(self.font, 9)
        for number, line in enumerate(self.title_lines[1:], start=1):
            canvas.drawString(MARGIN, top - 4 * mm - number * 4.5 * mm, line[:150])
        canvas.setFont(self.font, 8)
        canvas.drawRightString(width - MARGIN, MARGIN / 2, f"{document.page}")
        canvas.restoreState()

    def _document(self, buffer: BytesIO) -> SimpleDocTemplate:
        return SimpleDocTemplate(
            buffer,
            pagesize=self.pagesize,
            leftMargin=MARGIN,
            rightMargin=MARGIN,
            topMargin=MARGIN + HEADER_HEIGHT,
            bottomMargin=MARGIN,
            title=self.title_lines[0],
            author="Hamkori",
        )

    def build_message(self, message: str) -> bytes:
        """The header and a message in place of the table, for a sheet there is nothing to sign on."""
        buffer = BytesIO()
        self._document(buffer).build(
            [Paragraph(paragraph_text(message), self.message)],
            onFirstPage=self.draw_header,
            onLaterPages=self.draw_header,
        )
        return buffer.getvalue()

    def build(self, table_data: list[list], col_widths: list[float], note: str = "") -> bytes:
        buffer = BytesIO()
        document = self._document(buffer)
        # Names and organisations are data, never markup (core.pdf.paragraph_text).
        rows = [[Paragraph(paragraph_text(text), self.heading) for text in table_data[0]]]
        rows += [
            [Paragraph(paragraph_text(text), self.cell) if isinstance(text, str) else text for text in row]
            for row in table_data[1:]
        ]
        table = Table(rows, colWidths=col_widths, repeatRows=1)
        table.setStyle(
            TableStyle(
                [
                    ("FONT", (0, 0), (-1, -1), self.font, 8.5),
                    ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
                    ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8eef3")),
                    ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                    # Room to sign, also on blank rows.
                    ("TOPPADDING", (0, 1), (-1, -1), 6),
                    ("BOTTOMPADDING", (0, 1), (-1, -1), 6),
                ]
            )
        )
        story = []
        if note:
            story += [Paragraph(paragraph_text(note), self.note), Spacer(1, 3 * mm)]
        story.append(table)
        document.build(story, onFirstPage=self.draw_header, onLaterPages=self.draw_header)
        return buffer.getvalue()


def _sex_label(participant, language: str) -> str:
    with override(language):
        return str(participant.get_sex_display())


def session_sign_in_sheet(*, session: Session) -> bytes:
    """The sheet for one session: No, full name, organisation, position, sex, signature."""
    delivery = session.delivery
    language = delivery.language
    venue = session.venue or delivery.venue
    with override(language):
        sign_in_sheet, delivery_label, date_label = _("Sign-in sheet"), _("Delivery"), _("Date")
        venue_label, trainers_label = _("Venue"), _("Trainers")
        date_text = _local(session.starts_at, delivery, "j E Y")
        zone_text = zone_label(delivery.region, session.starts_at)
    times = f"{_local(session.starts_at, delivery, 'H:i')}–{_local(session.ends_at, delivery, 'H:i')}"
    title_lines = [
        f"{sign_in_sheet}: {course_title_for(delivery.course, language)}",
        f"{delivery_label} #{delivery.pk} · {delivery.region.name_in(language)}"
        + (f" · {session.title}" if session.title else ""),
        f"{date_label}: {date_text}, {times} ({zone_text})",
        f"{venue_label}: {venue or '—'}",
        f"{trainers_label}: {_trainer_names(delivery) or '—'}",
    ]
    enrolments = list(roster_enrolments(delivery))
    headings = [
        "№",
        bilingual(gettext_noop("Full name"), language),
        bilingual(gettext_noop("Organisation"), language),
        bilingual(gettext_noop("Position"), language),
        bilingual(gettext_noop("Sex"), language),
        bilingual(gettext_noop("Signature"), language),
    ]
    data = [headings]
    for number, enrolment in enumerate(enrolments, start=1):
        participant = enrolment.participant
        data.append(
            [
                str(number),
                participant.full_name,
                participant.organisation.name if participant.organisation else "",
                participant.position,
                _sex_label(participant, language),
                "",
            ]
        )
    for number in range(len(enrolments) + 1, len(enrolments) + 1 + blank_row_count(len(enrolments))):
        data.append([str(number), "", "", "", "", ""])
    note = ""
    if not enrolments:
        with override(language):
            note = _("No participants are enrolled yet: write each person's details on a blank line.")
    widths = [9 * mm, 48 * mm, 40 * mm, 32 * mm, 19 * mm]
    widths.append(A4[0] - 2 * MARGIN - sum(widths))
    sheet = _Sheet(delivery=delivery, title_lines=title_lines, pagesize=A4)
    return sheet.build(data, widths, note)


def delivery_sign_in_sheet(*, delivery: Delivery) -> bytes:
    """One sheet for a multi-day course: a signature column per session."""
    language = delivery.language
    sessions = [s for s in delivery.sessions.order_by("starts_at") if s.status != Session.Status.CANCELLED]
    with override(language):
        sign_in_sheet, delivery_label, dates_label = _("Sign-in sheet"), _("Delivery"), _("Dates")
        venue_label, trainers_label = _("Venue"), _("Trainers")
        dates = (
            f"{_local(sessions[0].starts_at, delivery, 'j E Y')} – {_local(sessions[-1].starts_at, delivery, 'j E Y')}"
            if sessions
            else "—"
        )
    title_lines = [
        f"{sign_in_sheet}: {course_title_for(delivery.course, language)}",
        f"{delivery_label} #{delivery.pk} · {delivery.region.name_in(language)}",
        f"{dates_label}: {dates}",
        f"{venue_label}: {delivery.venue or '—'}",
        f"{trainers_label}: {_trainer_names(delivery) or '—'}",
    ]
    if not sessions:
        # Without sessions there is no signature column: a table would have only names on it.
        with override(language):
            message = _(NO_SESSIONS_MESSAGE)
        return _Sheet(delivery=delivery, title_lines=title_lines, pagesize=A4).build_message(message)
    enrolments = list(roster_enrolments(delivery))
    headings = [
        "№",
        bilingual(gettext_noop("Full name"), language),
        bilingual(gettext_noop("Organisation"), language),
    ] + [
        f"{_local(session.starts_at, delivery, 'd.m')} {_local(session.starts_at, delivery, 'H:i')}"
        for session in sessions
    ]
    data = [headings]
    for number, enrolment in enumerate(enrolments, start=1):
        participant = enrolment.participant
        data.append(
            [
                str(number),
                participant.full_name,
                participant.organisation.name if participant.organisation else "",
            ]
            + [""] * len(sessions)
        )
    for number in range(len(enrolments) + 1, len(enrolments) + 1 + blank_row_count(len(enrolments))):
        data.append([str(number), "", ""] + [""] * len(sessions))
    note = ""
    if not enrolments:
        with override(language):
            note = _("No participants are enrolled yet: write each person's details on a blank line.")
    pagesize = landscape(A4) if len(sessions) > 3 else A4
    fixed = [10 * mm, 55 * mm, 45 * mm]
    remaining = pagesize[0] - 2 * MARGIN - sum(fixed)
    widths = fixed + [remaining / len(sessions)] * len(sessions)
    sheet = _Sheet(delivery=delivery, title_lines=title_lines, pagesize=pagesize)
    return sheet.build(data, widths, note)
