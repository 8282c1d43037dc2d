from io import BytesIO

import pytest
from openpyxl import load_workbook

from accounts.roles import Role
from attendance.exports import attendance_csv, attendance_xlsx
from attendance.models import AttendanceRecord
from attendance.pdf import delivery_sign_in_sheet, session_sign_in_sheet
from core.spreadsheets import neutralise
from courses.models import Participant
from courses.tests.factories import SessionFactory
from tests.pdf_text import pdf_text as read_pdf_text

from .factories import make_roster

pytestmark = pytest.mark.django_db


def pdf_text(content: bytes) -> str:
    # Table cells wrap; compare with whitespace flattened, pages separated by a form feed.
    return read_pdf_text(content, flatten=True)


def test_session_sheet_keeps_tajik_and_kyrgyz_letters_and_headings_in_two_languages(make_user):
    roster = make_roster(
        2, trainers=[make_user(Role.TRAINER, first_name="Шӯҳрат", last_name="Қосимов")], language="tg"
    )
    Participant.objects.filter(pk=roster.participants[0].pk).update(full_name="Ҷӯраев Ғайрат Ҳақназарович")
    Participant.objects.filter(pk=roster.participants[1].pk).update(full_name="Үмөталиева Айгүл Ңурбековна")
    text = pdf_text(session_sign_in_sheet(session=roster.session))
    assert "Ҷӯраев Ғайрат Ҳақназарович" in text
    assert "Үмөталиева Айгүл Ңурбековна" in text
    assert "Шӯҳрат Қосимов" in text
    assert "Подпись" in text  # Russian heading
    assert "Имзо" in text  # Tajik heading
    assert "■" not in text


def test_header_repeats_on_every_page():
    roster = make_roster(60)
    text = pdf_text(session_sign_in_sheet(session=roster.session))
    pages = text.split("\f")
    pages = [page for page in pages if page.strip()]
    assert len(pages) >= 2
    for page in pages:
        assert roster.delivery.course.title in page
        assert "Подпись" in page


def test_empty_session_prints_blank_rows_with_a_note():
    roster = make_roster(0)
    text = pdf_text(session_sign_in_sheet(session=roster.session))
    assert "No participants are enrolled yet" in text or "Пока никто не записан" in text
    assert "10" in text  # numbered blank rows


def test_delivery_sheet_has_a_column_per_session():
    roster = make_roster(3)
    for _ in range(3):
        SessionFactory(delivery=roster.delivery)
    text = pdf_text(delivery_sign_in_sheet(delivery=roster.delivery))
    assert roster.participants[0].full_name in text
    assert text.count(".") >= 4  # dd.mm headings


def test_cells_that_start_a_formula_are_neutralised():
    assert neutralise("=HYPERLINK(1)") == "'=HYPERLINK(1)"
    assert neutralise("+992") == "'+992"
    assert neutralise("-1") == "'-1"
    assert neutralise("@SUM") == "'@SUM"
    assert neutralise("Қодиров") == "Қодиров"
    assert neutralise(5) == 5


def _mark(roster, participant, status):
    AttendanceRecord.objects.create(
        session=roster.session,
        participant=participant,
        status=status,
        source="web",
        recorded_at=roster.session.starts_at,
    )


def test_xlsx_reads_back_with_totals_rate_and_neutralised_names():
    roster = make_roster(2)
    second_session = SessionFactory(
        delivery=roster.delivery,
        starts_at=roster.session.starts_at.replace(year=roster.session.starts_at.year - 1),
        ends_at=roster.session.ends_at.replace(year=roster.session.ends_at.year - 1),
    )
    first, second = roster.participants
    Participant.objects.filter(pk=first.pk).update(full_name="=cmd|' /C calc'!A0 Ҳасанов")
    _mark(roster, first, "present")
    _mark(roster, second, "absent")
    AttendanceRecord.objects.create(
        session=second_session,
        participant=first,
        status="late",
        source="web",
        recorded_at=second_session.starts_at,
    )
    workbook = load_workbook(BytesIO(attendance_xlsx(delivery=roster.delivery)))
    rows = list(workbook.active.iter_rows(values_only=True))
    heading = rows[0]
    assert heading[-4:] == ("Attended", "Held", "Rate %", "Meets the attendance rule")
    assert len(heading) == 4 + 2 + 4  # No, name, organisation, sex, two sessions, totals
    by_name = {row[1]: row for row in rows[1:]}
    first_row = by_name["'=cmd|' /C calc'!A0 Ҳасанов"]
    assert first_row[4:6] == ("Late", "Present")  # sessions in date order
    assert first_row[-4:] == (2, 2, 100.0, "yes")
    second_row = by_name[second.full_name]
    assert second_row[-4:] == (0, 2, 0.0, "no")


def test_csv_has_a_bom_and_intact_names():
    roster = make_roster(1)
    Participant.objects.filter(pk=roster.participants[0].pk).update(full_name="@Ӯроқов Ҷ.")
    content = attendance_csv(delivery=roster.delivery).decode("utf-8")
    assert content.startswith("\ufeff")
    assert "'@Ӯроқов Ҷ." in content
