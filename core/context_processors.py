from django.conf import settings
from django.http import HttpRequest

from accounts import roles

from .navigation import nav_links_for


def navigation(request: HttpRequest) -> dict:
    return {
        "nav_links": nav_links_for(request.user, request.path) if hasattr(request, "user") else [],
        "site_languages": settings.LANGUAGES,
        "is_programme_staff": roles.is_programme_staff(request.user) if hasattr(request, "user") else False,
    }
