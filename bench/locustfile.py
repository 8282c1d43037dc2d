"""Load mix of issue 18: trainees signing in with their codes and taking a test, trainers saving 40-person
rosters, staff reading /reports/.

Run through bench/run_load.sh (which builds the data and the server); by hand:

    BENCH_LOAD_DATA=var/bench-load.json .venv/bin/locust -f bench/locustfile.py --host http://127.0.0.1:8000

The data file comes from bench/load_data.py. Users: TrainerUser and StaffUser have fixed counts
(5 and 2, as in the issue); every other simulated user is a TraineeUser (43 of 50, 93 of 100).

Each simulated person sends its own client address in X-Forwarded-For (the server trusts the loopback
proxy, HAMKORI_TRUSTED_PROXIES=127.0.0.1, as behind nginx), so the sign-in throttles count each
phone separately as they would in the field, with their production limits.

Requests are named by route (ids replaced by placeholders) so the table has one row per endpoint.
"""

import html
import itertools
import json
import os
import random
import re
from pathlib import Path

from locust import HttpUser, between, task
from locust.exception import StopUser

DATA = json.loads(Path(os.environ.get("BENCH_LOAD_DATA", "var/bench-load.json")).read_text(encoding="utf-8"))
# One trainee account per sign-in: a submitted test cannot be taken again.
# Each run of bench/run_load.sh starts at its own share (BENCH_TRAINEE_START).
TRAINEE_POOL = itertools.islice(DATA["trainees"], int(os.environ.get("BENCH_TRAINEE_START", "0")), None)
ADDRESSES = (f"10.{n // 65536 % 256}.{n // 256 % 256}.{n % 256}" for n in itertools.count(1))
TRAINER_POOL = itertools.cycle(DATA["trainers"])
STAFF_POOL = itertools.cycle(DATA["staff"])


# The tags a form is made of, and one attribute (name, optional quoted value). Read with regular
# expressions rather than html.parser: the load generator runs on the same two cores as the
# server, and parsing every 15–20 KB page in pure Python took CPU the server then lacked.
_FORM_TAGS = re.compile(r"<(/?)(form|input|select|option|textarea)\b([^>]*)>", re.IGNORECASE)
_ATTRIBUTE = re.compile(r'([^\s=/>]+)(?:\s*=\s*(?:"([^"]*)"|\'([^\']*)\'|([^\s>]+)))?')


def _attributes(text: str) -> dict[str, str | None]:
    """A tag's attributes as html.parser gives them: names lower-cased, values unescaped, None without one."""
    found: dict[str, str | None] = {}
    for match in _ATTRIBUTE.finditer(text):
        value = next((part for part in match.group(2, 3, 4) if part is not None), None)
        found[match.group(1).lower()] = None if value is None else html.unescape(value)
    return found


class Forms:
    """The forms of a page: their attributes and fields (inputs, textareas, selects), in order."""

    def __init__(self, page: str):
        self.forms: list[dict] = []
        select: dict | None = None
        for match in _FORM_TAGS.finditer(page):
            closing, tag, attributes = match.group(1), match.group(2).lower(), _attributes(match.group(3))
            if closing:
                if tag == "select":
                    select = None
                continue
            if tag == "form":
                self.forms.append({"attrs": attributes, "fields": []})
            elif not self.forms:
                continue
            elif tag == "input" and attributes.get("name"):
                self.forms[-1]["fields"].append(attributes)
            elif tag == "textarea" and attributes.get("name"):
                end = page.find("</textarea>", match.end())
                value = html.unescape(page[match.end() : end if end >= 0 else match.end()])
                self.forms[-1]["fields"].append({**attributes, "type": "textarea", "value": value})
            elif tag == "select" and attributes.get("name"):
                select = {**attributes, "type": "select", "options": []}
                self.forms[-1]["fields"].append(select)
            elif tag == "option" and select is not None:
                select["options"].append(attributes.get("value") or "")

    def find(self, predicate) -> dict:
        for form in self.forms:
            if predicate(form["attrs"]):
                return form
        raise LookupError("form not found")


def form_data(form: dict) -> dict[str, str | list[str]]:
    """What a browser would send without any change: hidden and text values, checked boxes."""
    data: dict[str, list[str]] = {}
    for field in form["fields"]:
        kind = field.get("type", "text")
        if kind in ("submit", "button", "reset", "file"):
            continue
        if kind in ("radio", "checkbox") and "checked" not in field:
            continue
        if kind == "select":
            value = field["options"][0] if field["options"] else ""
        else:
            value = field.get("value", "") or ""
        data.setdefault(field["name"], []).append(value)
    return data


def choice_groups(form: dict, prefix: str) -> dict[str, list[dict]]:
    """Radio and checkbox fields whose name starts with `prefix`, grouped by name."""
    groups: dict[str, list[dict]] = {}
    for field in form["fields"]:
        if field["name"].startswith(prefix) and field.get("type") in ("radio", "checkbox"):
            groups.setdefault(field["name"], []).append(field)
    return groups


