"""The certificates page of a delivery takes a fixed number of queries whatever its size (issue 18)."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from accounts.roles import Role
from assessments.models import Certificate
from assessments.selectors import certificate_candidates
from attendance.services import Mark, attendance_marks_save
from attendance.tests.factories import make_roster
from core.collation import reader_order
from courses.models import Enrolment
from courses.rules import active_enrolment_q
from courses.tests.factories import EnrolmentFactory, ParticipantFactory

pytestmark = pytest.mark.django_db


def certificate_page_queries(client, trainer, size: int) -> int:
    roster = make_roster(size, trainers=[trainer])
    for participant in roster.participants[::2]:
        Certificate.objects.create(delivery=roster.delivery, participant=participant)
    url = f"/deliveries/{roster.delivery.pk}/certificates/"
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    assert response.content.count(b"<tr") >= size
    return len(queries)


def test_certificates_page_queries_do_not_grow_with_participants(client, make_user):
    trainer = make_user(Role.TRAINER)
    client.force_login(trainer)
    small = certificate_page_queries(client, trainer, 3)
    large = certificate_page_queries(client, trainer, 25)
    assert small == large, f"{small} queries for 3 participants, {large} for 25"


@pytest.mark.parametrize("language", ["en", "ky"])
def test_candidates_come_in_the_readers_order_each_with_its_own_attendance(language):
    # certificate_candidates sorts in Python by the key reader_order sorts by in SQL: the same
    # order for Latin and Cyrillic names, a name twice broken by the participant, and each row
    # with its own person's attendance (read for the enrolments the rows are made of).
    roster = make_roster(0, starts_in=timedelta(hours=-5))
    names = ["Ғафуров Ғайрат", "Adams John", "Гулов Бахтиёр", "Ёров Ёрали", "Adams John", "Ёров Ёрали"]
    people = [
        EnrolmentFactory(delivery=roster.delivery, participant=ParticipantFactory(full_name=name)).participant
        for name in names
    ]
    EnrolmentFactory(
        delivery=roster.delivery, participant=ParticipantFactory(full_name="Аа Withdrawn"), status="withdrawn"
    )
    attended = people[1::2]
    attendance_marks_save(
        session=roster.session,
        marks=[Mark(participant_id=person.pk, status="present") for person in attended],
        recorded_by=None,
        source="web",
    )
    with translation.override(language):
        expected = list(
            Enrolment.objects.filter(active_enrolment_q(), delivery=roster.delivery)
            .order_by(*reader_order("participant__"), "participant_id")
            .values_list("participant_id", flat=True)
        )
        candidates = certificate_candidates(delivery=roster.delivery)
    assert [candidate.participant.pk for candidate in candidates] == expected
    assert len(expected) == len(people)
    for candidate in candidates:
        assert candidate.enrolment.participant_id == candidate.participant.pk
        assert candidate.attendance.participant_id == candidate.participant.pk
        assert candidate.attendance.held == 1
        assert candidate.attendance.attended == (1 if candidate.participant in attended else 0)
