"""Test settings: fast hashing, in-memory media, the database from DATABASE_URL (SQLite by default)."""

import os
import tempfile

from .base import *  # noqa: F403

DEBUG = False
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "test-only-insecure-key")
HAMKORI_CODE_PEPPER = os.environ.get("HAMKORI_CODE_PEPPER", "test-only-insecure-code-pepper")
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MEDIA_ROOT = tempfile.mkdtemp(prefix="hamkori-media-")
HAMKORI_JOB_FILES_ROOT = tempfile.mkdtemp(prefix="hamkori-jobs-")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
ALLOWED_HOSTS = ["*"]
STATIC_ROOT = tempfile.mkdtemp(prefix="hamkori-static-")
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
