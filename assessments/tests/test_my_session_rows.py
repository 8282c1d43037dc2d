"""/my/ prints each session in Python (assessments.views._my_session_html), as its template loop did
(issue 18). The loop is kept below: for sessions past, today, next and later, one cancelled, with
the session's venue, the delivery's and none, a region whose day differs from UTC's, and a venue
name that needs escaping, in English and Russian, both write the same HTML."""

import re
from datetime import UTC, datetime, time, timedelta

import pytest
from django.template import engines
from django.urls import reverse
from django.utils import timezone, translation

from core.localtime import aware, local_date
from courses.models import Session, Venue
from courses.tests.factories import (
    DeliveryFactory,
    EnrolmentFactory,
    ParticipantFactory,
    SessionFactory,
    region,
)

from .. import selectors
from .factories import trainee_for

pytestmark = pytest.mark.django_db

# The session loop as it was in assessments/my.html.
TEMPLATE_SESSIONS = """{% load i18n localtime_tags %}{% for item in training %}
        <ul class="my-sessions">
          {% for row in item.sessions %}{% with session=row.session region=item.delivery.region %}
            <li class="my-session my-session--{{ row.when }}" id="session-{{ session.pk }}">
              {% if row.when == "today" %}<strong class="my-when">{% translate "Today" %}</strong>{% elif row.when == "next" %}<strong class="my-when">{% translate "Next" %}</strong>{% elif row.when == "past" %}<span class="my-when muted">{% translate "Past" %}</span>{% endif %}
              {{ session.starts_at|local:region|date:"D j E" }}, {{ session.starts_at|local:region|date:"H:i" }}–{{ session.ends_at|local:region|date:"H:i" }}
              · {% firstof session.venue.name item.delivery.venue.name _("No venue set") %}{% if session.status == "cancelled" %} · <em>{% translate "cancelled" %}</em>{% endif %}
            </li>
          {% endwith %}{% endfor %}
        </ul>{% endfor %}
"""


def _squeezed(html: str) -> str:
    """Whitespace as a browser reads it: runs of it are one space, and none between tags."""
    return re.sub(r">\s+", ">", re.sub(r"\s+<", "<", re.sub(r"\s+", " ", html))).strip()


def _session_on(delivery, days, *, venue=None, **fields) -> Session:
    day = local_date(timezone.now(), delivery.region) + timedelta(days=days)
    starts_at = aware(day, time(10, 0), delivery.region)
    return SessionFactory(
        delivery=delivery, starts_at=starts_at, ends_at=starts_at + timedelta(hours=2), venue=venue, **fields
    )


@pytest.mark.parametrize("language", ["en", "ru"])
def test_the_sessions_are_what_the_template_wrote(client, language):
    participant = ParticipantFactory()
    with_venue = DeliveryFactory()
    hall = Venue.objects.create(name="Hall <A> & B", region=with_venue.region)
    with_venue.venue = hall
    with_venue.save()
    school = Venue.objects.create(name="School no. 5", region=with_venue.region)
    _session_on(with_venue, -2)
    _session_on(with_venue, 0, venue=school)
    _session_on(with_venue, 2, status=Session.Status.CANCELLED)
    _session_on(with_venue, 3)
    _session_on(with_venue, 5, venue=school)
    # 20:30 UTC is already the next day in Bishkek (UTC+6): the row shows the region's day and hours.
    kyrgyz = DeliveryFactory(region=region("KG-C"))
    late_evening = datetime(2026, 3, 1, 20, 30, tzinfo=UTC)
    SessionFactory(delivery=kyrgyz, starts_at=late_evening, ends_at=late_evening + timedelta(hours=2))
    EnrolmentFactory(delivery=with_venue, participant=participant)
    EnrolmentFactory(delivery=kyrgyz, participant=participant)
    client.force_login(trainee_for(participant))

    page = client.get(reverse("assessments:my"), headers={"accept-language": language}).text
    written = "".join(re.findall(r'<ul class="my-sessions">.*?</ul>', page, flags=re.S))
    with translation.override(language):
        looped = (
            engines["django"]
            .from_string(TEMPLATE_SESSIONS)
            .render({"training": selectors.my_training(participant)})
        )
    assert written.count("<li") == 6
    assert _squeezed(written) == _squeezed(looped)
    assert "Hall &lt;A&gt; &amp; B" in written and "School no. 5" in written
    assert ", 02:30–04:30 ·" in written  # 20:30 UTC on Bishkek's clock
