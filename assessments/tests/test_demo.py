"""The demo loader: a 12-question test in English and Russian, attempts with gains, idempotent."""

from datetime import timedelta

import pytest
from django.utils import timezone

from attendance.models import AttendanceRecord, AttendanceSource, AttendanceStatus
from courses.models import Delivery
from courses.tests.factories import DeliveryFactory, EnrolmentFactory, SessionFactory, make_course

from .. import demo
from ..models import Attempt, Certificate, Instrument, Question
from ..selectors import delivery_results

pytestmark = pytest.mark.django_db


def test_demo_is_idempotent_and_shows_a_gain(make_user):
    course = make_course("Community policing basics", minimum_attendance_percent=50, pass_mark_percent=50)
    delivery = DeliveryFactory(course=course, status=Delivery.Status.COMPLETED, trainers=[make_user(None)])
    starts = timezone.now() - timedelta(days=3)
    session = SessionFactory(delivery=delivery, starts_at=starts, ends_at=starts + timedelta(hours=3))
    for _ in range(12):
        participant = EnrolmentFactory(delivery=delivery).participant
        AttendanceRecord.objects.create(
            session=session, participant=participant, status=AttendanceStatus.PRESENT,
            source=AttendanceSource.WEB, recorded_at=timezone.now(),
        )  # fmt: skip
    lines = []
    demo.load(log=lines.append, context={})
    counts = (
        Instrument.objects.count(),
        Question.objects.count(),
        Attempt.objects.count(),
        Certificate.objects.count(),
    )
    demo.load(log=lines.append, context={})
    assert counts == (
        Instrument.objects.count(),
        Question.objects.count(),
        Attempt.objects.count(),
        Certificate.objects.count(),
    )
    assert counts[:3] == (2, 24, 24)
    assert set(Instrument.objects.values_list("locale__language_code", flat=True)) == {"en", "ru"}
    summary = delivery_results(delivery).summary
    assert summary.paired_n == 12 and summary.mean_change > 5
    assert counts[3] >= 1


def test_demo_skips_without_a_course():
    lines = []
    assert demo.load(log=lines.append, context={}) == {}
    assert "skipping" in lines[0]
