"""Browser tests: Debian's Chromium driven by Playwright against pytest-django's live server.

Every page a test visits goes through `check_page`, which runs axe-core
(WCAG 2.1 A and AA) in the page and sends the page's HTML, as the server sent
it, to the Nu HTML checker. Both must find nothing.
"""

import json
import os
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path(os.environ.get("HAMKORI_CHROMIUM", "/usr/bin/chromium"))
AXE_JS = ROOT / "node_modules" / "axe-core" / "axe.min.js"
VNU_JAR = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
SCREENSHOT_DIR = ROOT / "var" / "screenshots"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_collection_modifyitems(items):
    # Live-server tests commit for real, so each one flushes the database afterwards;
    # serialized_rollback restores what the migrations seeded (roles, regions, locales, home page).
    for item in items:
        item.add_marker(pytest.mark.e2e)
        item.add_marker(pytest.mark.django_db(transaction=True, serialized_rollback=True))


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    missing = [str(path) for path in (CHROMIUM, AXE_JS, VNU_JAR) if not path.exists()]
    if missing:
        pytest.exit(f"Browser-test tools missing: {', '.join(missing)}. Run `make test-e2e`.", returncode=1)
    return {
        **browser_type_launch_args,
        "executable_path": str(CHROMIUM),
        "headless": True,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ],
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    # axe-core is injected as a script; bypassing CSP lets it run under our strict policy.
    return {**browser_context_args, "bypass_csp": True, "locale": "en-GB"}


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="session")
def html_checker():
    """The Nu HTML checker as a local HTTP service, started once for the whole run."""
    port = _free_port()
    process = subprocess.Popen(
        ["java", "-Xss1024k", "-cp", str(VNU_JAR), "nu.validator.servlet.Main", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}/?out=json"
    deadline = time.monotonic() + 90
    while True:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2)
            break
        except OSError:
            if time.monotonic() > deadline or process.poll() is not None:
                process.kill()
                pytest.exit("The Nu HTML checker (vnu.jar) did not start.", returncode=1)
            time.sleep(0.5)

    def validate(html: str) -> list[dict]:
        request = urllib.request.Request(
            url, data=html.encode("utf-8"), headers={"Content-Type": "text/html; charset=utf-8"}
        )
        with urllib.request.urlopen(request, timeout=60) as response:
            messages = json.load(response)["messages"]
        return [message for message in messages if message.get("type") in ("error", "non-document-error")]

    yield validate
    process.terminate()
    process.wait(timeout=10)


@pytest.fixture
def check_page(html_checker):
    """Assert the page in front of the browser has no WCAG 2.1 A/AA violation and valid HTML."""

    def check(page, name: str | None = None) -> None:
        page.wait_for_load_state("load")
        if name:
            SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(SCREENSHOT_DIR / f"{name}.png"), full_page=True)
        page.add_script_tag(path=str(AXE_JS))
        result = page.evaluate(
            "async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_TAGS
        )
        violations = [
            f"{violation['id']} ({violation['impact']}): {violation['help']} — "
            + "; ".join(node["target"][0] if node["target"] else "?" for node in violation["nodes"][:5])
            for violation in result["violations"]
        ]
        assert not violations, f"axe-core found WCAG violations on {page.url}:\n" + "\n".join(violations)

        response = page.request.get(page.url)
        assert response.ok, f"{page.url} answered {response.status}"
        errors = html_checker(response.text())
        described = [
            f"line {error.get('lastLine')}: {error.get('message')} — {error.get('extract', '')!r}"
            for error in errors
        ]
        assert not errors, f"Nu HTML checker found errors on {page.url}:\n" + "\n".join(described)

    return check


@pytest.fixture
def login(live_server):
    def log_in(page, username: str, password: str = "pass-Word-123") -> None:
        page.goto(f"{live_server.url}/accounts/login/")
        page.get_by_label("Username").fill(username)
        page.get_by_label("Password").fill(password)
        page.get_by_role("button", name="Log in").click()
        page.wait_for_load_state("load")

    return log_in
