"""The field kit with no connection, on a 360 × 740 phone (issue 13 items 4, 5 and 7; docs/field-kit.md).

A trainer opens Today online, loses the connection, opens a roster from the phone, marks ten and sends
them when the connection returns — once, also when the connection drops while sending; a trainee
answers a test offline and exactly one attempt results; signing out empties the phone.
"""

import re
import time
from datetime import timedelta

from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from accounts.roles import Role
from accounts.tests.factories import user_with_role
from assessments.models import Attempt, Phase
from assessments.services import window_open
from assessments.tests.factories import make_instrument, single
from attendance.models import AttendanceChange, AttendanceRecord
from attendance.tests.factories import make_roster
from courses.personal_codes import personal_code_issue_for_participant
from courses.tests.factories import DeliveryFactory, EnrolmentFactory, ParticipantFactory, region

PHONE = {"width": 360, "height": 740}
BATCH_URL = "**/api/v1/attendance/batches/"


def wait_until(page, predicate, timeout: float = 15.0, what: str = "") -> None:
    """Poll a condition on the server side (the database, a counter) while the page runs."""
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what or predicate}")
        page.wait_for_timeout(100)


# What the page's worker registration looks like, for a failure message.
REGISTRATION_STATE = """navigator.serviceWorker.getRegistration().then(function (registration) {
  if (!registration) { return "no registration"; }
  return ["installing", "waiting", "active"].map(function (slot) {
    return slot + ": " + (registration[slot] ? registration[slot].state : "none");
  }).join(", ");
})"""


def wait_for_worker_control(page, attempts: int = 3) -> None:
    """Wait until the field kit's service worker controls the page, loading the page again if its
    installation failed, as the next page a phone opens would retry it. The worker's installation
    fetches every static file; on a loaded CI machine one such fetch once failed and the page then
    waited its full 30 s for a worker that would not come (2026-11-30)."""
    for attempt in range(1, attempts + 1):
        try:
            page.wait_for_function("navigator.serviceWorker.controller !== null", timeout=15_000)
            return
        except PlaywrightTimeoutError as timeout:
            state = page.evaluate(REGISTRATION_STATE)
            if attempt == attempts:
                raise AssertionError(
                    f"no service worker controls {page.url} after {attempts} loads ({state})"
                ) from timeout
            print(f"no service worker controls {page.url} yet ({state}); loading it again")
            page.reload()


def trainer_opens_today(live_server, page, login, username: str = "trainer1", size: int = 10):
    """A trainer with a session later today opens Today online; the worker stores it and the roster."""
    trainer = user_with_role(Role.TRAINER, username=username)
    roster = make_roster(size, trainers=[trainer], starts_in=timedelta(hours=1))
    page.set_viewport_size(PHONE)
    login(page, username)
    page.goto(f"{live_server.url}/today/")
    wait_for_worker_control(page)
    # The worker controls the page from its first load on; reloading lets it see Today itself too.
    page.locator("[data-fieldkit-precached]").wait_for()
    return trainer, roster


def mark_ten_offline(page, roster):
    """Two exceptions, then "Save, the rest present": ten marks, all kept on the phone."""
    absent, late = roster.participants[2], roster.participants[5]
    page.locator(f"#row-{absent.pk}").get_by_label("Absent").check()
    page.locator(f"#row-{late.pk}").get_by_label("Late").check()
    page.get_by_role("button", name="Save, the rest present").click()
    page.get_by_text("10 marks waiting to send.").wait_for()
    return absent, late


def assert_ten_marks_arrived_once(roster, absent, late):
    records = AttendanceRecord.objects.filter(session=roster.session)
    assert records.count() == 10
    statuses = dict(records.values_list("participant_id", "status"))
    assert statuses[absent.pk] == "absent" and statuses[late.pk] == "late"
    assert list(statuses.values()).count("present") == 8
    changes = AttendanceChange.objects.filter(session=roster.session)
    # One change per person: no duplicates, and nobody went through "present" first.
    assert changes.count() == 10
    assert set(changes.values_list("source", flat=True)) == {"offline"}


