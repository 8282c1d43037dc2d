"""The deliveries list prints its rows in Python (courses.views._delivery_row_html), as its template
loop did (issue 18). The loop is kept below: for deliveries with and without a project, sessions
and trainers, sessions whose local day differs from UTC's, and names that need escaping, in English
and Russian, both write the same HTML."""

import re
from datetime import UTC, datetime, timedelta

import pytest
from django.template import engines
from django.utils import translation

from accounts.roles import Role
from accounts.tests.factories import user_with_role
from courses import selectors
from courses.tests.factories import DeliveryFactory, EnrolmentFactory, ProjectFactory, SessionFactory, region
from curriculum.selectors import attach_course_titles

pytestmark = pytest.mark.django_db

# The row loop as it was in courses/delivery_list.html.
TEMPLATE_ROWS = """{% load i18n course_names tz %}
  {% for delivery in deliveries %}
    <tr>
      <th scope="row"><a href="{% url 'courses:delivery_detail' delivery.pk %}">{{ delivery.course|course_title }}</a>{% if delivery.project %}<br><span class="muted">{{ delivery.project.code }}</span>{% endif %}</th>
      <td>{{ delivery.region.display_name }}, {{ delivery.country.iso_code }}</td>
      <td>{% if delivery.first_start %}{% timezone delivery.region.timezone %}{{ delivery.first_start|date:"Y-m-d" }} – {{ delivery.last_end|date:"Y-m-d" }}{% endtimezone %}{% else %}<span class="muted">{% translate "no sessions yet" %}</span>{% endif %}</td>
      <td>{% for trainer in delivery.trainers.all %}{{ trainer.get_full_name|default:trainer.username }}{% if not forloop.last %}, {% endif %}{% empty %}<span class="muted">—</span>{% endfor %}</td>
      <td>{{ delivery.enrolled_count }} / {{ delivery.capacity }}</td>
      <td><span class="status status--{{ delivery.status }}">{{ delivery.get_status_display }}</span></td>
    </tr>
  {% endfor %}
"""


def _squeezed(html: str) -> str:
    return re.sub(r">\s+<", "><", html).strip()


@pytest.mark.parametrize("language", ["en", "ru"])
def test_the_rows_are_what_the_template_wrote(client, language):
    staff = user_with_role(Role.ME_STAFF)
    trainer = user_with_role(Role.TRAINER, first_name='Ali "A"', last_name="<Karimov> & Sons")
    no_name = user_with_role(Role.TRAINER, first_name="", last_name="", username="trainer-without-a-name")
    with_everything = DeliveryFactory(trainers=[trainer, no_name], project=ProjectFactory(code="SC-<1>"))
    # 20:30 UTC on 1 March is already 2 March in Bishkek (UTC+6): the row shows the region's day.
    late_evening = datetime(2026, 3, 1, 20, 30, tzinfo=UTC)
    kyrgyz = DeliveryFactory(region=region("KG-C"), trainers=[trainer])
    SessionFactory(delivery=kyrgyz, starts_at=late_evening, ends_at=late_evening + timedelta(hours=2))
    SessionFactory(delivery=with_everything)
    EnrolmentFactory.create_batch(2, delivery=with_everything)
    DeliveryFactory()  # no project, sessions, trainers or enrolments
    client.force_login(staff)

    page = client.get("/deliveries/", headers={"accept-language": language}).content.decode()
    written = page[page.index("<tbody>") + len("<tbody>") : page.index("</tbody>")]
    with translation.override(language):
        deliveries = list(selectors.delivery_list(staff))
        attach_course_titles(deliveries, language=language)
        looped = engines["django"].from_string(TEMPLATE_ROWS).render({"deliveries": deliveries})
    assert written.count("<tr>") == 3
    assert _squeezed(written) == _squeezed(looped)
    assert "2026-03-02 – 2026-03-02" in written
    assert "&lt;Karimov&gt; &amp; Sons" in written and "SC-&lt;1&gt;" in written


def test_a_changed_project_or_country_code_shows_on_the_next_list(client):
    """The countries and projects are kept under the content version (selectors.attach_countries_and_projects)."""
    staff = user_with_role(Role.ME_STAFF)
    project = ProjectFactory(code="SC-1")
    delivery = DeliveryFactory(project=project)
    client.force_login(staff)
    assert "SC-1" in client.get("/deliveries/").text
    project.code = "SC-2"
    project.save()
    country = delivery.country
    country.iso_code = "XX"
    country.save()
    html = client.get("/deliveries/").text
    assert "SC-2" in html and "SC-1" not in html
    assert f"{delivery.region.display_name}, XX" in html
