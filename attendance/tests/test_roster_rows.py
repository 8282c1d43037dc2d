"""The roster prints its rows in Python (attendance.views._roster_row_html), as the template did (issue 18).

Forty rows of a dozen template nodes each were a third of the roster's server time. The template
the rows were printed with is kept below: for rows with and without an organisation, a note and
earlier marks, and with names and notes that need escaping, both write the same HTML.
"""

import re

import pytest
from django.template import engines
from django.utils import translation

from accounts.roles import Role
from attendance.services import Mark, attendance_marks_save

from .factories import make_roster

pytestmark = pytest.mark.django_db

# The roster's row loop as it was in attendance/session_attendance.html.
TEMPLATE_ROWS = """{% load i18n %}
  {% for row in rows %}{% with pid=row.participant.pk %}
  <li class="roster-row" id="row-{{ pid }}">
    <fieldset>
      <legend class="roster-name">{{ row.participant.full_name }}{% if row.participant.organisation %} <span class="muted roster-org">{{ row.participant.organisation.name }}</span>{% endif %}</legend>
      <input type="hidden" name="v-{{ pid }}" value="{{ row.version }}"><input type="hidden" name="s-{{ pid }}" value="{{ row.seen_status }}"><input type="hidden" name="n-{{ pid }}" value="{{ row.seen_note }}">
      <div class="marks">{{ row.mark_choices }}</div>
      <details class="roster-extra"{% if row.note %} open{% endif %}><summary>{% translate "Note" %}{% if row.version %} · {% translate "History" %}{% endif %}<span class="visually-hidden">: {{ row.participant.full_name }}</span></summary>
        <input type="text" id="note-{{ pid }}" name="note-{{ pid }}" value="{{ row.note }}" maxlength="300" aria-label="{% translate 'Note' %}: {{ row.participant.full_name }}">
        {% if row.version %}<a href="{% url 'attendance:history' session.pk %}?participant={{ pid }}">{% translate "History" %}</a>{% endif %}
      </details>
    </fieldset>
  </li>
  {% endwith %}{% endfor %}
"""


def _rows_of(html: str) -> str:
    rows = html[html.index('<ol class="roster-rows">') : html.index("</ol>")]
    return re.sub(r">\s+<", "><", rows.split(">", 1)[1]).strip()


@pytest.mark.parametrize("language", ["en", "ru"])
def test_the_rows_are_what_the_template_wrote(client, make_user, language):
    trainer = make_user(Role.TRAINER)
    roster = make_roster(3, trainers=[trainer])
    first, second, _unmarked = roster.participants
    first.full_name = 'Zarina "Z" <Rahimova> & co'
    first.save()
    second.organisation = None
    second.save()
    attendance_marks_save(
        session=roster.session,
        marks=[
            Mark(participant_id=first.pk, status="late", note='Came at 10:15 <with "a" note>'),
            Mark(participant_id=second.pk, status="absent"),
        ],
        recorded_by=trainer,
        source="web",
    )
    client.force_login(trainer)
    client.cookies["django_language"] = language
    response = client.get(f"/sessions/{roster.session.pk}/attendance/")
    assert response.status_code == 200
    context = {"rows": response.context["rows"], "session": roster.session}
    template = engines["django"].from_string(TEMPLATE_ROWS)
    with translation.override(language):
        expected = re.sub(r">\s+<", "><", template.render(context)).strip()
    assert _rows_of(response.text) == expected
    assert "&lt;Rahimova&gt;" in expected and "open" in expected and "?participant=" in expected
