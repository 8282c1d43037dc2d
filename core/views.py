import json
import logging

from django.conf import settings
from django.db import connection
from django.http import HttpRequest, HttpResponse, HttpResponseServerError, JsonResponse
from django.middleware.csrf import get_token
from django.shortcuts import render
from django.template import loader
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from accounts import roles

from . import fieldkit

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


@require_GET
def service_worker(request: HttpRequest) -> HttpResponse:
    """The field kit's worker (docs/field-kit.md), from the site root so that its scope is the whole
    site. Never cached by the browser: a changed worker must reach phones on their next visit."""
    source = loader.get_template("core/sw.js").template.source
    static_prefix = settings.STATIC_URL if settings.STATIC_URL.startswith("/") else f"/{settings.STATIC_URL}"
    config = {
        "version": fieldkit.cache_version(source),
        "static": fieldkit.static_urls(),
        "staticPrefix": static_prefix,
        "pages": list(fieldkit.CACHED_PAGE_PATTERNS),
        "roster": fieldkit.ROSTER_PATTERN,
        "offline": reverse("core:offline"),
    }
    body = loader.render_to_string("core/sw.js", {"config": json.dumps(config)})
    response = HttpResponse(body, content_type="application/javascript; charset=utf-8")
    response["Service-Worker-Allowed"] = "/"
    response["Cache-Control"] = "no-cache"
    return response


# The brand colour of static/css/hamkori.css, for the phone's address bar and the installed app.
THEME_COLOUR = "#0b5d4b"


@require_GET
def web_manifest(request: HttpRequest) -> JsonResponse:
    """Makes the site installable on a phone's home screen. It opens on the home page: the manifest
    is fetched without the session cookie, so it cannot know whose phone it is."""
    manifest = {
        "name": str(_("Hamkori")),
        "short_name": str(_("Hamkori")),
        "start_url": "/",
        "scope": "/",
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": THEME_COLOUR,
        "icons": [
            {"src": static(f"img/icon-{size}.png"), "sizes": f"{size}x{size}", "type": "image/png"}
            for size in (192, 512)
        ],
    }
    return JsonResponse(manifest, content_type="application/manifest+json")


@require_GET
def offline(request: HttpRequest) -> HttpResponse:
    """What the worker shows for a field-kit page that was never stored on the phone."""
    return render(request, "core/offline.html")
