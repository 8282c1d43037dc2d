"""The test page prints each question's options in Python (forms.QuestionRow.options_html), as its
template loop did (issue 18). The loop is kept below: for every choice type, fresh and shown again,
with labels that need escaping and with and without a `lang` attribute, both write the same HTML."""

import pytest
from django.template import engines
from django.utils.html import format_html

from .factories import choice_test_form

pytestmark = pytest.mark.django_db

# The options loop as it was in assessments/take_test.html.
TEMPLATE_OPTIONS = """{% for option in row.options %}
          <label class="option" for="{{ option.id }}"><input type="{{ row.input_type }}" name="{{ field.html_name }}" value="{{ option.value }}" id="{{ option.id }}"{% if option.checked %} checked{% endif %}> <span{{ instrument_lang }}>{{ option.label }}</span></label>
        {% endfor %}"""


def _lines(html: str) -> list[str]:
    return [line.strip() for line in html.splitlines() if line.strip()]


@pytest.mark.parametrize("bound", [False, True])
@pytest.mark.parametrize("lang_attribute", ["", format_html(' lang="{}"', "ru")])
def test_the_options_are_what_the_template_loop_wrote(bound, lang_attribute):
    loop = engines["django"].from_string(TEMPLATE_OPTIONS)
    rows = [row for row in choice_test_form(bound=bound).question_rows() if row.input_type]
    assert len(rows) == 4
    for row in rows:
        written = row.options_html(lang_attribute)
        looped = loop.render({"row": row, "field": row.field, "instrument_lang": lang_attribute})
        assert _lines(written) == _lines(looped)
        assert ("&lt;b&gt;" in written) == any("<b>" in option.label for option in row.options)
    assert sum(" checked" in row.options_html() for row in rows) == 4
