"""A trainer prints a slip for a participant; the participant signs in with the code on it."""

import re

from accounts.roles import Role
from accounts.tests.factories import user_with_role
from courses.tests.factories import DeliveryFactory, EnrolmentFactory, ParticipantFactory, region


def test_trainer_prints_slip_and_trainee_signs_in_with_it(live_server, page, check_page, login, browser):
    trainer = user_with_role(Role.TRAINER, username="trainer1")
    delivery = DeliveryFactory(region=region("TJ-SU"), trainers=[trainer])
    EnrolmentFactory(delivery=delivery, participant=ParticipantFactory(full_name="Ҷалолова Малика"))

    login(page, "trainer1")
    page.goto(f"{live_server.url}/deliveries/{delivery.pk}/personal-codes/")
    check_page(page, "personal-codes-confirm")
    page.get_by_role("button", name="Issue codes and print slips").click()
    page.wait_for_load_state("load")
    assert page.get_by_text("Ҷалолова Малика").is_visible()
    code = re.search(r"[A-Z0-9]{4}-[A-Z0-9]{4}", page.locator(".slip__code").inner_text()).group(0)
    check_page(page, "personal-code-slips")

    trainee_context = browser.new_context(viewport={"width": 360, "height": 740}, bypass_csp=True)
    phone = trainee_context.new_page()
    phone.goto(f"{live_server.url}/accounts/code/")
    check_page(phone, "code-login-360")
    phone.get_by_label("Personal code").fill(code.lower())
    phone.get_by_role("button", name="Sign in").click()
    phone.wait_for_load_state("load")
    assert phone.get_by_text("Welcome, Ҷалолова Малика.").is_visible()
    trainee_context.close()
