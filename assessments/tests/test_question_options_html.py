"""The test page prints each question's options in Python (forms.QuestionRow.options_html), as its
template loop did (issue 18). The loop is kept below: for every choice type, fresh and shown again,
with labels that need escaping and with and without a `lang` attribute, both write the same HTML."""

import pytest
from django.template import engines
from django.utils.html import format_html

from assessments.forms import TakeTestForm
from assessments.models import QuestionType

from .factories import add_question, make_instrument, single

pytestmark = pytest.mark.django_db

# The options loop as it was in assessments/take_test.html.
TEMPLATE_OPTIONS = """{% for option in row.options %}
          <label class="option" for="{{ option.id }}"><input type="{{ row.input_type }}" name="{{ field.html_name }}" value="{{ option.value }}" id="{{ option.id }}"{% if option.checked %} checked{% endif %}> <span{{ instrument_lang }}>{{ option.label }}</span></label>
        {% endfor %}"""


def _form(bound: bool) -> TakeTestForm:
    instrument = make_instrument()
    questions = [
        single(instrument, "One <b>"),
        add_question(
            instrument, QuestionType.MULTIPLE, "Many", [('"a" & <b>', True), ("c", False), ("d", True)]
        ),
        add_question(instrument, QuestionType.TRUE_FALSE, "Yes"),
        add_question(instrument, QuestionType.LIKERT, "Scale"),
    ]
    one, many = questions[0].choices.all(), list(questions[1].choices.all())
    given = {
        f"q{questions[0].pk}": str(one[1].pk),
        f"q{questions[1].pk}": [str(many[0].pk), str(many[2].pk)],
        f"q{questions[2].pk}": "false",
        f"q{questions[3].pk}": "4",
    }
    if bound:
        return TakeTestForm({"token": "t", **given}, questions=questions)
    return TakeTestForm(initial=given, questions=questions)


def _lines(html: str) -> list[str]:
    return [line.strip() for line in html.splitlines() if line.strip()]


@pytest.mark.parametrize("bound", [False, True])
@pytest.mark.parametrize("lang_attribute", ["", format_html(' lang="{}"', "ru")])
def test_the_options_are_what_the_template_loop_wrote(bound, lang_attribute):
    loop = engines["django"].from_string(TEMPLATE_OPTIONS)
    rows = [row for row in _form(bound).question_rows() if row.input_type]
    assert len(rows) == 4
    for row in rows:
        written = row.options_html(lang_attribute)
        looped = loop.render({"row": row, "field": row.field, "instrument_lang": lang_attribute})
        assert _lines(written) == _lines(looped)
        assert ("&lt;b&gt;" in written) == any("<b>" in option.label for option in row.options)
    assert sum(" checked" in row.options_html() for row in rows) == 4
