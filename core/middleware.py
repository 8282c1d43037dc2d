"""Security headers and session rules that apply to every request."""

import time

from csp.middleware import CSPMiddleware
from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse

from accounts import roles

from . import audit

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


LAST_SEEN_KEY = "hamkori_last_seen"


class StaffIdleTimeoutMiddleware:
    """End a staff member's session after HAMKORI_STAFF_IDLE_HOURS without a request.

    Staff sessions open personal data of many people, so an unattended office
    computer must not stay signed in; trainees keep the longer cookie age.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and not roles.is_trainee(user):
            now = time.time()
            last_seen = request.session.get(LAST_SEEN_KEY)
            if last_seen is not None and now - last_seen > settings.HAMKORI_STAFF_IDLE_HOURS * 3600:
                logout(request)
            else:
                request.session[LAST_SEEN_KEY] = now
        return self.get_response(request)


class AuditActorMiddleware:
    """Attribute every audited write during a request to the signed-in user (core.audit)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        with audit.acting_as(request):
            return self.get_response(request)
