"""Security headers and session rules that apply to every request."""

import time

from csp.middleware import CSPMiddleware
from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.middleware.gzip import GZipMiddleware
from django.utils import translation
from django.utils.cache import add_never_cache_headers

from accounts import roles

from . import audit
from .languages import language_code

# Wagtail 8's admin runs inline scripts and styles (measured: with script-src 'self'
# its dashboard and page editor log eight blocked inline scripts), and its image
# uploader previews blob: URLs. Only /admin/ gets these allowances.
ADMIN_POLICY_OVERRIDES = {
    "script-src": ["'self'", "'unsafe-inline'"],
    "style-src": ["'self'", "'unsafe-inline'"],
    "img-src": ["'self'", "data:", "blob:"],
}


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    def process_response(self, request: HttpRequest, response: HttpResponse) -> HttpResponse:
        if request.path.startswith("/admin/") and not hasattr(response, "_csp_replace"):
            response._csp_replace = ADMIN_POLICY_OVERRIDES
        return super().process_response(request, response)


class CompressionMiddleware(GZipMiddleware):
    """Gzip our HTML (a 28 KB roster is 4 KB gzipped), but never a streaming response.

    Streamed exports are large downloads whose chunks compress poorly one by one, and buffering
    them would defeat streaming; responses already encoded are left alone by GZipMiddleware itself.
    Static files never get here: WhiteNoise, above this in MIDDLEWARE, serves its own
    pre-compressed copies.

    BREACH (compression revealing a secret in a page through its compressed size): the secret
    in our pages is the CSRF token, which Django masks afresh in every response, and Django's
    GZipMiddleware also pads each response with random bytes ("Heal The Breach"). No other
    secret is echoed into pages alongside text an attacker controls.
    """

    def process_response(self, request: HttpRequest, response: HttpResponse) -> HttpResponse:
        if response.streaming:
            return response
        return super().process_response(request, response)


LAST_SEEN_KEY = "hamkori_last_seen"


class StaffIdleTimeoutMiddleware:
    """End a staff member's session after HAMKORI_STAFF_IDLE_HOURS without a request.

    Staff sessions open personal data of many people, so an unattended office
    computer must not stay signed in; trainees keep the longer cookie age.

    The last-seen time is stored only when it moved by more than HAMKORI_IDLE_TOUCH_SECONDS, and
    never for a static file, a media file or an image: storing it on every request made every
    staff and trainer response write the session (an UPDATE, a COMMIT and a Set-Cookie), which
    was most of a trainer page's time (issue 18). The timeout is late by at most that interval.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or roles.is_trainee(user):
            return self.get_response(request)
        now = time.time()
        last_seen = request.session.get(LAST_SEEN_KEY)
        if last_seen is not None and now - last_seen > settings.HAMKORI_STAFF_IDLE_HOURS * 3600:
            logout(request)
            return self.get_response(request)
        response = self.get_response(request)
        stale = last_seen is None or now - last_seen > settings.HAMKORI_IDLE_TOUCH_SECONDS
        if stale and not _is_asset(request, response) and request.user.is_authenticated:
            request.session[LAST_SEEN_KEY] = now
        return response


def stamp_last_seen_at_login(sender, request, user, **kwargs) -> None:
    """Signing in counts as being seen: the first page after it then has nothing to write."""
    if request is not None and hasattr(request, "session"):
        request.session[LAST_SEEN_KEY] = time.time()


def _is_asset(request: HttpRequest, response: HttpResponse) -> bool:
    """A static or media file or an image: loaded by a page, not a sign that someone is there."""
    path = request.path
    prefixes = [prefix for prefix in (settings.STATIC_URL, settings.MEDIA_URL) if prefix]
    if any(path.startswith(prefix if prefix.startswith("/") else f"/{prefix}") for prefix in prefixes):
        return True
    return response.get("Content-Type", "").startswith("image/")


class AuditActorMiddleware:
    """Attribute every audited write during a request to the signed-in user (core.audit)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        with audit.acting_as(request):
            return self.get_response(request)


# Pages open to anyone that still show a person's name: a certificate's verification.
PUBLIC_PAGES_WITH_NAMES = frozenset({"assessments:verify", "assessments:verify_lookup"})


class NoStoreMiddleware:
    """Responses with personal data say `Cache-Control: no-store`, so no browser, shared computer or
    proxy keeps a copy of a participant list, an export, a sign-in sheet or a trainee's results.

    One rule instead of a decorator per view: everything a signed-in user is served (participant
    pages, exports, PDFs, privacy exports, /my/, the admin), plus the public pages that print a
    name. Public course pages stay cacheable. Static files never reach here (WhiteNoise answers
    them earlier).

    Two kinds of response keep their own caching (issue 18, "images and QR codes cached"): one
    its view marked `Cache-Control: private` with a max-age (the check-in QR, which only its
    trainer's browser may keep, never a shared cache), and an image under MEDIA_URL (Wagtail's
    renditions of course pictures: public content, served by Django only in development).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if self._carries_personal_data(request) and not _keeps_own_caching(request, response):
            add_never_cache_headers(response)
        return response

    @staticmethod
    def _carries_personal_data(request: HttpRequest) -> bool:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            return True
        match = getattr(request, "resolver_match", None)
        return match is not None and match.view_name in PUBLIC_PAGES_WITH_NAMES


def _keeps_own_caching(request: HttpRequest, response: HttpResponse) -> bool:
    """A response its view made cacheable by the one browser that asked (private, with a max-age),
    or an image under MEDIA_URL; neither is a page of personal data."""
    directives = {part.strip().split("=")[0].lower() for part in response.get("Cache-Control", "").split(",")}
    if {"private", "max-age"} <= directives and "no-store" not in directives:
        return True
    media = settings.MEDIA_URL if settings.MEDIA_URL.startswith("/") else f"/{settings.MEDIA_URL}"
    is_image = response.get("Content-Type", "").startswith("image/")
    return bool(settings.MEDIA_URL) and request.path.startswith(media) and is_image


# Languages Wagtail's admin has no catalogue for, and the language their readers read instead.
ADMIN_LANGUAGE_FALLBACK = {"tg": "ru", "ky": "ru"}


class AdminLanguageMiddleware:
    """Show the Wagtail admin in Russian to a Tajik or Kyrgyz reader, never half English.

    Wagtail ships no tg or ky catalogue, so with tg active its screens came out in English
    around our own (translated) menu labels and field names. Every Tajik and Kyrgyz author in
    the programme reads Russian, which Wagtail translates completely (docs/authoring.md).
    `request.LANGUAGE_CODE` keeps the reader's own language: it says which content they work on.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path.startswith("/admin/"):
            admin_language = ADMIN_LANGUAGE_FALLBACK.get(language_code())
            if admin_language:
                translation.activate(admin_language)
        return self.get_response(request)
