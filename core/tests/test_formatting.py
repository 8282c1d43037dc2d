"""Numbers and durations in the reader's language (issue 16, item 5): one formatting for pages and PDFs."""

import pytest
from django.template import Context, Template
from django.utils import translation

from core.formatting import format_decimal, format_duration, format_percent


@pytest.mark.parametrize(
    ("language", "expected"),
    [("en", "29.2"), ("ru", "29,2"), ("tg", "29,2"), ("ky", "29,2")],
)
def test_decimal_uses_the_languages_separator(language, expected):
    with translation.override(language):
        assert format_decimal(29.21, 1) == expected


def test_kyrgyz_template_numbers_use_the_decimal_comma_like_russian_and_tajik():
    template = Template("{{ value|floatformat:1 }}")
    rendered = {}
    for language in ("ru", "tg", "ky"):
        with translation.override(language):
            rendered[language] = template.render(Context({"value": 29.21}))
    assert rendered == {"ru": "29,2", "tg": "29,2", "ky": "29,2"}


@pytest.mark.parametrize("language", ["ru", "tg", "ky"])
def test_large_numbers_group_thousands_with_a_non_breaking_space(language):
    with translation.override(language):
        assert format_decimal(12345.5, 1) == "12\xa0345,5"


def test_percent_and_missing_values():
    with translation.override("en"):
        assert format_percent(29.24, 1) == "29.2%"
        assert format_percent(None) == "—"
        assert format_decimal(None) == "—"
    with translation.override("ru"):
        assert format_percent(80) == "80%"


@pytest.mark.parametrize(
    ("minutes", "expected"),
    [
        (0, "0 minutes"),
        (1, "1 minute"),
        (45, "45 minutes"),
        (60, "1 hour"),
        (120, "2 hours"),
        (510, "8 hours 30 minutes"),
        (61, "1 hour 1 minute"),
        (2400, "40 hours"),
        (None, "—"),
    ],
)
def test_duration_reads_as_hours_and_minutes(minutes, expected):
    with translation.override("en"):
        assert format_duration(minutes) == expected


def test_duration_and_lang_filters_in_a_template():
    template = Template(
        "{% load hamkori_i18n %}{{ minutes|duration }}|<p{% lang_attr 'ru' %}>x</p>|<p{% lang_attr 'en' %}>y</p>"
    )
    with translation.override("en"):
        assert template.render(Context({"minutes": 510})) == '8 hours 30 minutes|<p lang="ru">x</p>|<p>y</p>'
