"""The field kit on a 360 px phone: wire bytes of Today, a roster and a test page on a cold and a warm
load, the time to send 40 queued marks, and the size of the field kit's JavaScript (issue 13).

Standalone: makes a throwaway test database (SQLite unless DATABASE_URL says otherwise), starts
Django's live server and drives Debian's Chromium with Playwright. Bytes are counted where they
leave the server (every response: headers and body as sent, HTML gzipped by CompressionMiddleware),
so they include what the service worker fetches. The test server sends static files uncompressed;
production sends WhiteNoise's pre-compressed copies, so static bytes are also given gzipped.
"Cold": a fresh phone profile, signed in, opening the page for the first time (the worker installs
and stores its files). "Warm": the same page opened again (static files from the worker's cache).
Run: .venv/bin/python bench/bench_field_kit.py
"""

import gzip
import os
import sys
import threading
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

import logging  # noqa: E402

import django  # noqa: E402

django.setup()
logging.disable(logging.WARNING)

from django.contrib.staticfiles.handlers import StaticFilesHandler  # noqa: E402
from django.contrib.staticfiles.testing import StaticLiveServerTestCase  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402
from playwright.sync_api import sync_playwright  # noqa: E402

PHONE = {"width": 360, "height": 740}
CHROMIUM = os.environ.get("HAMKORI_CHROMIUM", "/usr/bin/chromium")
TEXT_TYPES = ("text/", "application/javascript", "application/json", "image/svg")
SENT: list[dict] = []
LOCK = threading.Lock()


class CountingHandler(StaticFilesHandler):
    """Records every response's size as it leaves the server."""

    def __call__(self, environ, start_response):
        record = {"path": environ["PATH_INFO"], "headers": {}, "body": b"", "header_bytes": 0}

        def start(status, headers, exc_info=None):
            record["headers"] = {name.lower(): value for name, value in headers}
            record["header_bytes"] = len(status) + sum(len(n) + len(v) + 4 for n, v in headers) + 13
            return start_response(status, headers, exc_info)

        started = time.perf_counter()
        for chunk in super().__call__(environ, start):
            record["body"] += chunk
            yield chunk
        record["seconds"] = time.perf_counter() - started
        with LOCK:
            SENT.append(record)


class Server(StaticLiveServerTestCase):
    static_handler = CountingHandler


def wire(records, page_path: str) -> tuple[int, int, int, int]:
    """(bytes as sent, bytes with static text gzipped as production sends it, all HTML bytes, the
    page's own HTML bytes; the rest of the HTML is what the worker stores: rosters, offline page)."""
    sent = production = html = page = 0
    for record in records:
        body = len(record["body"]) + record["header_bytes"]
        sent += body
        kind = record["headers"].get("content-type", "")
        plain_static = record["path"].startswith("/static/") and "content-encoding" not in record["headers"]
        if plain_static and kind.startswith(TEXT_TYPES):
            production += len(gzip.compress(record["body"], 9)) + record["header_bytes"]
        else:
            production += body
        if kind.startswith("text/html"):
            html += body
            if record["path"] == page_path:
                page += body
    return sent, production, html, page


def settle(page, quiet: float = 1.0, limit: float = 15.0) -> None:
    """Wait until the server has sent nothing for `quiet` seconds (the worker's fetches included)."""
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        count = len(SENT)
        page.wait_for_timeout(int(quiet * 1000))
        if len(SENT) == count:
            return


