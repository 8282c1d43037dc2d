"""M&E staff answer a data-subject request: look at what is held, then erase; an admin reads the trail."""

from accounts.roles import Role
from accounts.tests.factories import user_with_role
from attendance.tests.factories import make_roster


def test_staff_erase_a_participant_and_admin_reads_the_audit_trail(live_server, page, check_page, login):
    user_with_role(Role.ME_STAFF, username="mestaff")
    user_with_role(None, username="admin")
    roster = make_roster(2)
    participant = roster.participants[0]

    login(page, "mestaff")
    page.goto(f"{live_server.url}/privacy/participants/{participant.pk}/")
    assert page.get_by_text(participant.full_name).first.is_visible()
    check_page(page, "privacy-participant")

    page.get_by_label("Reason").fill("Written request, 20 November 2026")
    # The browser itself refuses the form until the confirmation is ticked.
    assert page.locator("input[name=confirm]").get_attribute("required") is not None
    page.locator("input[name=confirm]").check()
    page.get_by_role("button", name="Erase this participant's personal data").click()
    page.wait_for_load_state("load")
    assert page.get_by_text(f"Erased participant #{participant.pk}").first.is_visible()
    check_page(page, "privacy-participant-erased")

    page.context.clear_cookies()
    login(page, "admin")
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(f"{live_server.url}/privacy/audit/")
    assert page.get_by_role("cell", name="erase").first.is_visible()
    check_page(page, "privacy-audit-360")
