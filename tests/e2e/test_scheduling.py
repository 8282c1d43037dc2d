"""A regional coordinator schedules a delivery with three sessions and enrols five participants."""

from datetime import UTC, datetime

from accounts.roles import Role
from accounts.tests.factories import user_with_role
from courses.models import Delivery
from courses.tests.factories import ParticipantFactory, make_course, region


def test_coordinator_schedules_a_delivery_and_enrols_five(live_server, page, check_page, login):
    coordinator = user_with_role(
        Role.REGIONAL_COORDINATOR, username="coord", first_name="Дилноза", last_name="Каримова"
    )
    region("TJ-SU").coordinators.add(coordinator)
    user_with_role(Role.TRAINER, username="trainer1", first_name="Шӯҳрат", last_name="Қосимов")
    course = make_course("Милитсияи ҷамъиятӣ: асосҳо")
    for name in ("Раҳимов Алишер", "Раҳимова Зарина", "Раҳимов Фарҳод", "Раҳимова Ҷамила", "Раҳимов Ӯктам"):
        ParticipantFactory(full_name=name, region=region("TJ-SU"))

    page.set_default_timeout(10_000)
    login(page, "coord")
    page.goto(f"{live_server.url}/deliveries/")
    check_page(page, "scheduling-delivery-list")
    page.get_by_role("link", name="Plan a delivery").click()
    check_page(page, "scheduling-delivery-new")
    page.locator("#id_course").select_option(label=course.title)
    page.locator("#id_region").select_option(label="Sughd")
    page.locator("#id_language").select_option("tg")
    page.locator("#id_capacity").fill("20")
    page.locator("#id_trainers").select_option(label="Шӯҳрат Қосимов")
    page.get_by_role("button", name="Save").click()

    page.wait_for_url("**/sessions/new/")
    check_page(page, "scheduling-session-new")
    for day, last in (("2026-12-01", False), ("2026-12-02", False), ("2026-12-03", True)):
        page.locator("#id_date").fill(day)
        page.locator("#id_starts").fill("09:00")
        page.locator("#id_ends").fill("13:00")
        page.get_by_role("button", name="Save session" if last else "Save and add another").click()
        page.wait_for_load_state("load")

    delivery = Delivery.objects.get()
    assert delivery.sessions.count() == 3
    assert delivery.sessions.first().starts_at == datetime(2026, 12, 1, 4, tzinfo=UTC)
    assert page.get_by_role("cell", name="09:00–13:00").count() == 3
    check_page(page, "scheduling-delivery-detail")

    page.get_by_role("link", name="Enrol participants").click()
    page.get_by_label("Name, phone or organisation").fill("Раҳимов")
    page.get_by_role("button", name="Search").click()
    page.wait_for_load_state("load")
    check_page(page, "scheduling-enrol")
    checkboxes = page.locator("input[name=participants]")
    assert checkboxes.count() == 5
    for index in range(5):
        checkboxes.nth(index).check()
    page.get_by_role("button", name="Enrol the ticked participants").click()
    page.wait_for_load_state("load")

    assert page.get_by_text("Enrolled: 5. Waitlisted: 0.").is_visible()
    assert delivery.enrolments.filter(status="enrolled").count() == 5
    assert page.get_by_role("row", name="Раҳимова Ҷамила").is_visible()
    check_page(page, "scheduling-delivery-with-roster")

    page.goto(f"{live_server.url}/deliveries/calendar/?month=2026-12")
    check_page(page, "scheduling-calendar")
    assert page.get_by_role("link", name=f"09:00 {course.title}").count() == 3
