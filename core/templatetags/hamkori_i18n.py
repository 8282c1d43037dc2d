"""Template side of core.languages and core.formatting: `lang` marks and numbers in the reader's language.

{% load hamkori_i18n %}
<h1{% lang_attr page.locale.language_code %}>{{ page.title }}</h1>
{{ module.duration_minutes|duration }} · {{ score|decimal:1 }} · {{ rate|percent }}
"""

from django import template
from django.utils.html import format_html
from django.utils.translation import get_language

from core import formatting
from core.languages import differs_from_page, language_code

register = template.Library()


@register.simple_tag
def lang_attr(content_language: str | None) -> str:
    """` lang="ru"` when the content's language differs from the page's, else nothing (WCAG 3.1.2)."""
    if not differs_from_page(content_language, get_language()):
        return ""
    return format_html(' lang="{}"', language_code(content_language))


@register.filter
def duration(minutes) -> str:
    return formatting.format_duration(minutes)


@register.filter
def decimal(value, places: int = 1) -> str:
    return formatting.format_decimal(value, int(places))


@register.filter
def percent(value, places: int = 0) -> str:
    return formatting.format_percent(value, int(places))
