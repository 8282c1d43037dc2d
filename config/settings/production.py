"""Production: every secret from the environment; refuses to start without one."""

import os

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if len(SECRET_KEY) < 50:
    raise ImproperlyConfigured(
        "DJANGO_SECRET_KEY must be set to a random value of at least 50 characters in production. "
        'Generate one with: python -c "import secrets; print(secrets.token_urlsafe(64))"'
    )

# Keys the personal-code digests; not derived from SECRET_KEY, so each can be rotated alone.
HAMKORI_CODE_PEPPER = os.environ.get("HAMKORI_CODE_PEPPER", "")
if len(HAMKORI_CODE_PEPPER) < 32:
    raise ImproperlyConfigured(
        "HAMKORI_CODE_PEPPER must be set to a random value of at least 32 characters in production; "
        "it keys the personal codes printed on trainees' slips and must stay the same across restarts. "
        'Generate one with: python -c "import secrets; print(secrets.token_urlsafe(48))"'
    )

DEBUG = False
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = os.environ.get("DJANGO_SECURE_SSL_REDIRECT", "true").lower() == "true"
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_SECURE_HSTS_SECONDS", "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")  # noqa: F405
