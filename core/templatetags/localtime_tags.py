"""Template side of core.localtime: `{{ session.starts_at|local:region }}` and `{{ region|zone_label }}`.

{% load localtime_tags %}
{{ session.starts_at|local:delivery.region|date:"j E, H:i" }}
{{ delivery.region|zone_label }}
"""

from django import template
from django.templatetags.tz import do_timezone

from core import localtime

register = template.Library()


@register.filter
def local(moment, place):
    """The moment on the clock of `place` (a Region, Delivery, Session or tz name), for |date."""
    if moment in (None, "") or place in (None, ""):
        return moment
    # Through Django's own |timezone so |date does not convert it back to the active zone.
    return do_timezone(moment, localtime.zone_of(place))


@register.filter
def zone_label(place):
    if place in (None, ""):
        return ""
    return localtime.zone_label(place)
