"""The field kit's phone side: what the service worker caches and the words its scripts show.

The scripts (static/fieldkit/, attendance/static/attendance/roster-offline.js,
assessments/static/assessments/take-test.js) carry no English of their own: every page of a
signed-in user gets these strings, translated, in a JSON block (`{% fieldkit_strings_script %}` in
templates/base.html). See docs/field-kit.md.
"""

import hashlib
from functools import lru_cache

from django.contrib.staticfiles import finders
from django.templatetags.static import static
from django.utils.translation import gettext, ngettext

# Static files the worker stores when it installs, so that a page opened offline has its look and
# its scripts even if it was cached before the worker controlled any page.
PRECACHED_STATIC = (
    "css/hamkori.css",
    "attendance/attendance.css",
    "assessments/assessments.css",
    "fieldkit/fieldkit.js",
    "attendance/roster-offline.js",
    "assessments/take-test.js",
    "img/favicon.svg",
    "img/icon-192.png",
)

# Every script of the field kit, for the size budget (tests/test_field_kit_assets.py) and the bench.
FIELD_KIT_SCRIPTS = ("fieldkit/fieldkit.js", "attendance/roster-offline.js", "assessments/take-test.js")

# Page paths the worker serves network-first with a cached fallback (regular expressions, in the
# worker's JavaScript syntax). Nothing else is ever stored: other pages go to the network only.
CACHED_PAGE_PATTERNS = (
    r"^/$",
    r"^/today/$",
    r"^/sessions/\d+/attendance/$",
    r"^/my/$",
    r"^/my/tests/\d+/(pre|post)/$",
)


# The roster, whose saves the worker keeps on the phone when they cannot reach the server.
ROSTER_PATTERN = r"^/sessions/\d+/attendance/$"


def static_urls() -> list[str]:
    return [static(path) for path in PRECACHED_STATIC]


@lru_cache(maxsize=1)
def _content_digest() -> str:
    digest = hashlib.sha256()
    for path in PRECACHED_STATIC:
        found = finders.find(path)
        if found:
            with open(found, "rb") as handle:
                digest.update(handle.read())
    return digest.hexdigest()


def cache_version(worker_source: str) -> str:
    """Changes whenever the worker, a precached file's name or its content changes, so that a new
    worker drops the old caches (hashed static names in production; plain names in development)."""
    digest = hashlib.sha256(worker_source.encode())
    digest.update("\n".join(static_urls()).encode())
    digest.update(_content_digest().encode())
    return digest.hexdigest()[:12]


def _plural(singular_plural) -> list[str]:
    """The forms for 1, 2 and 5: with Intl.PluralRules the script picks one (one → 0, few → 1,
    many and other → 2), which fits the plural rules of en, ru, tg and ky."""
    return [singular_plural(count) for count in (1, 2, 5)]


def strings() -> dict:
    """The scripts' words in the active language; `%(count)s` and `%(name)s` are filled in by them."""
    return {
        "marks_waiting": _plural(
            lambda n: ngettext("%(count)s mark waiting to send.", "%(count)s marks waiting to send.", n)
        ),
        "sign_in_to_send": _plural(
            lambda n: ngettext(
                "Sign in again to send %(count)s mark.", "Sign in again to send %(count)s marks.", n
            )
        ),
        "marks_sent": _plural(lambda n: ngettext("%(count)s mark sent.", "%(count)s marks sent.", n)),
        "send_now": gettext("Send now"),
        "sign_in": gettext("Sign in"),
        "sending": gettext("Sending…"),
        "queued_offline": gettext("No connection: kept on this phone, sent when it returns."),
        "send_failed": gettext("Could not send: no connection."),
        "refused": gettext("Not saved"),
        "refused_row": gettext("%(name)s: %(reason)s"),
        "saved_offline_page": gettext("Saved on this phone: opens without a connection."),
        "answers_saved": gettext("Saved."),
        "answers_kept": gettext("Not saved: no connection. Your answers stay on this phone."),
        "answers_queued": gettext(
            "No connection: your answers are kept on this phone and submitted when the connection returns. "
            "Keep this page open or open it again later."
        ),
        "answers_sent": gettext("Your answers were submitted."),
        "answers_failed": gettext("Could not send: check the connection and press the button again."),
        "sign_out_unsent": gettext(
            "Some marks or answers on this phone have not been sent yet. Signing out deletes them. Sign out anyway?"
        ),
    }
