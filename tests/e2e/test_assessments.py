"""A trainee signs in with a personal code on a 360 px phone and takes the pre test; the trainer sees the results."""

import re

from accounts.roles import Role
from accounts.tests.factories import user_with_role
from assessments.models import Attempt, Certificate, Phase
from assessments.services import window_open
from assessments.tests.factories import make_instrument, single
from courses.personal_codes import personal_code_issue_for_participant
from courses.tests.factories import DeliveryFactory, EnrolmentFactory, ParticipantFactory, region

PHONE = {"width": 360, "height": 740}


def assert_fits_phone(page):
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{page.url} is {width}px wide on a 360px screen"


def test_trainee_takes_pre_test_on_a_phone_and_trainer_sees_results(
    live_server, page, browser, check_page, login
):
    trainer = user_with_role(Role.TRAINER, username="trainer1", first_name="Шӯҳрат", last_name="Қосимов")
    delivery = DeliveryFactory(region=region("TJ-SU"), trainers=[trainer])
    instrument = make_instrument(delivery.course)
    questions = [
        single(instrument, text)
        for text in ("Мақсади асосӣ чист?", "Кӣ иштирок мекунад?", "Аввал чӣ кор кунем?")
    ]
    participant = ParticipantFactory(full_name="Ҷалолова Малика")
    EnrolmentFactory(delivery=delivery, participant=participant)
    window_open(delivery=delivery, phase=Phase.PRE, user=trainer)
    code = personal_code_issue_for_participant(participant=participant, issued_by=trainer).code

    phone_context = browser.new_context(viewport=PHONE, bypass_csp=True, locale="en-GB")
    phone = phone_context.new_page()
    phone.goto(f"{live_server.url}/accounts/code/")
    phone.get_by_label("Personal code").fill(code.lower())
    phone.get_by_role("button", name="Sign in").click()
    phone.wait_for_load_state("load")
    assert phone.url.endswith("/my/")
    assert_fits_phone(phone)
    check_page(phone, "assessments-my-360")

    phone.get_by_role("link", name="Take the test").first.click()
    phone.wait_for_load_state("load")
    assert_fits_phone(phone)
    check_page(phone, "assessments-take-pre-360")
    for question in questions[:2]:
        phone.get_by_label(question.choices.get(is_correct=True).text).check()
    phone.get_by_label(questions[2].choices.filter(is_correct=False).first().text).check()
    # With JavaScript the answers are saved as a draft while the trainee goes on.
    phone.get_by_text("Saved.").wait_for()
    assert Attempt.objects.get().status == Attempt.Status.DRAFT
    phone.get_by_role("button", name="Submit my answers").click()
    phone.wait_for_url(re.compile(r"/my/$"))
    assert phone.get_by_text("Thank you. Your answers were submitted.").is_visible()
    assert phone.get_by_text(re.compile(r"submitted\s+—\s+67%")).is_visible()
    check_page(phone, "assessments-my-submitted-360")
    phone_context.close()

    attempt = Attempt.objects.get()
    assert (attempt.status, attempt.source, float(attempt.score)) == ("submitted", "online", 2.0)

    page.set_viewport_size(PHONE)
    login(page, "trainer1")
    page.goto(f"{live_server.url}/deliveries/{delivery.pk}/tests/")
    check_page(page, "assessments-delivery-tests-360")
    page.get_by_role("link", name="Results").click()
    page.wait_for_load_state("load")
    row = page.get_by_role("row", name=re.compile("Ҷалолова Малика"))
    assert "67" in row.inner_text()
    check_page(page, "assessments-results-360")


def test_public_verifies_a_certificate_code(live_server, page, check_page):
    delivery = DeliveryFactory()
    participant = ParticipantFactory(full_name="Қурбонов Ӯктам")
    EnrolmentFactory(delivery=delivery, participant=participant)
    certificate = Certificate.objects.create(delivery=delivery, participant=participant, code="7KQM4XPA")

    page.set_viewport_size(PHONE)
    page.goto(f"{live_server.url}/certificates/verify/")
    check_page(page, "assessments-verify-lookup-360")
    page.get_by_label("Verification code").fill("7kqm-0000")
    page.get_by_role("button", name="Verify").click()
    page.wait_for_load_state("load")
    assert page.get_by_text("8 letters and digits").first.is_visible()
    page.get_by_label("Verification code").fill("7kqm 4xpa")
    page.get_by_role("button", name="Verify").click()
    page.wait_for_load_state("load")
    assert page.get_by_text("Valid certificate").is_visible()
    assert page.get_by_text("Қурбонов Ӯктам").is_visible()
    assert certificate.display_code in page.content()
    check_page(page, "assessments-verify-360")


def test_trainer_types_paper_answers_and_issues_certificates(live_server, page, check_page, login):
    trainer = user_with_role(Role.TRAINER, username="trainer2")
    delivery = DeliveryFactory(region=region("TJ-SU"), trainers=[trainer])
    instrument = make_instrument(delivery.course)
    for text in ("Савол 1", "Савол 2"):
        single(instrument, text)
    for name in ("Азизов Фарҳод", "Бобоева Зуҳра"):
        EnrolmentFactory(delivery=delivery, participant=ParticipantFactory(full_name=name))

    login(page, "trainer2")
    page.goto(f"{live_server.url}/deliveries/{delivery.pk}/tests/post/paper/")
    check_page(page, "assessments-paper-entry")
    page.get_by_label("Азизов Фарҳод, question 1").fill("a")
    page.keyboard.press("Tab")
    page.keyboard.type("b")
    page.keyboard.press("Tab")
    page.keyboard.type("Q")
    page.get_by_role("button", name="Save paper answers").click()
    page.wait_for_load_state("load")
    assert "Бобоева Зуҳра, question 1: “Q”" in page.get_by_role("alert").inner_text()
    assert not Attempt.objects.exists()
    check_page(page, "assessments-paper-entry-error")
    page.get_by_label("Бобоева Зуҳра, question 1").fill("a")
    page.get_by_role("button", name="Save paper answers").click()
    page.wait_for_load_state("load")
    assert page.get_by_text("2 paper tests saved.").is_visible()
    assert Attempt.objects.filter(source="paper", entered_by=trainer).count() == 2

    page.goto(f"{live_server.url}/deliveries/{delivery.pk}/certificates/")
    check_page(page, "assessments-certificates")
    page.goto(f"{live_server.url}/deliveries/{delivery.pk}/tests/marking/")
    check_page(page, "assessments-marking")