def session_cookie(user, url: str) -> list[dict]:
    client = Client()
    client.force_login(user)
    return [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": url}]


def load(browser, url: str, cookies: list[dict], page_path: str) -> dict:
    context = browser.new_context(viewport=PHONE, locale="en-GB", bypass_csp=True)
    context.add_cookies(cookies)
    page = context.new_page()
    result = {}
    for label in ("cold", "warm"):
        SENT.clear()
        page.goto(url + page_path)
        page.wait_for_load_state("load")
        if label == "cold":
            page.wait_for_function("navigator.serviceWorker.controller !== null", timeout=15000)
        settle(page)
        result[label] = wire(list(SENT), page_path)
    context.close()
    return result


def main() -> None:
    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    Server.setUpClass()
    try:
        run(Server.live_server_url)
    finally:
        Server.tearDownClass()
        connection.creation.destroy_test_db(old_name, verbosity=0)


def run(url: str) -> None:
    from django.contrib.staticfiles import finders

    from accounts.roles import Role
    from accounts.tests.factories import user_with_role
    from assessments.models import Phase
    from assessments.services import window_open
    from assessments.tests.factories import make_instrument, single
    from attendance.models import AttendanceRecord
    from attendance.tests.factories import make_roster
    from core.fieldkit import FIELD_KIT_SCRIPTS
    from courses.tests.factories import EnrolmentFactory, ParticipantFactory

    trainer = user_with_role(Role.TRAINER, username="bench-trainer")
    # 39 plus the trainee below: a roster of 40.
    roster = make_roster(39, trainers=[trainer], starts_in=timedelta(hours=1))
    make_roster(12, trainers=[trainer], starts_in=timedelta(days=2))
    instrument = make_instrument(roster.delivery.course)
    for number in range(10):
        single(instrument, f"Савол {number + 1}", options=4)
    trainee_user = user_with_role(Role.TRAINEE, username="bench-trainee")
    trainee = ParticipantFactory(user=trainee_user)
    EnrolmentFactory(delivery=roster.delivery, participant=trainee)
    window_open(delivery=roster.delivery, phase=Phase.PRE, user=trainer)

    pages = {
        "Today (trainer)": ("/today/", session_cookie(trainer, url)),
        "Roster, 40 people": (f"/sessions/{roster.session.pk}/attendance/", session_cookie(trainer, url)),
        "Test page, 10 questions": (
            f"/my/tests/{roster.delivery.pk}/pre/",
            session_cookie(trainee_user, url),
        ),
    }
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        print("Wire bytes at 360 px (headers + body as sent; static gzipped as in production; of it HTML,")
        print("and of that the page itself; the rest is what the worker stores for offline use)")
        for name, (path, cookies) in pages.items():
            result = load(browser, url, cookies, path)
            for label in ("cold", "warm"):
                sent, production, html, own = result[label]
                print(
                    f"  {name:24} {label}: {sent / 1024:5.1f} KB sent, {production / 1024:5.1f} KB with "
                    f"static compressed; HTML {html / 1024:4.1f} KB, the page {own / 1024:4.1f} KB"
                )

        context = browser.new_context(viewport=PHONE, locale="en-GB", bypass_csp=True)
        context.add_cookies(session_cookie(trainer, url))
        page = context.new_page()
        page.goto(f"{url}/sessions/{roster.session.pk}/attendance/")
        page.wait_for_function("navigator.serviceWorker.controller !== null", timeout=15000)
        context.set_offline(True)
        page.get_by_role("button", name="Save, the rest present").click()
        page.get_by_text("40 marks waiting to send.").wait_for()
        SENT.clear()
        started = time.perf_counter()
        context.set_offline(False)
        page.get_by_text("40 marks sent.").wait_for()
        elapsed = time.perf_counter() - started
        batch = [record for record in SENT if record["path"] == "/api/v1/attendance/batches/"]
        assert AttendanceRecord.objects.filter(session=roster.session).count() == 40
        print(
            f'Sending 40 queued marks: {elapsed * 1000:.0f} ms from reconnecting to "40 marks sent." '
            f"(server {batch[0]['seconds'] * 1000:.0f} ms, one request of {len(batch)})"
        )
        context.close()
        browser.close()

    sizes = []
    for name in FIELD_KIT_SCRIPTS:
        with open(finders.find(name), "rb") as handle:
            source = handle.read()
        sizes.append((name, len(source), len(gzip.compress(source, 9))))
    print(
        "Field-kit JavaScript: "
        + ", ".join(f"{name} {raw} B ({packed} B gzip)" for name, raw, packed in sizes)
    )
    print(f"  together {sum(size[2] for size in sizes) / 1024:.1f} KB gzip (budget 30 KB)")


if __name__ == "__main__":
    main()
