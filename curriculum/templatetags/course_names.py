"""`{{ delivery.course|course_title }}`: a course named in the reader's language (ky/tg → ru → en).

`{{ course.topics.all|topic_list }}`: its topics likewise, joined with commas.

Lists call curriculum.selectors.attach_course_titles first (one query for the page); on a
page about one delivery the filter looks the title up itself (one query).
"""

from django import template
from django.utils.translation import get_language

from curriculum.selectors import course_title_for, topic_names

register = template.Library()


@register.filter
def course_title(course) -> str:
    if course is None:
        return ""
    shown = getattr(course, "shown_title", None)
    if shown is None:
        shown = course.shown_title = course_title_for(course, get_language())
    return shown


@register.filter
def topic_list(tags) -> str:
    """Topics named in the reader's language, in the given order (one query unless prefetched)."""
    return ", ".join(topic_names(tags, get_language()))
