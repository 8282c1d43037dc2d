"""Ends sessions that were signed in by a personal code which has since been replaced."""

from django.contrib.auth import SESSION_KEY, logout

from .personal_codes import CODE_SESSION_KEY, current_code_fingerprint


class PersonalCodeSessionMiddleware:
    """Re-issuing a code is how a lost or leaked slip is cancelled: whoever signed in with the old
    code must be signed out too, on their next request. One query, only for code sessions."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        session = request.session
        fingerprint = session.get(CODE_SESSION_KEY)
        if fingerprint is not None and fingerprint != current_code_fingerprint(session.get(SESSION_KEY)):
            logout(request)
        return self.get_response(request)
