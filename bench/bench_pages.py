"""Median server time of our pages relative to the bare home page `/`, on the demo data.

Standalone: loads the demo data into a throwaway test database (SQLite unless DATABASE_URL says
otherwise), signs in as the demo trainee, trainer and staff member through Django's test client
(whole middleware stack, no network) and prints, per page, the median of RUNS requests, its ratio
to `/` and its queries. Issue 18 asks every page within 1.5× of `/`.
Run: .venv/bin/python bench/bench_pages.py [runs]

Each page's requests alternate with requests to `/` (anonymous, on its own client), and the ratio
is that page's median over the median of the `/` requests made beside it: this machine's speed
drifts by tens of per cent over a minute, so a `/` measured once at the start made the same page
1.6× in one run and 3.4× in the next (2026-12-01).

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
            "/today/",
            "/deliveries/",
            f"/deliveries/{delivery.pk}/",
            f"/sessions/{session.pk}/attendance/",
            f"/deliveries/{delivery.pk}/results/",
            f"/deliveries/{delivery.pk}/certificates/",
        ],
        "mestaff": ["/courses/", course.url, module.url, "/reports/"],
    }


def timed(request) -> float:
    started = time.perf_counter()
    request()
    return time.perf_counter() - started


def paired_medians(request_page, request_bare) -> tuple[float, float]:
    """(median seconds of the page, median seconds of `/`) over RUNS alternating requests of each."""
    request_page(), request_bare()  # warm caches (templates, rendition lookups, prepared statements)
    page_times, bare_times = [], []
    for _run in range(RUNS):
        page_times.append(timed(request_page))
        bare_times.append(timed(request_bare))
    return statistics.median(page_times), statistics.median(bare_times)


def measure(client: Client, path: str, bare: Client) -> tuple[float, float, int, int, int]:
    """(median seconds, median seconds of `/` beside it, queries, bytes, gzipped bytes) of `path`."""
    median, bare_median = paired_medians(lambda: client.get(path), lambda: bare.get("/"))
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path, headers={"accept-encoding": "gzip"})
    body = response.content
    raw = gzip.decompress(body) if response.get("Content-Encoding") == "gzip" else body
    return median, bare_median, len(queries), len(raw), len(body)


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


def measure_http(client: HttpClient, path: str, bare: HttpClient) -> tuple[float, float, int, int]:
    """(median seconds, median seconds of `/` beside it, raw bytes, bytes sent) of `path`."""
    sizes = []
    median, bare_median = paired_medians(lambda: sizes.append(client.get(path)), lambda: bare.get("/"))
    return median, bare_median, sizes[-1][1], sizes[-1][2]


HEADER = f"{'page':<48}{'median ms':>10}{'/ ms':>7}{'× /':>7}"


def row(label: str, median: float, bare_median: float) -> str:
    return f"{label[:47]:<48}{median * 1000:>10.1f}{bare_median * 1000:>7.1f}{median / bare_median:>7.2f}"


def main_http() -> None:
    from django.contrib.auth.models import User

    bare = HttpClient(HTTP)
    print(f"{connection.vendor}, over HTTP at {HTTP}, median of {RUNS} requests per page, each")
    print("beside as many requests to / (anonymous), alternating; × / is the page over those")
    print(f"{HEADER}{'KB':>7}{'KB sent':>9}")
    for role, paths in pages().items():
        cookie = "" if role == "anonymous" else http_session_cookie(User.objects.get(username=role))
        client = HttpClient(HTTP, cookie)
        for path in paths:
            median, bare_median, raw, sent = measure_http(client, path, bare)
            print(f"{row(role + ' ' + path, median, bare_median)}{raw / 1024:>7.1f}{sent / 1024:>9.1f}")


def main() -> None:
    if HTTP:
        main_http()
        return
    setup_test_environment()
    old_config = connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    try:
        call_command("load_demo_data", allow_production=True, verbosity=0)
        from django.contrib.auth.models import User

        bare = Client()
        print(f"median of {RUNS} requests per page, each beside as many requests to / (anonymous)")
        print(f"{HEADER}{'queries':>9}{'KB':>7}{'KB sent':>9}")
        for role, paths in pages().items():
            client = Client()
            if role != "anonymous":
                client.force_login(User.objects.get(username=role))
            for path in paths:
                median, bare_median, count, raw, sent = measure(client, path, bare)
                print(
                    f"{row(role + ' ' + path, median, bare_median)}{count:>9}{raw / 1024:>7.1f}{sent / 1024:>9.1f}"
                )
    finally:
        connection.creation.destroy_test_db(old_config, verbosity=0)


if __name__ == "__main__":
    main()
