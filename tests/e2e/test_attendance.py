"""A trainer takes attendance for ten people on a 360 px phone screen, then a trainee checks in."""

from datetime import timedelta

from accounts.roles import Role
from accounts.tests.factories import user_with_role
from attendance.models import AttendanceChange, AttendanceRecord
from attendance.services import check_in_code_for
from attendance.tests.factories import make_roster
from courses.models import Participant


def test_trainer_marks_a_roster_of_ten_on_a_phone(live_server, page, check_page, login):
    trainer = user_with_role(Role.TRAINER, username="trainer1", first_name="Шӯҳрат", last_name="Қосимов")
    roster = make_roster(10, trainers=[trainer], starts_in=timedelta(minutes=-10))
    absent, late = roster.participants[2], roster.participants[5]
    Participant.objects.filter(pk=absent.pk).update(full_name="Ғоибов Ҷӯрабек")
    page.set_viewport_size({"width": 360, "height": 740})
    login(page, "trainer1")

    page.goto(f"{live_server.url}/sessions/{roster.session.pk}/attendance/")
    check_page(page, "attendance-roster-360")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    # The exceptions first (one absent with a note, one late), then one save sets the rest present.
    page.locator(f"#row-{absent.pk}").get_by_label("Absent").check()
    page.locator(f"#row-{absent.pk} summary").click()
    page.locator(f"#note-{absent.pk}").fill("Бемор")
    page.locator(f"#row-{late.pk}").get_by_label("Late").check()
    page.get_by_role("button", name="Save, the rest present").click()
    page.wait_for_load_state("load")
    assert page.get_by_text("Saved 10 marks.").is_visible()
    check_page(page, "attendance-roster-saved-360")
    marks = dict(
        AttendanceRecord.objects.filter(session=roster.session).values_list("participant_id", "status")
    )
    assert marks[absent.pk] == "absent" and marks[late.pk] == "late"
    assert list(marks.values()).count("present") == 8
    assert AttendanceRecord.objects.get(participant=absent).note == "Бемор"

    page.get_by_role("link", name="History of changes").click()
    page.wait_for_load_state("load")
    assert page.get_by_role("row", name="Ғоибов Ҷӯрабек").first.is_visible()
    check_page(page, "attendance-history-360")
    # One change per person: nobody went from present to absent.
    assert AttendanceChange.objects.filter(session=roster.session).count() == 10

    page.goto(f"{live_server.url}/deliveries/{roster.delivery.pk}/attendance/")
    check_page(page, "attendance-delivery-360")

    page.goto(f"{live_server.url}/sessions/{roster.session.pk}/attendance/paper/")
    check_page(page, "attendance-paper-360")


def test_paper_sheet_of_forty_is_typed_with_one_key_per_row(live_server, page, check_page, login):
    trainer = user_with_role(Role.TRAINER, username="trainer2")
    roster = make_roster(40, trainers=[trainer])
    login(page, "trainer2")
    page.goto(f"{live_server.url}/sessions/{roster.session.pk}/attendance/paper/")
    check_page(page, "attendance-paper-40")
    page.locator(".paper-key").first.focus()
    # Forty keystrokes, no mouse: mostly present, a few exceptions, one typo fixed with the up arrow.
    keys = ["p"] * 40
    keys[3], keys[17], keys[25], keys[39] = "a", "l", "x", "e"
    for key in keys[:10]:
        page.keyboard.press(key)
    page.keyboard.press("ArrowUp")
    page.keyboard.press("p")  # retype row 10, unchanged
    for key in keys[10:]:
        page.keyboard.press(key)
    page.get_by_role("button", name="Save marks").click()
    page.wait_for_load_state("load")
    assert page.get_by_text("Saved 40 marks.").is_visible()
    order = sorted(roster.participants, key=lambda participant: (participant.name_sort_key, participant.pk))
    marks = dict(AttendanceRecord.objects.values_list("participant_id", "status"))
    expected = {"p": "present", "a": "absent", "l": "late", "x": "excused", "e": "left_early"}
    assert [marks[participant.pk] for participant in order] == [expected[key] for key in keys]
    assert set(AttendanceRecord.objects.values_list("source", flat=True)) == {"paper"}


def test_trainee_checks_in_with_the_session_code(live_server, page, check_page, login):
    trainee = user_with_role(Role.TRAINEE, username="trainee1")
    roster = make_roster(2, starts_in=timedelta(minutes=-5))
    Participant.objects.filter(pk=roster.participants[0].pk).update(user=trainee)
    code = check_in_code_for(session=roster.session).code
    page.set_viewport_size({"width": 360, "height": 740})
    login(page, "trainee1")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Check in").click()
    page.wait_for_load_state("load")
    check_page(page, "attendance-check-in-360")
    page.get_by_label("Session code").fill(code)
    page.locator("main button[type=submit]").click()
    page.wait_for_load_state("load")
    assert page.get_by_text("You are checked in").is_visible()
    check_page(page, "attendance-checked-in-360")
    assert AttendanceRecord.objects.get(participant=roster.participants[0]).source == "self_check_in"