class Person(HttpUser):
    abstract = True

    def on_start(self):
        self.client.headers["X-Forwarded-For"] = next(ADDRESSES)
        # Production settings mark the session and CSRF cookies Secure, which a client sends only
        # over HTTPS; the bench server speaks plain HTTP on the loopback (no TLS proxy in front),
        # so this client clears the flag on every cookie it receives. Only the client bends: the
        # server runs its production settings.
        send = self.client.request

        def request_keeping_cookies(*args, **kwargs):
            response = send(*args, **kwargs)
            for cookie in self.client.cookies:
                cookie.secure = False
            return response

        self.client.request = request_keeping_cookies

    def csrf_token(self, html: str) -> str:
        for form in Forms(html).forms:
            for field in form["fields"]:
                if field["name"] == "csrfmiddlewaretoken":
                    return field["value"]
        raise LookupError("no CSRF token in the page")

    def password_sign_in(self, account: dict) -> None:
        page = self.client.get("/accounts/login/", name="/accounts/login/ GET")
        response = self.client.post(
            "/accounts/login/",
            data={
                "csrfmiddlewaretoken": self.csrf_token(page.text),
                "username": account["username"],
                "password": account["password"],
            },
            name="/accounts/login/ POST",
            allow_redirects=False,
        )
        if response.status_code != 302:
            raise StopUser(f"sign-in of {account['username']} failed: {response.status_code}")


class TraineeUser(Person):
    """Signs in with a personal code, opens the test, saves a draft twice, submits; then the next
    trainee (a fresh account and address) on the same simulated phone."""

    wait_time = between(1, 3)

    @task
    def take_a_test(self):
        trainee = next(TRAINEE_POOL, None)
        if trainee is None:
            raise StopUser("no trainee accounts left: load more with bench/load_data.py --trainees")
        self.client.cookies.clear()
        self.client.headers["X-Forwarded-For"] = next(ADDRESSES)
        page = self.client.get("/accounts/code/", name="/accounts/code/ GET")
        with self.client.post(
            "/accounts/code/",
            data={"csrfmiddlewaretoken": self.csrf_token(page.text), "code": trainee["code"]},
            name="/accounts/code/ POST",
            allow_redirects=False,
            catch_response=True,
        ) as response:
            if response.status_code != 302:
                response.failure(f"code sign-in answered {response.status_code}")
                return
        self.client.get("/my/", name="/my/")
        self.wait()
        test_url = f"/my/tests/{trainee['delivery']}/{trainee['phase']}/"
        with self.client.get(test_url, name="/my/tests/[delivery]/[phase]/ GET", catch_response=True) as page:
            try:
                form = Forms(page.text).find(lambda attrs: "data-autosave-url" in attrs)
            except LookupError:
                page.failure("no test form on the page")
                return
        answers = form_data(form)
        groups = list(choice_groups(form, "q").items())
        for given in (len(groups) // 2, len(groups)):
            for name, options in groups[:given]:
                answers[name] = [random.choice(options)["value"]]
            with self.client.post(
                form["attrs"]["data-autosave-url"],
                data=answers,
                name="/my/tests/[delivery]/[phase]/draft/ POST",
                catch_response=True,
            ) as response:
                if response.status_code != 200 or not response.json().get("saved"):
                    response.failure(f"draft not saved: {response.status_code} {response.text[:200]}")
            self.wait()
        for name, value in answers.items():
            if not value and any(field["name"] == name for field in form["fields"]):
                answers[name] = ["Ответ"]
        with self.client.post(
            test_url,
            data=answers,
            headers={"X-Requested-With": "fetch"},
            name="/my/tests/[delivery]/[phase]/ POST (submit)",
            catch_response=True,
        ) as response:
            if response.status_code != 200 or not response.json().get("submitted"):
                response.failure(f"not submitted: {response.status_code} {response.text[:200]}")


class TrainerUser(Person):
    """Opens one of their rosters, marks all 40 people and saves, sometimes looks at Today."""

    fixed_count = 5
    wait_time = between(2, 5)

    def on_start(self):
        super().on_start()
        self.account = next(TRAINER_POOL)
        self.sessions = itertools.cycle(self.account["sessions"])
        self.password_sign_in(self.account)

    @task(5)
    def save_a_roster(self):
        session = next(self.sessions)
        url = f"/sessions/{session}/attendance/"
        page = self.client.get(url, name="/sessions/[id]/attendance/ GET")
        form = Forms(page.text).find(lambda attrs: "roster" in attrs.get("class", "").split())
        data = form_data(form)
        for name, options in choice_groups(form, "status-").items():
            data[name] = [random.choice(options)["value"]]
        data["action"] = ["save"]
        with self.client.post(
            url, data=data, name="/sessions/[id]/attendance/ POST", allow_redirects=False, catch_response=True
        ) as response:
            if response.status_code != 302:
                response.failure(f"roster not saved: {response.status_code}")

    @task(1)
    def today(self):
        self.client.get("/today/", name="/today/")


class StaffUser(Person):
    """Reads the reports dashboard."""

    fixed_count = 2
    wait_time = between(2, 5)

    def on_start(self):
        super().on_start()
        self.password_sign_in(next(STAFF_POOL))

    @task
    def reports(self):
        self.client.get("/reports/", name="/reports/")
