"""The field kit's phone side, as the server serves it (issue 13 items 4, 5 and 7; docs/field-kit.md):
the worker and manifest with the right headers, the translated words for the scripts, the sign-out
header that clears the phone, and the size budget of all field-kit JavaScript."""

import gzip
import json
import re

import pytest
from django.contrib.staticfiles import finders
from django.urls import set_script_prefix

from accounts.roles import Role
from accounts.tests.factories import user_with_role
from core import fieldkit

pytestmark = pytest.mark.django_db

# Issue 13 item 7: all JavaScript of the field kit together, compressed.
FIELD_KIT_JS_BUDGET = 30 * 1024


def field_kit_js_gzip_bytes() -> int:
    total = 0
    for name in fieldkit.FIELD_KIT_SCRIPTS:
        path = finders.find(name)
        assert path, f"{name} is missing"
        with open(path, "rb") as handle:
            total += len(gzip.compress(handle.read(), compresslevel=9))
    return total


def test_all_field_kit_javascript_is_under_30_kb_compressed():
    assert field_kit_js_gzip_bytes() < FIELD_KIT_JS_BUDGET


def test_the_budget_counts_every_script_the_pages_load(client):
    """A new field-kit script must be added to FIELD_KIT_SCRIPTS, or the budget above misses it."""
    trainer = user_with_role(Role.TRAINER)
    client.force_login(trainer)
    page = client.get("/today/").content.decode()
    loaded = set(re.findall(r'<script src="/static/([^"]+)"', page))
    assert loaded <= set(fieldkit.FIELD_KIT_SCRIPTS)
    assert "fieldkit/fieldkit.js" in loaded


def test_field_kit_scripts_hold_no_english_words():
    """Words come from the page, translated: the scripts show nothing they did not get from it."""
    for name in fieldkit.FIELD_KIT_SCRIPTS:
        with open(finders.find(name), encoding="utf-8") as handle:
            source = handle.read()
        code = re.sub(r"/\*.*?\*/|^\s*//.*$", "", source, flags=re.DOTALL | re.MULTILINE)
        for sentence in ("waiting to send", "Send now", "No connection", "Saved.", "Sign in", "Сохранено"):
            assert sentence not in code, f"{name} hard-codes {sentence!r}"


def test_the_worker_is_served_from_the_root_never_cached_with_its_precache_list(client):
    response = client.get("/sw.js", headers={"accept-encoding": "identity"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/javascript")
    assert response["Service-Worker-Allowed"] == "/"
    assert "no-cache" in response["Cache-Control"]
    body = response.content.decode()
    config = json.loads(re.search(r"var CONFIG = (\{.*\});", body).group(1))
    assert "/static/fieldkit/fieldkit.js" in config["static"]
    assert config["offline"] == "/offline/"
    assert any(re.match(pattern, "/sessions/12/attendance/") for pattern in config["pages"])
    assert not any(re.match(pattern, "/deliveries/12/attendance/") for pattern in config["pages"])
    for name in fieldkit.PRECACHED_STATIC:
        assert finders.find(name), f"the worker precaches {name}, which does not exist"


def test_the_cache_version_changes_with_the_worker():
    assert fieldkit.cache_version("a") != fieldkit.cache_version("b")


def test_the_manifest_makes_the_site_installable(client):
    response = client.get("/manifest.webmanifest")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/manifest+json"
    manifest = response.json()
    assert manifest["name"] == "Hamkori"
    assert {icon["sizes"] for icon in manifest["icons"]} == {"192x192", "512x512"}
    for icon in manifest["icons"]:
        assert finders.find(icon["src"].removeprefix("/static/"))


def test_pages_link_the_manifest_and_only_signed_in_pages_load_the_kit(client):
    page = client.get("/accounts/login/").content.decode()
    assert 'rel="manifest" href="/manifest.webmanifest"' in page
    assert 'name="theme-color"' in page
    assert "fieldkit.js" not in page and "fieldkit-strings" not in page
    client.force_login(user_with_role(Role.TRAINER))
    page = client.get("/today/").content.decode()
    words = json.loads(
        re.search(r'<script id="fieldkit-strings" type="application/json">(.*?)</script>', page).group(1)
    )
    assert words["marks_waiting"] == [
        "%(count)s mark waiting to send.",
        "%(count)s marks waiting to send.",
        "%(count)s marks waiting to send.",
    ]
    assert words["login_url"] == "/accounts/login/"


def _words(page: str) -> dict:
    return json.loads(
        re.search(r'<script id="fieldkit-strings" type="application/json">(.*?)</script>', page).group(1)
    )


def test_the_words_come_in_the_readers_language(client):
    client.force_login(user_with_role(Role.TRAINER))
    page = client.get("/today/", headers={"accept-language": "ru"}).content.decode()
    assert '<html lang="ru">' in page


def test_each_language_keeps_its_own_words_in_one_process(client):
    """The block is written once per language and process: a reader never gets another's language."""
    client.force_login(user_with_role(Role.TRAINER))
    english = _words(client.get("/today/", headers={"accept-language": "en"}).content.decode())
    russian = _words(client.get("/today/", headers={"accept-language": "ru"}).content.decode())
    kyrgyz = _words(client.get("/today/", headers={"accept-language": "ky"}).content.decode())
    english_again = _words(client.get("/today/", headers={"accept-language": "en"}).content.decode())
    assert english == english_again
    assert english["send_now"] == "Send now"
    for words in (russian, kyrgyz):
        assert words["send_now"] != "Send now"
        assert re.search("[а-яА-ЯңөүҢӨҮ]", words["send_now"]), words["send_now"]
    assert russian["send_now"] != kyrgyz["send_now"]


def test_the_header_and_the_words_follow_the_script_prefix(client):
    """Served under a path, the kept addresses carry it, and the root's do not. (Django's test client
    does not set the prefix from SCRIPT_NAME as the WSGI handler does, so the test sets it.)"""
    client.force_login(user_with_role(Role.TRAINER))
    at_root = client.get("/today/").content.decode()
    set_script_prefix("/hamkori/")
    try:
        under_prefix = client.get("/today/").content.decode()
    finally:
        set_script_prefix("/")
    assert _words(under_prefix)["login_url"] == "/hamkori/accounts/login/"
    assert 'href="/hamkori/today/"' in under_prefix
    assert _words(at_root)["login_url"] == "/accounts/login/"
    assert 'href="/today/"' in at_root and "/hamkori/" not in at_root
    assert _words(client.get("/today/").content.decode())["login_url"] == "/accounts/login/"


def test_the_offline_page_offers_the_pages_kept_on_the_phone(client):
    response = client.get("/offline/")
    assert response.status_code == 200
    assert b'href="/today/"' in response.content and b'href="/my/"' in response.content


def test_signing_out_tells_the_browser_to_clear_the_phone(client):
    client.force_login(user_with_role(Role.TRAINER))
    response = client.post("/accounts/logout/")
    assert response.status_code == 302
    assert response["Clear-Site-Data"] == '"cache", "storage"'


def test_field_kit_pages_keep_no_store(client):
    """The worker stores pages itself; the pages still tell every other cache not to."""
    client.force_login(user_with_role(Role.TRAINER))
    assert "no-store" in client.get("/today/")["Cache-Control"]


def test_field_kit_pages_come_compressed(client):
    client.force_login(user_with_role(Role.TRAINER))
    response = client.get("/today/", headers={"accept-encoding": "gzip"})
    assert response["Content-Encoding"] == "gzip"
