"""Settings shared by every environment; values that differ come from the environment."""

import ipaddress
import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = BASE_DIR / "var"


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
DEBUG = False
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")

INSTALLED_APPS = [
    # Our apps come first so that their templates override Wagtail's and Django's.
    "core",
    "accounts",
    "curriculum",
    "courses",
    "attendance",
    "assessments",
    "reports",
    "privacy",
    "jobs",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    # wagtail-localize (translation editor, "Translate this page") replaces wagtail.locales
    # and wagtail.contrib.simple_translation.
    "wagtail_localize",
    "wagtail_localize.locales",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    # The task queue (django-tasks) and its database backend: no extra server (docs/scaling.md).
    "django_tasks",
    "django_tasks_db",
    "axes",
    "csp",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    # /api/v1/ (docs/api.md): Django REST Framework, its tokens for other systems, the OpenAPI schema.
    "api",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "core.middleware.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Gzip for our pages, below WhiteNoise (which serves static files pre-compressed) and above
    # everything that reads or writes the body; BREACH is discussed in core.middleware.
    "core.middleware.CompressionMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "core.middleware.AdminLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    # Django's, with the user read in the session's statement (accounts.signed_in, issue 18).
    "accounts.middleware.AuthenticationMiddleware",
    "accounts.middleware.PersonalCodeSessionMiddleware",
    "core.middleware.NoStoreMiddleware",
    "core.middleware.AuditActorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    "core.middleware.StaffIdleTimeoutMiddleware",
    # Last, so that it sees the outcome of every login attempt.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "wagtail.contrib.settings.context_processors.settings",
                "core.context_processors.navigation",
            ],
        },
    },
]

