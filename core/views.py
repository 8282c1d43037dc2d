import logging

from django.conf import settings
from django.db import connection
from django.http import HttpRequest, HttpResponse, HttpResponseServerError, JsonResponse
from django.middleware.csrf import get_token
from django.shortcuts import render
from django.template import loader
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts import roles

logger = logging.getLogger(__name__)

BACK_TO_MY_TRAINING = _("Back to my training")
BACK_HOME = _("Go to the home page")
# The last resort when even the error page cannot be drawn (a missing static manifest, say).
PLAIN_SERVER_ERROR = (
    '<!DOCTYPE html><title>Server error</title><h1>Server error (500)</h1><p><a href="/">Hamkori</a></p>'
)


def health(request: HttpRequest) -> JsonResponse:
    """For the reverse proxy and uptime checks: the app answers and reaches its database."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


def way_back(request: HttpRequest) -> tuple[str, str]:
    """Where an error page sends the visitor: a signed-in trainee to /my/, anyone else home."""
    user = getattr(request, "user", None)
    if user is not None and roles.is_trainee(user):
        return reverse("assessments:my"), BACK_TO_MY_TRAINING
    return "/", BACK_HOME


def _error_page(request: HttpRequest, template: str, status: int) -> HttpResponse:
    back_url, back_label = way_back(request)
    return render(request, template, {"back_url": back_url, "back_label": back_label}, status=status)


def permission_denied(request: HttpRequest, exception: Exception) -> HttpResponse:
    """handler403: the site's layout, translated, and a way back instead of Django's bare page."""
    return _error_page(request, "403.html", 403)


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    """handler404, for our views and for Wagtail's page routing alike."""
    return _error_page(request, "404.html", 404)


def server_error(request: HttpRequest) -> HttpResponse:
    """handler500 with a context that cannot fail: no context processors, no user, no database.

    Whatever broke the request (the database, a context processor, the navigation) may break
    them again here, so the page gets only constants and the CSRF token its language switcher
    posts; if even that cannot be drawn, a plain page answers.
    """
    context = {
        "request": request,
        "csrf_token": get_token(request),
        "site_languages": settings.LANGUAGES,
        "nav_links": [],
        "back_url": "/",
        "back_label": BACK_HOME,
    }
    try:
        return HttpResponseServerError(loader.get_template("500.html").render(context))
    except Exception:
        logger.exception("The 500 page could not be rendered")
        return HttpResponseServerError(PLAIN_SERVER_ERROR)
