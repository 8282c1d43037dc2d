"""Programme staff upload last year's records as a workbook, read the preview, and confirm it."""

from accounts.roles import Role
from accounts.tests.factories import user_with_role
from attendance.models import AttendanceRecord
from courses.models import Delivery, Enrolment, Participant
from courses.tests.factories import make_course
from courses.workbook import workbook_bytes


def small_workbook(course_title: str) -> bytes:
    """One completed delivery of two sessions with three people, as a spreadsheet user fills it in."""
    sheets = {
        "instructions": [],
        "participants": [
            ["key", "full_name", "sex", "year_of_birth", "audience", "region"],
            ["P1", "Ҷӯраева Гулӣ", "Женский", 1991, "police", "TJ-SU"],
            ["P2", "Қосимов Ӯктам", "male", 1987, "Полиция", "TJ-SU"],
            ["P3", "Ғафуров Ҳасан", "male", 1995, "youth", "TJ-SU"],
        ],
        "deliveries": [
            ["key", "course", "region", "language", "status"],
            ["D1", course_title, "TJ-SU", "tg", "completed"],
        ],
        "sessions": [
            ["delivery", "date", "starts", "ends"],
            ["D1", "2025-05-12", "09:00", "13:00"],
            ["D1", "2025-05-13", "09:00", "13:00"],
        ],
        "enrolments": [["delivery", "participant"], ["D1", "P1"], ["D1", "P2"], ["D1", "P3"]],
        "attendance": [
            ["delivery", "participant", "1", "2"],
            ["D1", "P1", "P", "P"],
            ["D1", "P2", "P", "L"],
            ["D1", "P3", "A", "P"],
        ],
    }
    return workbook_bytes(sheets)


def test_staff_upload_a_workbook_read_the_preview_and_confirm(
    live_server, page, check_page, login, html_checker
):
    user_with_role(Role.ME_STAFF, username="mestaff")
    course = make_course("Милитсияи ҷамъиятӣ: асосҳо")

    page.set_default_timeout(15_000)
    login(page, "mestaff")
    page.goto(f"{live_server.url}/import/")
    check_page(page, "import-upload")
    page.get_by_label("Workbook (XLSX), or sheets as CSV files").set_input_files(
        {
            "name": "records-2025.xlsx",
            "mimeType": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "buffer": small_workbook(course.title),
        }
    )
    page.get_by_role("button", name="Check the workbook").click()
    page.wait_for_load_state("load")

    preview = page.get_by_role("region", name="What this workbook would do")
    assert preview.get_by_text("New deliveries: 1").is_visible()
    assert preview.get_by_text("New sessions: 2").is_visible()
    assert preview.get_by_text("New people: 3").is_visible()
    assert preview.get_by_text("New attendance marks: 6").is_visible()
    assert not Delivery.objects.exists()
    # check_page sends the Nu checker the page as a GET returns it (the empty form); the preview is
    # the answer to a POST, so its own HTML goes too, taken before check_page injects axe-core.
    assert html_checker(page.content()) == []
    check_page(page, "import-preview")

    page.get_by_role("button", name="Confirm and import").click()
    page.wait_for_load_state("load")

    assert page.get_by_text("The workbook was imported.").is_visible()
    delivery = Delivery.objects.get()
    assert delivery.status == Delivery.Status.COMPLETED
    assert Participant.objects.count() == 3 and AttendanceRecord.objects.count() == 6
    assert Enrolment.objects.filter(status=Enrolment.Status.COMPLETED).count() >= 1
    check_page(page, "import-done")
