"""Attendance test data: a delivery with a session and n enrolled participants."""

from dataclasses import dataclass
from datetime import timedelta

from django.utils import timezone

from courses.models import Delivery, Participant, Session
from courses.tests.factories import DeliveryFactory, EnrolmentFactory, ParticipantFactory, SessionFactory


@dataclass
class Roster:
    delivery: Delivery
    session: Session
    participants: list[Participant]


def make_roster(
    size: int = 3, *, trainers=(), starts_in: timedelta = timedelta(days=-1), **delivery_fields
) -> Roster:
    delivery = DeliveryFactory(trainers=list(trainers), **delivery_fields)
    starts_at = timezone.now() + starts_in
    session = SessionFactory(delivery=delivery, starts_at=starts_at, ends_at=starts_at + timedelta(hours=3))
    participants = [
        EnrolmentFactory(delivery=delivery, participant=ParticipantFactory()).participant for _ in range(size)
    ]
    return Roster(delivery=delivery, session=session, participants=participants)