def test_trainer_marks_ten_offline_and_they_arrive_once(live_server, page, context, check_page, login):
    _trainer, roster = trainer_opens_today(live_server, page, login)
    check_page(page, "field-kit-today-360")
    roster_url = f"{live_server.url}/sessions/{roster.session.pk}/attendance/"
    page.goto(roster_url)
    check_page(page, "field-kit-roster-360")

    context.set_offline(True)
    page.goto(f"{live_server.url}/today/")  # from the phone
    assert page.get_by_role("heading", name="Today", level=1).is_visible()
    page.get_by_role("link", name=re.compile(r"enrolled")).first.click()
    page.wait_for_url(roster_url)
    absent, late = mark_ten_offline(page, roster)
    page.screenshot(path="var/screenshots/field-kit-roster-waiting-360.png")
    assert not AttendanceRecord.objects.filter(session=roster.session).exists()
    # Reopened with no connection, the roster shows what waits on the phone.
    page.reload()
    page.get_by_text("10 marks waiting to send.").wait_for()
    assert page.locator(f"#row-{absent.pk}").get_by_label("Absent").is_checked()

    context.set_offline(False)
    page.get_by_text("10 marks sent.").wait_for()
    assert_ten_marks_arrived_once(roster, absent, late)
    assert not page.get_by_role("button", name="Send now").is_visible()


def test_a_save_lost_on_its_way_is_kept_and_sent_as_marks(live_server, page, context, login):
    """Online as far as the phone knows, but the roster's POST fails: the worker keeps the save."""
    _trainer, roster = trainer_opens_today(live_server, page, login, username="trainer8")
    roster_url = f"{live_server.url}/sessions/{roster.session.pk}/attendance/"
    page.goto(roster_url)

    def lose_the_post(route):
        if route.request.method == "POST":
            route.abort("connectionreset")
        else:
            route.continue_()

    context.route(roster_url, lose_the_post)
    absent, late = roster.participants[2], roster.participants[5]
    page.locator(f"#row-{absent.pk}").get_by_label("Absent").check()
    page.locator(f"#row-{late.pk}").get_by_label("Late").check()
    page.get_by_role("button", name="Save, the rest present").click()
    page.get_by_text("10 marks sent.").wait_for()
    assert_ten_marks_arrived_once(roster, absent, late)


def test_marks_survive_three_dropped_connections_without_duplicates(live_server, page, context, login):
    _trainer, roster = trainer_opens_today(live_server, page, login, username="trainer2")
    page.goto(f"{live_server.url}/sessions/{roster.session.pk}/attendance/")
    context.set_offline(True)
    absent, late = mark_ten_offline(page, roster)

    # The first three sends reach the server, which saves them, but the answer never reaches the phone.
    attempts = []

    def drop_the_answer(route):
        attempts.append(route.request.post_data_json["idempotency_key"])
        if len(attempts) <= 3:
            route.fetch()
            route.abort("internetdisconnected")
        else:
            route.continue_()

    page.route(BATCH_URL, drop_the_answer)
    context.set_offline(False)  # the `online` event sends the queue: attempt 1
    for attempt in (1, 2, 3):
        wait_until(page, lambda attempt=attempt: len(attempts) >= attempt, what=f"attempt {attempt}")
        page.get_by_text(re.compile("Could not send")).wait_for()
        if attempt < 3:
            assert page.get_by_text("10 marks waiting to send.").is_visible()
            page.get_by_role("button", name="Send now").click()
    page.get_by_role("button", name="Send now").click()
    page.get_by_text("10 marks sent.").wait_for()
    assert len(attempts) == 4 and len(set(attempts)) == 1, "every retry carries the batch's first key"
    assert_ten_marks_arrived_once(roster, absent, late)


def test_trainee_answers_a_test_offline_and_one_attempt_results(live_server, browser, check_page):
    trainer = user_with_role(Role.TRAINER, username="trainer3")
    delivery = DeliveryFactory(region=region("TJ-SU"), trainers=[trainer])
    instrument = make_instrument(delivery.course)
    questions = [single(instrument, text) for text in ("Мақсади асосӣ чист?", "Кӣ иштирок мекунад?")]
    participant = ParticipantFactory(full_name="Ҷалолова Малика")
    EnrolmentFactory(delivery=delivery, participant=participant)
    window_open(delivery=delivery, phase=Phase.PRE, user=trainer)
    code = personal_code_issue_for_participant(participant=participant, issued_by=trainer).code

    context = browser.new_context(viewport=PHONE, bypass_csp=True, locale="en-GB")
    phone = context.new_page()
    phone.goto(f"{live_server.url}/accounts/code/")
    phone.get_by_label("Personal code").fill(code)
    phone.get_by_role("button", name="Sign in").click()
    phone.wait_for_url(re.compile(r"/my/$"))
    wait_for_worker_control(phone)
    check_page(phone, "field-kit-my-360")
    phone.get_by_role("link", name="Take the test").first.click()
    phone.wait_for_load_state("load")
    test_url = phone.url

    context.set_offline(True)
    for question in questions:
        phone.get_by_label(question.choices.get(is_correct=True).text).check()
    phone.get_by_role("button", name="Submit my answers").click()
    phone.get_by_text(re.compile("submitted when the connection returns")).wait_for()
    assert not Attempt.objects.filter(status=Attempt.Status.SUBMITTED).exists()
    # Opened again with no connection: the page comes from the phone, the answers with it.
    phone.goto(test_url)
    phone.get_by_text(re.compile("submitted when the connection returns")).wait_for()
    assert phone.get_by_label(questions[0].choices.get(is_correct=True).text).is_checked()

    context.set_offline(False)
    phone.wait_for_url(re.compile(r"/my/$"))
    attempt = Attempt.objects.get()
    assert attempt.status == Attempt.Status.SUBMITTED
    assert float(attempt.score) == 2.0
    context.close()


