from datetime import timedelta

import pytest
from django.utils import timezone

from attendance import demo
from attendance.models import AttendanceChange, AttendanceRecord
from courses.tests.factories import SessionFactory

from .factories import make_roster

pytestmark = pytest.mark.django_db


def test_demo_marks_past_sessions_once_with_some_absences():
    roster = make_roster(30)
    SessionFactory(
        delivery=roster.delivery,
        starts_at=timezone.now() - timedelta(days=3),
        ends_at=timezone.now() - timedelta(days=3, hours=-2),
    )
    SessionFactory(
        delivery=roster.delivery,
        starts_at=timezone.now() + timedelta(days=3),
        ends_at=timezone.now() + timedelta(days=3, hours=2),
    )
    logged = []
    demo.load(log=logged.append, context={})
    assert AttendanceRecord.objects.count() == 60  # two past sessions × 30, the future one untouched
    statuses = set(AttendanceRecord.objects.values_list("status", flat=True))
    assert "present" in statuses and len(statuses) >= 3
    first_run = list(
        AttendanceRecord.objects.order_by("pk").values_list("participant_id", "session_id", "status")
    )
    changes = AttendanceChange.objects.count()
    demo.load(log=logged.append, context={})
    assert (
        list(AttendanceRecord.objects.order_by("pk").values_list("participant_id", "session_id", "status"))
        == first_run
    )
    assert AttendanceChange.objects.count() == changes
    assert "0 attendance marks created" in logged[-1]
