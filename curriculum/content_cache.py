"""What is the same for every reader, kept by each app process until something it shows changes.

Most of the catalogue's, course's and module's time went into queries and templates whose result
is the same for every reader of one language and role (issue 18: the catalogue 21 queries, a
course 17). Their templates keep that content with `{% keep_content %}` (Django's `{% cache %}`)
under a key holding:

- the ContentVersion token, which every change to what is kept replaces in the same transaction
  as the change (the receivers in curriculum/signals.py, courses/option_lists.py,
  assessments/apps.py and attendance/apps.py), so a change shows on the next request in every
  process: each request reads that one row instead;
- the page, site and language, and what differs by reader: whether they may see facilitator notes,
  and the catalogue's filters.

Under the same token (`kept_key`): the deliveries filter's printed options (courses.option_lists)
and the reports filter's (reports.views.filter_fields_key), the walk-in form under every roster
(attendance.views.walk_in_fields_key), each test's questions with their choices
(assessments.selectors.questions_with_choices) and a blank test's printed questions, which courses
have a test (assessments.selectors.courses_with_tests), every live course's titles
(curriculum.selectors.live_course_versions), the countries and projects of the deliveries list
(courses.selectors.attach_countries_and_projects) and where each catalogue address leads
(curriculum.routing).

Wagtail still serves every request and checks the page's view restrictions before any of this (a
kept route only names the page, which must still be live), and nothing about the reader other
than those is in the content. A preview (an editor's draft
shown under the live page's id) is never kept. CONTENT_CACHE_SECONDS bounds what a change the
receivers cannot see (raw SQL) could leave behind.
"""

import uuid

from asgiref.local import Local
from django.core.cache import cache
from django.core.signals import request_finished, request_started
from django.db import connection
from django.db.models.signals import post_delete, post_save
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import get_language
from wagtail.models import Page, Site

from .models import ContentVersion

CONTENT_CACHE_SECONDS = 600

# The catalogue's query parameters: its filters and the page number (curriculum.filters.CourseFilter).
CATALOGUE_PARAMETERS = ("q", "audience", "topic", "language", "page")


# The token as a request first read it: a page asks for it several times (its route, its content,
# its course titles), and once is enough within one request. Outside a request (commands, tests
# calling selectors) it is read every time.
_this_request = Local()


def _request_started(**kwargs) -> None:
    _this_request.reading = True
    _this_request.token = None


def _request_finished(**kwargs) -> None:
    _this_request.reading = False
    _this_request.token = None


request_started.connect(_request_started, dispatch_uid="content-version-request-started")
request_finished.connect(_request_finished, dispatch_uid="content-version-request-finished")


def _token_sql() -> str:
    quote = connection.ops.quote_name
    return f"SELECT {quote('token')} FROM {quote(ContentVersion._meta.db_table)} WHERE id = 1"


def content_version() -> str:
    """The current token (one query a request; the row is made again if missing, as after a
    database flush).

    Written out, as the session and user reads are (bench/README.md): most pages read it, and the
    ORM took ~0.2 ms to build this one-row SELECT that the database answers in ~0.02 ms. A request
    with a session has usually read it already, in the session's statement (`read_with_session`).
    """
    token = getattr(_this_request, "token", None)
    if token is not None:
        return token
    with connection.cursor() as cursor:
        cursor.execute(_token_sql())
        row = cursor.fetchone()
    token = row[0] if row is not None else note_content_changed()
    if getattr(_this_request, "reading", False):
        _this_request.token = token
    return token


def _token_read_with_session(token: str | None) -> None:
    """The token as the session's statement read it at the start of this request (a missing row
    is left for content_version to make)."""
    if token is not None and getattr(_this_request, "reading", False) and _this_request.token is None:
        _this_request.token = token


def read_token_with_sessions() -> None:
    """Every signed-in request reads the token in its session's statement (CurriculumConfig.ready)."""
    from accounts.signed_in import read_with_session

    read_with_session(_token_sql(), _token_read_with_session)


def note_content_changed() -> str:
    """Replace the token: whatever the pages kept before is no longer read."""
    token = uuid.uuid4().hex
    if not ContentVersion.objects.filter(pk=1).update(token=token, changed_at=timezone.now()):
        ContentVersion.objects.update_or_create(pk=1, defaults={"token": token, "changed_at": timezone.now()})
    # A request that changes content reads the token again (in its transaction, which may yet roll back).
    _this_request.token = None
    return token


def content_changed(sender, **kwargs) -> None:
    """A receiver for any signal that announces a change to something kept under the version."""
    note_content_changed()


def replace_version_on_changes_to(*models) -> None:
    """Replace the version whenever one of these models is saved or deleted (call from AppConfig.ready).

    Connected model by model, not once for every sender: a post_delete receiver for all models would
    stop Django deleting any queryset in one statement (it fetches and signals each row of a model
    with a listener). A page's post_save names its own class, so every page type is named.
    """
    for model in set(models):
        uid = f"content-version-{model._meta.label_lower}"
        post_save.connect(content_changed, sender=model, dispatch_uid=f"{uid}-saved")
        post_delete.connect(content_changed, sender=model, dispatch_uid=f"{uid}-deleted")


def asked_values(request: HttpRequest, names) -> str:
    """These query parameters as asked, in a fixed order, for a key (other parameters change nothing)."""
    return repr([(name, request.GET.getlist(name)) for name in names if name in request.GET])


def kept_value(key: str, read):
    """What `read()` returns, kept by the process under `key` (which must hold the content version)
    for the readers that follow, until the version changes."""
    value = cache.get(key)
    if value is None:
        value = read()
        cache.set(key, value, CONTENT_CACHE_SECONDS)
    return value


def kept_key(*parts) -> str:
    """A key for something kept under the content version: the version, the active language (what
    is kept is printed in it) and what else tells one kept copy from another."""
    return "|".join(str(part) for part in (content_version(), get_language() or "", *parts))


def content_cache_key(request: HttpRequest, page: Page, *reader_parts) -> str | None:
    """What the page's main content is kept under for this reader; None: not kept (a preview)."""
    if getattr(request, "is_preview", False):
        return None
    site = Site.find_for_request(request)
    return kept_key("page", site.pk if site else None, page.pk, *reader_parts)


def catalogue_query(request: HttpRequest) -> str:
    return asked_values(request, CATALOGUE_PARAMETERS)
