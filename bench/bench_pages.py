"""Median server time of our pages relative to the bare home page `/`, on the demo data.

Standalone: loads the demo data into a throwaway test database (SQLite unless DATABASE_URL says
otherwise), signs in as the demo trainee, trainer and staff member through Django's test client
(whole middleware stack, no network) and prints, per page, the median of RUNS requests, its ratio
to `/` measured in the same run, and its queries. Issue 18 asks every page within 1.5× of `/`.
Run: .venv/bin/python bench/bench_pages.py [runs]

With --http URL (bench/run_pages.sh starts the server and passes it) the pages are requested over
HTTP from a running server instead, as issue 18 measured them: the database is the server's own
(the same settings and DATABASE_URL), the demo people's sessions are created in it, and each
request is timed from sending to the last byte of the (gzip-accepting) response. Queries are then
not counted: they happen in the server.
"""

import gzip
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")  # --http: the server's settings

import logging

import django

django.setup()
logging.disable(logging.WARNING)  # axes logs every sign-in

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402

ARGS = [arg for arg in sys.argv[1:] if not arg.startswith("--")]
RUNS = int(ARGS[0]) if ARGS and ARGS[0].isdigit() else 30
HTTP = sys.argv[sys.argv.index("--http") + 1] if "--http" in sys.argv else None


def pages() -> dict[str, list[str]]:
    """The pages of issue 18, found in the demo data."""
    from assessments.models import Attempt, Phase, TestWindow
    from courses.models import Delivery, Participant, Session
    from curriculum.models import CoursePage, ModulePage

    trainee = Participant.objects.get(user__username="trainee")
    windows = TestWindow.objects.filter(delivery__enrolments__participant=trainee, closed_at__isnull=True)
    window = windows.exclude(
        delivery__attempts__participant=trainee, delivery__attempts__status=Attempt.Status.SUBMITTED
    ).first()
    delivery = Delivery.objects.filter(trainers__username="trainer").order_by("-pk").first()
    session = Session.objects.filter(delivery=delivery).first()
    course, module = CoursePage.objects.live().first(), ModulePage.objects.live().first()
    trainee_pages = ["/my/"]
    if window is not None:
        trainee_pages.append(f"/my/tests/{window.delivery_id}/{window.phase or Phase.PRE}/")
    return {
        "anonymous": ["/accounts/code/", "/certificates/verify/"],
        "trainee": trainee_pages,
        "trainer": [
            "/deliveries/",
            f"/deliveries/{delivery.pk}/",
            f"/sessions/{session.pk}/attendance/",
            f"/deliveries/{delivery.pk}/results/",
        ],
        "mestaff": ["/courses/", course.url, module.url, "/reports/"],
    }


def measure(client: Client, path: str) -> tuple[float, int, int, int]:
    """(median seconds, queries, bytes, gzipped bytes) of RUNS requests to `path`."""
    client.get(path)  # warm caches (templates, rendition lookups)
    times = []
    for _run in range(RUNS):
        started = time.perf_counter()
        response = client.get(path)
        times.append(time.perf_counter() - started)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path, headers={"accept-encoding": "gzip"})
    body = response.content
    raw = gzip.decompress(body) if response.get("Content-Encoding") == "gzip" else body
    return statistics.median(times), len(queries), len(raw), len(body)


class HttpClient:
    """Requests over one kept-alive connection, with a session cookie when signed in."""

    def __init__(self, base_url: str, session_cookie: str = ""):
        import http.client
        from urllib.parse import urlparse

        url = urlparse(base_url)
        self.connection = http.client.HTTPConnection(url.hostname, url.port, timeout=30)
        self.headers = {"Accept-Encoding": "gzip", "Accept": "text/html"}
        if session_cookie:
            self.headers["Cookie"] = session_cookie

    def get(self, path: str) -> tuple[float, int, int]:
        """(seconds, raw bytes, bytes sent) of one GET; the status must be 200."""
        started = time.perf_counter()
        self.connection.request("GET", path, headers=self.headers)
        response = self.connection.getresponse()
        body = response.read()
        elapsed = time.perf_counter() - started
        if response.status != 200:
            raise SystemExit(f"{path} answered {response.status}")
        raw = gzip.decompress(body) if response.getheader("Content-Encoding") == "gzip" else body
        return elapsed, len(raw), len(body)


def http_session_cookie(user) -> str:
    """A signed-in session for `user`, created in the server's database, as a Cookie header."""
    from django.conf import settings

    client = Client()
    client.force_login(user)
    return f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"


def measure_http(client: HttpClient, path: str) -> tuple[float, int, int]:
    client.get(path)
    timings = [client.get(path) for _run in range(RUNS)]
    return statistics.median(timing[0] for timing in timings), timings[-1][1], timings[-1][2]


def main_http() -> None:
    from django.contrib.auth.models import User

    base, _raw, _sent = measure_http(HttpClient(HTTP), "/")
    print(f"{connection.vendor}, over HTTP at {HTTP}, median of {RUNS} requests per page")
    print(f"{'page':<48}{'median ms':>10}{'× /':>7}{'KB':>7}{'KB sent':>9}")
    print(f"{'/ (anonymous)':<48}{base * 1000:>10.1f}{1.0:>7.2f}")
    for role, paths in pages().items():
        cookie = "" if role == "anonymous" else http_session_cookie(User.objects.get(username=role))
        client = HttpClient(HTTP, cookie)
        for path in paths:
            median, raw, sent = measure_http(client, path)
            print(
                f"{(role + ' ' + path)[:47]:<48}{median * 1000:>10.1f}{median / base:>7.2f}"
                f"{raw / 1024:>7.1f}{sent / 1024:>9.1f}"
            )


def main() -> None:
    if HTTP:
        main_http()
        return
    setup_test_environment()
    old_config = connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    try:
        call_command("load_demo_data", allow_production=True, verbosity=0)
        from django.contrib.auth.models import User

        base, _q, _raw, _sent = measure(Client(), "/")
        print(f"{'page':<48}{'median ms':>10}{'× /':>7}{'queries':>9}{'KB':>7}{'KB sent':>9}")
        print(f"{'/ (anonymous)':<48}{base * 1000:>10.1f}{1.0:>7.2f}")
        for role, paths in pages().items():
            client = Client()
            if role != "anonymous":
                client.force_login(User.objects.get(username=role))
            for path in paths:
                median, count, raw, sent = measure(client, path)
                print(
                    f"{(role + ' ' + path)[:47]:<48}{median * 1000:>10.1f}{median / base:>7.2f}"
                    f"{count:>9}{raw / 1024:>7.1f}{sent / 1024:>9.1f}"
                )
    finally:
        connection.creation.destroy_test_db(old_config, verbosity=0)


if __name__ == "__main__":
    main()
