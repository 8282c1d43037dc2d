"""Template helpers: the course page says whether the course has a test, and the test page prints
its choice inputs.

Usage in the course template: `{% load assessments_tags %}{% course_has_test page %}` prints a short
note when the course has a pre/post test; `{% if page|has_pre_post_test %}` for a condition. In the
test page: `{{ row|options_html:instrument_lang }}` for a question's options.
"""

from django import template
from django.utils.safestring import SafeString

from ..selectors import course_has_test as course_has_test_selector

register = template.Library()


@register.inclusion_tag("assessments/course_has_test.html")
def course_has_test(page) -> dict:
    return {"has_test": course_has_test_selector(page)}


@register.filter
def has_pre_post_test(page) -> bool:
    return course_has_test_selector(page)


@register.filter
def options_html(row, lang_attribute="") -> SafeString:
    """A test question's choice inputs with their labels (forms.QuestionRow.options_html)."""
    return row.options_html(lang_attribute)
