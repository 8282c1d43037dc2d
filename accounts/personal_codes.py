"""Personal codes: short, unambiguous, typed on an old phone's keypad, stored only as a keyed digest."""

import hashlib
import hmac
import secrets

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY
from django.contrib.auth.models import User
from django.core.exceptions import ImproperlyConfigured
from django.db import IntegrityError, transaction

from .models import PersonalCode

# No 0/O, 1/I/L, 5/S, 2/Z: people read these codes off paper slips.
CODE_ALPHABET = "ABCDEFGHJKMNPQRTUVWXY346789"
CODE_LENGTH = 8


def normalise_code(raw: str) -> str:
    """Accept what people type: lower case, spaces and dashes between groups."""
    return "".join(character for character in raw.upper() if character.isalnum())


def format_code(code: str) -> str:
    return f"{code[:4]}-{code[4:]}"


def code_digest(code: str) -> str:
    """The stored form of a code: an HMAC keyed with HAMKORI_CODE_PEPPER, never with SECRET_KEY,
    so rotating the secret key does not invalidate every printed slip."""
    pepper = settings.HAMKORI_CODE_PEPPER
    if not pepper:
        raise ImproperlyConfigured("HAMKORI_CODE_PEPPER is not set: personal codes cannot be checked.")
    return hmac.new(pepper.encode(), normalise_code(code).encode(), hashlib.sha256).hexdigest()


@transaction.atomic
def personal_code_issue(*, user: User, issued_by: User | None) -> str:
    """Give the user a new code (replacing any old one) and return it, formatted, to print once."""
    for _attempt in range(10):
        code = "".join(secrets.choice(CODE_ALPHABET) for _index in range(CODE_LENGTH))
        try:
            with transaction.atomic():
                PersonalCode.objects.update_or_create(
                    user=user, defaults={"digest": code_digest(code), "issued_by": issued_by}
                )
            return format_code(code)
        except IntegrityError:
            continue  # the same code already belongs to someone else: draw again
    raise RuntimeError("Could not draw a unique personal code")


def user_for_code(raw: str) -> User | None:
    code = normalise_code(raw)
    if len(code) != CODE_LENGTH:
        return None
    personal_code = (
        PersonalCode.objects.select_related("user")
        .filter(digest=code_digest(code), user__is_active=True)
        .first()
    )
    if personal_code is None:
        return None
    user = personal_code.user
    # The same attribute PersonalCodeBackend.get_user reads with the user: remember_code_session
    # then fingerprints the session without reading the code again.
    user.personal_code_digest = personal_code.digest
    return user


# Sessions signed in by a code ------------------------------------------------------------------
# A session signed in by a code remembers which code it was (a fingerprint of the digest, never
# the code); once the code is replaced, accounts.middleware.PersonalCodeSessionMiddleware ends
# the session. Django's own session hash would not: it follows the password, which a trainee's
# account does not have.
CODE_SESSION_KEY = "hamkori_personal_code"
PERSONAL_CODE_BACKEND = "accounts.backends.PersonalCodeBackend"


def code_fingerprint(digest: str) -> str:
    return hashlib.sha256(f"session:{digest}".encode()).hexdigest()[:32]


def current_code_fingerprint(user_id) -> str | None:
    digest = PersonalCode.objects.filter(user_id=user_id).values_list("digest", flat=True).first()
    return code_fingerprint(digest) if digest else None


def remember_code_session(*, sender, request, user, **kwargs) -> None:
    """user_logged_in receiver: a session signed in by a code carries that code's fingerprint."""
    if request is None or not hasattr(request, "session"):
        return
    if request.session.get(BACKEND_SESSION_KEY) == PERSONAL_CODE_BACKEND:
        digest = getattr(user, "personal_code_digest", None)
        request.session[CODE_SESSION_KEY] = (
            code_fingerprint(digest) if digest else current_code_fingerprint(user.pk)
        )
    else:
        request.session.pop(CODE_SESSION_KEY, None)
