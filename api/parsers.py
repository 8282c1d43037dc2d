"""JSON bodies with a size limit and no way to crash the decoder."""

from django.conf import settings
from django.utils.translation import gettext as _
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser

from .exceptions import RequestTooLarge


def body_limit(view) -> int:
    """A view's own limit (`max_body_bytes`) or Django's limit for form data."""
    limit = getattr(view, "max_body_bytes", None)
    return limit() if callable(limit) else limit or settings.DATA_UPLOAD_MAX_MEMORY_SIZE


class BoundedJSONParser(JSONParser):
    """Refuses a body over the view's limit before reading it (WSGI reads no more than
    Content-Length), and answers JSON nested too deep for Python's decoder with a 400."""

    def parse(self, stream, media_type=None, parser_context=None):
        parser_context = parser_context or {}
        request = parser_context.get("request")
        limit = body_limit(parser_context.get("view"))
        if request is not None:
            meta = request.META
            try:
                length = int(meta.get("CONTENT_LENGTH") or 0)
            except ValueError:
                length = 0
            if length > limit:
                raise RequestTooLarge(
                    _("The request body is larger than %(limit)d bytes.") % {"limit": limit}
                )
        try:
            return super().parse(stream, media_type, parser_context)
        except RecursionError as error:
            raise ParseError(_("The JSON is nested too deeply.")) from error