def test_signing_out_clears_the_phone(live_server, page, context, login):
    _trainer, roster = trainer_opens_today(live_server, page, login, username="trainer4", size=3)
    page.goto(f"{live_server.url}/sessions/{roster.session.pk}/attendance/")
    context.set_offline(True)
    page.locator(f"#row-{roster.participants[0].pk}").get_by_label("Absent").check()
    page.get_by_role("button", name="Save", exact=True).click()
    page.get_by_text("1 mark waiting to send.").wait_for()
    assert page.evaluate("caches.has('hamkori-pages')")
    page.route(BATCH_URL, lambda route: route.abort())  # the mark stays unsent until sign-out
    context.set_offline(False)

    warnings = []

    def answer(dialog):
        warnings.append(dialog.message)
        dialog.accept()

    page.on("dialog", answer)
    page.get_by_role("button", name="Log out").click()
    page.wait_for_url(f"{live_server.url}/")
    page.wait_for_load_state("load")
    assert warnings and "not been sent" in warnings[0]
    assert not page.evaluate("caches.has('hamkori-pages')")
    databases = page.evaluate("indexedDB.databases().then(list => list.map(db => db.name))")
    assert "hamkori-fieldkit" not in databases
    assert not AttendanceRecord.objects.exists()


def test_an_expired_session_keeps_the_queue_until_the_trainer_signs_in_again(
    live_server, page, context, login
):
    _trainer, roster = trainer_opens_today(live_server, page, login, username="trainer5")
    roster_url = f"{live_server.url}/sessions/{roster.session.pk}/attendance/"
    page.goto(roster_url)
    context.set_offline(True)
    absent, late = mark_ten_offline(page, roster)
    context.clear_cookies()  # the session ended while the phone was offline
    context.set_offline(False)
    page.get_by_text("Sign in again to send 10 marks.").wait_for()
    assert not AttendanceRecord.objects.exists()
    page.get_by_role("link", name="Sign in").click()
    page.get_by_label("Username").fill("trainer5")
    page.get_by_label("Password").fill("pass-Word-123")
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(roster_url)
    page.get_by_text("10 marks sent.").wait_for()
    assert_ten_marks_arrived_once(roster, absent, late)


def test_two_trainers_one_offline_converge_to_the_later_mark(live_server, page, context, browser, login):
    other = user_with_role(Role.TRAINER, username="trainer7")
    _trainer, roster = trainer_opens_today(live_server, page, login, username="trainer6", size=3)
    roster.delivery.trainers.add(other)
    person = roster.participants[0]
    roster_url = f"{live_server.url}/sessions/{roster.session.pk}/attendance/"
    page.goto(roster_url)
    context.set_offline(True)
    page.locator(f"#row-{person.pk}").get_by_label("Absent").check()
    page.get_by_role("button", name="Save", exact=True).click()
    page.get_by_text("1 mark waiting to send.").wait_for()

    # Later, the second trainer marks the same person present, online.
    second_context = browser.new_context(viewport=PHONE, bypass_csp=True, locale="en-GB")
    second = second_context.new_page()
    login(second, "trainer7")
    second.goto(roster_url)
    second.locator(f"#row-{person.pk}").get_by_label("Present").check()
    second.get_by_role("button", name="Save", exact=True).click()
    second.get_by_text("Saved 1 mark.").wait_for()
    second_context.close()

    context.set_offline(False)
    page.get_by_text("1 mark sent.").wait_for()
    record = AttendanceRecord.objects.get(session=roster.session, participant=person)
    assert record.status == "present", "the later mark wins"
    history = AttendanceChange.objects.filter(session=roster.session, participant=person)
    assert sorted(history.values_list("new_status", "source")) == [("absent", "offline"), ("present", "web")]