WSGI_APPLICATION = "config.wsgi.application"

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'hamkori.sqlite3'}"),
        conn_max_age=int(os.environ.get("DJANGO_CONN_MAX_AGE", "60")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # SQLite creates its file but not the folder: every manage.py command must work right after
    # `make install`, before anything else has made var/.
    if DATABASES["default"]["NAME"] not in ("", ":memory:"):
        Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    # SQLite's defaults (a 2 MB page cache, reads through system calls) make a report that scans
    # the 30 MB fact table read it from the file again on every query; a memory-mapped file and a
    # 64 MB cache per connection keep it in memory (measured: 0.47 s → 0.33 s per people figure).
    DATABASES["default"].setdefault("OPTIONS", {})["init_command"] = (
        "PRAGMA mmap_size = 268435456; PRAGMA cache_size = -65536;"
    )
# PostgreSQL only: statements sent with bound parameters and prepared per connection (below).
HAMKORI_PG_PREPARED_STATEMENTS = os.environ.get("HAMKORI_PG_PREPARED_STATEMENTS", "true").lower() == "true"
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql" and HAMKORI_PG_PREPARED_STATEMENTS:
    # PostgreSQL plans a statement every time it is sent with its values inlined (Django's default),
    # and our pages' statements join through Wagtail's page tables: the roster's session query took
    # ~5.4 ms a time, nearly all of it planning, and ~0.9 ms once prepared (issue 18, bench/README.md).
    # Bound parameters let psycopg prepare a statement on a connection after it has run
    # `prepare_threshold` times (psycopg's default). Turn off behind a pooler in transaction mode
    # (PgBouncer before 1.21), which cannot keep a connection's prepared statements.
    DATABASES["default"].setdefault("OPTIONS", {}).update(server_side_binding=True, prepare_threshold=5)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Argon2id first (accounts/hashers.py says why and with which parameters); the others only read
# hashes stored before it, which are rewritten as Argon2id at the user's next sign-in.
PASSWORD_HASHERS = [
    "accounts.hashers.Argon2idPasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    # django-axes first: it refuses a locked-out username and IP before any password is checked.
    "axes.backends.AxesStandaloneBackend",
    # Django's ModelBackend, except that the signed-in user is read in one statement (issue 18).
    "accounts.backends.PasswordBackend",
    "accounts.backends.PersonalCodeBackend",
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/"

# Internationalisation: the four languages of the programme. Django ships all
# four; Wagtail's admin has Russian but not tg or ky, so core.middleware.AdminLanguageMiddleware
# shows the admin in Russian to Tajik and Kyrgyz users (docs/authoring.md). Content falls back
# tg → ru → en and ky → ru → en (core.languages.FALLBACKS).
LANGUAGE_CODE = "en"
LANGUAGES = [
    ("en", _("English")),
    ("ru", _("Russian")),
    ("tg", _("Tajik")),
    ("ky", _("Kyrgyz")),
]
WAGTAIL_I18N_ENABLED = True
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
# The admin languages a user may choose in their Wagtail account: those Wagtail translates.
WAGTAILADMIN_PERMITTED_LANGUAGES = [("en", "English"), ("ru", "Русский")]
# wagtail-localize publishes a new translation at once when its original is live; here it is a
# draft, which a curriculum lead publishes (core/localize_permissions.py, docs/authoring.md).
WAGTAILLOCALIZE_SYNC_LIVE_STATUS_ON_TRANSLATE = False
LOCALE_PATHS = [BASE_DIR / "locale"]
# Our corrections of Django's number formats (Kyrgyz decimal comma); see config/formats/.
FORMAT_MODULE_PATH = ["config.formats"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("DJANGO_MEDIA_ROOT", VAR_DIR / "media"))
# Static names carry a hash of their content (manifest storage), so WhiteNoise sends them with
# `max-age` of ten years and `immutable`; a name without a hash gets WhiteNoise's 60 seconds
# (WHITENOISE_MAX_AGE's default with DEBUG off). Dev and test settings use plain names.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

WAGTAIL_SITE_NAME = "Hamkori"
WAGTAILADMIN_BASE_URL = os.environ.get("WAGTAILADMIN_BASE_URL", "http://127.0.0.1:8000")
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILDOCS_EXTENSIONS = ["pdf", "docx", "xlsx", "pptx", "odt", "txt", "png", "jpg"]
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
# Upload limits (OWASP ASVS 12.1): documents 20 MB (core.forms), images 10 MB, participant
# imports 5 MB (courses.forms); the proxy in front should refuse bodies over ~25 MB.
HAMKORI_DOCUMENT_MAX_UPLOAD_SIZE = 20 * 1024 * 1024
WAGTAILDOCS_DOCUMENT_FORM_BASE = "core.forms.DocumentForm"
# Non-file form data; files above FILE_UPLOAD_MAX_MEMORY_SIZE go to a temporary file, not memory.
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440

SESSION_COOKIE_HTTPONLY = True
# Django's database sessions, read without the ORM's query compiler on every request (issue 18).
SESSION_ENGINE = "accounts.sessions"
# Idle timeout: staff sessions end after this many hours without a request (OWASP ASVS 3.3).
HAMKORI_STAFF_IDLE_HOURS = float(os.environ.get("HAMKORI_STAFF_IDLE_HOURS", "8"))
# The last-seen time behind it is stored only when it moved by more than this many seconds, so a
# staff or trainer page does not write the session (an UPDATE, a COMMIT and a Set-Cookie) on every
# request; a session may therefore end up to this much later than the idle hours say (issue 18).
HAMKORI_IDLE_TOUCH_SECONDS = int(os.environ.get("HAMKORI_IDLE_TOUCH_SECONDS", "60"))
# Trainees on shared phones: a session lasts two weeks unless they log out.
SESSION_COOKIE_AGE = 14 * 24 * 3600

# The reverse proxies whose X-Forwarded-For header is believed: a comma-separated list of
# addresses or networks (e.g. "127.0.0.1,10.0.0.0/8"). Empty (the default): the header is
# ignored and every throttle counts against the connecting address (REMOTE_ADDR). Behind a
# proxy, name it here, or everyone shares the proxy's address and one person guessing codes
# locks out all (accounts.throttle.client_address; SECURITY.md).
HAMKORI_TRUSTED_PROXIES = [
    str(ipaddress.ip_network(proxy, strict=False)) for proxy in env_list("HAMKORI_TRUSTED_PROXIES")
]

# Login throttling (django-axes): 5 failures per username and address, then a 30-minute cool-off.
# Axes reads the client address with the same function as every other throttle.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=30)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "accounts.views.password_locked_out"
AXES_CLIENT_IP_CALLABLE = "accounts.throttle.client_address"
AXES_VERBOSE = False
# Guessing throttles (accounts.throttle), all within one window of HAMKORI_THROTTLE_MINUTES:
# wrong personal codes per address (a wrong code names no account);
HAMKORI_THROTTLE_FAILURES = int(os.environ.get("HAMKORI_THROTTLE_FAILURES", "5"))
HAMKORI_THROTTLE_MINUTES = int(os.environ.get("HAMKORI_THROTTLE_MINUTES", "30"))
# wrong passwords (across accounts) and wrong certificate codes per address: higher than the
# per-account limits (AXES_FAILURE_LIMIT, check-in codes per user) so that one locked account
# does not lock out the other people behind the same address.
HAMKORI_THROTTLE_ADDRESS_FAILURES = int(os.environ.get("HAMKORI_THROTTLE_ADDRESS_FAILURES", "20"))

# Content Security Policy (django-csp): no inline scripts on our pages. The Wagtail
# admin gets its own, looser policy in core.middleware.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-src": ["https://www.youtube-nocookie.com", "https://player.vimeo.com"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    },
}
CSRF_COOKIE_HTTPONLY = False
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# The PDF font: shipped with the project so a fresh machine needs no system fonts.
PDF_FONT_DIR = BASE_DIR / "core" / "fonts"

# Personal codes (accounts.personal_codes) are stored as HMAC digests keyed with this pepper, kept
# apart from SECRET_KEY so that rotating the secret key leaves every printed slip working; rotating
# the pepper invalidates every code (SECURITY.md). Production refuses to start without it
# (production.py); dev and test settings set a fixed, insecure one.
HAMKORI_CODE_PEPPER = os.environ.get("HAMKORI_CODE_PEPPER", "")

# Session check-in (attendance.services): the check-in opens this many minutes before a session
# starts, and a trainee checking in this many minutes after the start is marked late.
HAMKORI_CHECK_IN_OPENS_MINUTES_BEFORE = int(os.environ.get("HAMKORI_CHECK_IN_OPENS_MINUTES_BEFORE", "30"))
HAMKORI_CHECK_IN_LATE_AFTER_MINUTES = int(os.environ.get("HAMKORI_CHECK_IN_LATE_AFTER_MINUTES", "15"))
# Wrong check-in codes a trainee may type within the window before check-in locks for them.
HAMKORI_CHECK_IN_MAX_FAILURES = int(os.environ.get("HAMKORI_CHECK_IN_MAX_FAILURES", "5"))
HAMKORI_CHECK_IN_FAILURE_WINDOW_MINUTES = int(os.environ.get("HAMKORI_CHECK_IN_FAILURE_WINDOW_MINUTES", "30"))
# Whether an excused absence counts as attended for the attendance rule (attendance.rules):
# programmes differ; by default it does not.
HAMKORI_EXCUSED_COUNTS_AS_ATTENDED = (
    os.environ.get("HAMKORI_EXCUSED_COUNTS_AS_ATTENDED", "").lower() == "true"
)
# The domain in calendar event ids (courses.ical): stable, so calendar apps update an event in
# place instead of adding a copy. Set it to the site's domain.
HAMKORI_CALENDAR_DOMAIN = os.environ.get("HAMKORI_CALENDAR_DOMAIN", "hamkori.example.org")

# /api/v1/ (docs/api.md). A phone signs in with the session cookie and sends the CSRF token;
# other systems send `Authorization: Token <key>` (manage.py api_token). Token first, so an
# anonymous request is answered 401 with a WWW-Authenticate header. JSON only, except DRF's
# browsable pages for programme staff (api.negotiation). Errors are JSON (api.exceptions).
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
    "DEFAULT_PARSER_CLASSES": ["api.parsers.BoundedJSONParser"],
    "DEFAULT_CONTENT_NEGOTIATION_CLASS": "api.negotiation.StaffBrowsableContentNegotiation",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "api.exceptions.exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Hamkori API",
    "DESCRIPTION": "The field kit's sync endpoints and more; see docs/api.md.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    # The schema is for signed-in users (a trainer's phone, staff, token holders), like the API.
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    "SCHEMA_PATH_PREFIX": "/api/v1/",
    "COMPONENT_SPLIT_REQUEST": True,
    "PREPROCESSING_HOOKS": ["api.schema.only_api_v1"],
    "ENUM_NAME_OVERRIDES": {"AttendanceStatusEnum": "attendance.models.AttendanceStatus"},
}
# The most marks one offline sync batch may carry (POST /api/v1/attendance/batches/); more is
# refused with a 400, and the phone sends its queue in batches of this size. The request body
# is limited to 2 KB per mark plus 4 KB.
HAMKORI_SYNC_BATCH_MAX_MARKS = int(os.environ.get("HAMKORI_SYNC_BATCH_MAX_MARKS", "500"))
# `manage.py purge_sync_batches` deletes the stored answers to offline sync batches older than this
# many days (kept so that a phone repeating a batch writes nothing twice; the marks stay).
HAMKORI_SYNC_BATCH_KEEP_DAYS = int(os.environ.get("HAMKORI_SYNC_BATCH_KEEP_DAYS", "30"))

