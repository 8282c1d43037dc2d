"""The browsable API (DRF's HTML pages) for programme staff only; everyone else gets JSON.

A trainer's phone or another system never needs the HTML, and a page that renders forms from
the serializers is more surface than they should see.
"""

from rest_framework.exceptions import NotAcceptable
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.renderers import BrowsableAPIRenderer

from accounts import roles


def sees_browsable_api(request) -> bool:
    """Programme staff signed in with the session cookie (the browser, where HTML is of use).

    Django's user, not DRF's: asking DRF for `request.user` here would authenticate before the
    view does and swallow its errors (a failed CSRF check would turn into "not signed in").
    """
    user = getattr(request._request, "user", None)
    return user is not None and roles.is_programme_staff(user)


class StaffBrowsableContentNegotiation(DefaultContentNegotiation):
    def select_renderer(self, request, renderers, format_suffix=None):
        if sees_browsable_api(request):
            return super().select_renderer(request, renderers, format_suffix)
        renderers = [renderer for renderer in renderers if not isinstance(renderer, BrowsableAPIRenderer)]
        try:
            return super().select_renderer(request, renderers, format_suffix)
        except NotAcceptable:
            # A browser asking for HTML gets the JSON rather than a 406.
            return renderers[0], renderers[0].media_type
