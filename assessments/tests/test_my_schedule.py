"""A trainee's /my/ page (issue 13): each delivery's sessions, tests, results, completion and certificates."""

import re
from datetime import time, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from accounts.roles import Role
from core.localtime import aware, local_date
from courses.models import Enrolment, Session, Venue
from courses.tests.factories import (
    DeliveryFactory,
    EnrolmentFactory,
    ParticipantFactory,
    SessionFactory,
)

from ..models import Phase
from .factories import enter_paper, make_instrument, right_choice, single, trainee_for, wrong_choice

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def session_on(delivery, *, days: int, hour: int = 9, **fields) -> Session:
    day = local_date(timezone.now(), delivery.region) + timedelta(days=days)
    starts_at = aware(day, time(hour, 0), delivery.region)
    return SessionFactory(
        delivery=delivery, starts_at=starts_at, ends_at=starts_at + timedelta(hours=2), **fields
    )


def make_delivery(participant, trainer, *, sessions=(-2, 0, 3, 5), results=True, post_right=3):
    delivery = DeliveryFactory(trainers=[trainer])
    venue, _ = Venue.objects.get_or_create(name="Police school hall", region=delivery.region)
    rows = [session_on(delivery, days=days, hour=10, venue=venue) for days in sessions]
    EnrolmentFactory(delivery=delivery, participant=participant)
    if results:
        instrument = make_instrument(delivery.course)
        questions = [single(instrument, f"Q{n}") for n in range(3)]
        pre = {q.pk: right_choice(q) if n == 0 else wrong_choice(q) for n, q in enumerate(questions)}
        post = {q.pk: right_choice(q) if n < post_right else wrong_choice(q) for n, q in enumerate(questions)}
        enter_paper(delivery, Phase.PRE, {participant: pre}, entered_by=trainer)
        enter_paper(delivery, Phase.POST, {participant: post}, entered_by=trainer)
    return delivery, rows


def test_my_page_shows_sessions_marked_past_today_next_with_local_time_and_venue(client, make_user):
    participant = ParticipantFactory()
    trainee = trainee_for(participant)
    _, (past, today, following, later) = make_delivery(participant, make_user(Role.TRAINER))
    client.force_login(trainee)
    html = client.get(reverse("assessments:my")).content.decode()
    found = {
        pk: when
        for when, pk in re.findall(r'<li class="my-session my-session--(\w+)" id="session-(\d+)"', html)
    }
    assert found == {
        str(past.pk): "past",
        str(today.pk): "today",
        str(following.pk): "next",
        str(later.pk): "later",
    }
    row = html[html.index(f'id="session-{today.pk}"') :]
    row = row[: row.index("</li>")]
    assert "10:00" in row and "Police school hall" in row
    assert "Asia/" not in html and "UTC+5" in html


def test_my_page_shows_results_with_pass_and_change_and_the_completion_decision(client, make_user):
    participant = ParticipantFactory()
    trainee = trainee_for(participant)
    delivery, _ = make_delivery(participant, make_user(Role.TRAINER))
    delivery.course.pass_mark_percent = 70
    delivery.course.save()
    client.force_login(trainee)
    html = client.get(reverse("assessments:my")).content.decode()
    results = html[html.index('class="my-results"') :]
    results = results[: results.index("</dl>")]
    assert "33%" in results and "100%" in results
    assert "passed" in results.lower()
    assert "+67" in results  # percentage points from pre to post
    assert "In training" in html
    Enrolment.objects.filter(delivery=delivery, participant=participant).update(
        status=Enrolment.Status.COMPLETED,
        decided_at=timezone.now(),
        decision_basis={"attended": 4, "held": 4, "minimum_percent": 75},
    )
    html = client.get(reverse("assessments:my")).content.decode()
    assert "attended 4 of 4 held sessions" in html and "In training" not in html


def test_my_page_says_not_passed_below_the_pass_mark(client, make_user):
    participant = ParticipantFactory()
    trainee = trainee_for(participant)
    make_delivery(participant, make_user(Role.TRAINER), post_right=2)  # 67 % against the default 70 %
    client.force_login(trainee)
    html = client.get(reverse("assessments:my")).content.decode()
    results = html[html.index('class="my-results"') :]
    results = results[: results.index("</dl>")]
    assert "67%" in results and "Not passed" in results and "+33" in results


def test_my_page_takes_a_fixed_number_of_queries(client, make_user):
    trainer = make_user(Role.TRAINER)
    participant = ParticipantFactory()
    trainee = trainee_for(participant)
    client.force_login(trainee)
    client.get(reverse("assessments:my"))
    counts = []
    for deliveries in (1, 4):
        for _ in range(deliveries):
            make_delivery(participant, trainer, sessions=(-3, -1, 0, 2, 4, 6))
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("assessments:my")).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1], counts


def test_the_participant_comes_with_their_enrolments_and_alone_for_someone_enrolled_nowhere(
    client, make_user
):
    participant = ParticipantFactory(full_name="Нилуфар Раҳимова")
    client.force_login(trainee_for(participant))
    alone = client.get(reverse("assessments:my")).text
    assert "Нилуфар Раҳимова" in alone and "not linked to a participant" not in alone
    make_delivery(participant, make_user(Role.TRAINER))
    with CaptureQueriesContext(connection) as queries:
        enrolled = client.get(reverse("assessments:my")).text
    assert "Нилуфар Раҳимова" in enrolled
    participant_reads = [query["sql"] for query in queries if 'FROM "courses_participant"' in query["sql"]]
    assert participant_reads == [], participant_reads  # read in the enrolments' statement
    client.force_login(make_user(Role.TRAINEE))  # an account with no participant record
    assert "not linked to a participant" in client.get(reverse("assessments:my")).text


def test_my_page_is_for_signed_in_people_only(client):
    assert client.get(reverse("assessments:my")).status_code == 302


def test_a_test_made_for_the_course_shows_on_my_page_at_the_next_request(client, make_user):
    """Which courses have a test is kept under the content version (selectors.courses_with_tests)."""
    participant = ParticipantFactory()
    delivery, _sessions = make_delivery(participant, make_user(Role.TRAINER), results=False)
    client.force_login(trainee_for(participant))
    assert '<ul class="test-list">' not in client.get(reverse("assessments:my")).text
    make_instrument(delivery.course)
    html = client.get(reverse("assessments:my")).text
    assert '<ul class="test-list">' in html and "Pre-test" in html
