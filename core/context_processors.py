from django.conf import settings
from django.http import HttpRequest

from .navigation import nav_links_for


def navigation(request: HttpRequest) -> dict:
    return {
        "nav_links": nav_links_for(request.user, request.path) if hasattr(request, "user") else [],
        "site_languages": settings.LANGUAGES,
    }