# Heavy work runs on a task queue kept in the database (django-tasks' DatabaseBackend, alias
# "background"): the same SQLite or PostgreSQL the site uses, so nothing else to install or run but
# `manage.py db_worker --backend background` (started by `make run`; docs/scaling.md). Jobs the user
# follows are jobs.models.BackgroundJob. Wagtail's own small tasks (search and reference index
# updates, renditions) use "default" and stay immediate, inside the request, as before: a page is
# searchable as soon as it is saved, whether or not a worker runs.
TASKS = {
    "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"},
    "background": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]},
}
# A delivery's certificates print at once up to this many; above it the PDF is made in the
# background and offered for download (measured: about 0.04 s a certificate, docs/scaling.md).
HAMKORI_BACKGROUND_CERTIFICATES_OVER = int(os.environ.get("HAMKORI_BACKGROUND_CERTIFICATES_OVER", "50"))
# The participant-level CSV streams at once up to this many rows (about 4 s); above it, in the
# background (the whole programme at ten years' size is about 250,000 rows; docs/scaling.md).
HAMKORI_BACKGROUND_EXPORT_ROWS_OVER = int(os.environ.get("HAMKORI_BACKGROUND_EXPORT_ROWS_OVER", "5000"))
# Finished jobs' files: a private folder no URL serves (only the owner's download view reads it).
HAMKORI_JOB_FILES_ROOT = Path(os.environ.get("HAMKORI_JOB_FILES_ROOT", VAR_DIR / "jobs"))
# `manage.py purge_jobs` deletes jobs (and their files and queue rows) older than this many days.
HAMKORI_JOBS_KEEP_DAYS = int(os.environ.get("HAMKORI_JOBS_KEEP_DAYS", "7"))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "INFO")},
    # Wagtail logs every page action and background task at INFO; keep the console for what matters.
    "loggers": {
        "wagtail": {"level": "WARNING"},
        "django_tasks": {"level": "WARNING"},
    },
}
# No phoning home: the servers may have no internet, and the CSP would block it anyway.
WAGTAIL_ENABLE_UPDATE_CHECK = False
