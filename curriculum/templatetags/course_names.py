"""`{{ delivery.course|course_title }}`: a course named in the reader's language (ky/tg → ru → en).

Lists call curriculum.selectors.attach_course_titles first (one query for the page); on a
page about one delivery the filter looks the title up itself (one query).
"""

from django import template
from django.utils.translation import get_language

from curriculum.selectors import course_title_for

register = template.Library()


@register.filter
def course_title(course) -> str:
    if course is None:
        return ""
    shown = getattr(course, "shown_title", None)
    if shown is None:
        shown = course.shown_title = course_title_for(course, get_language())
    return shown
