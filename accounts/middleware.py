"""Who is signed in: read with the session, and signed out once their personal code is replaced."""

from django.contrib import auth
from django.contrib.auth import SESSION_KEY, logout
from django.contrib.auth.middleware import AuthenticationMiddleware as DjangoAuthenticationMiddleware
from django.utils.functional import SimpleLazyObject

from .personal_codes import CODE_SESSION_KEY, code_fingerprint, current_code_fingerprint
from .signed_in import reading_session


class AuthenticationMiddleware(DjangoAuthenticationMiddleware):
    """Django's, except that `request.user` may be the user the session's read brought along
    (accounts.signed_in): Django's `auth.get_user` still decides, checking the session's backend
    and hash exactly as it always does."""

    def process_request(self, request):
        super().process_request(request)
        request.user = SimpleLazyObject(lambda: _signed_in_user(request))


def _signed_in_user(request):
    if not hasattr(request, "_cached_user"):  # the attribute Django's own middleware caches it in
        with reading_session(request.session):
            request._cached_user = auth.get_user(request)
    return request._cached_user


class PersonalCodeSessionMiddleware:
    """Re-issuing a code is how a lost or leaked slip is cancelled: whoever signed in with the old
    code must be signed out too, on their next request. No query of its own: the code's digest is
    read with the user (PersonalCodeBackend.get_user); only code sessions are checked."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        session = request.session
        fingerprint = session.get(CODE_SESSION_KEY)
        if fingerprint is not None and fingerprint != self._current_fingerprint(request):
            logout(request)
        return self.get_response(request)

    @staticmethod
    def _current_fingerprint(request) -> str | None:
        digest = getattr(request.user, "personal_code_digest", _NOT_READ)
        if digest is _NOT_READ:  # no such user any more, or read by another backend: ask
            return current_code_fingerprint(request.session.get(SESSION_KEY))
        return code_fingerprint(digest) if digest else None


_NOT_READ = object()
