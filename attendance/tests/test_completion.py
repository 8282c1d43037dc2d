from datetime import timedelta

import pytest
from django.test import override_settings
from django.utils import timezone

from attendance.models import AttendanceRecord
from attendance.selectors import attendance_summaries
from courses.models import Session
from courses.tests.factories import SessionFactory

from .factories import make_roster

pytestmark = pytest.mark.django_db


def build(statuses: list[str]):
    """One participant, one held session per status, and a future session that does not count."""
    roster = make_roster(1)
    roster.delivery.course.minimum_attendance_percent = 75
    roster.delivery.course.save()
    Session.objects.filter(pk=roster.session.pk).delete()
    participant = roster.participants[0]
    for days, status in enumerate(statuses, start=1):
        session = SessionFactory(
            delivery=roster.delivery,
            starts_at=timezone.now() - timedelta(days=days),
            ends_at=timezone.now() - timedelta(days=days) + timedelta(hours=2),
        )
        AttendanceRecord.objects.create(
            session=session,
            participant=participant,
            status=status,
            source="web",
            recorded_at=session.starts_at,
        )
    SessionFactory(
        delivery=roster.delivery,
        starts_at=timezone.now() + timedelta(days=3),
        ends_at=timezone.now() + timedelta(days=3, hours=2),
    )
    return attendance_summaries(delivery=roster.delivery)[participant.pk]


def test_late_and_left_early_count_as_attended():
    summary = build(["present", "late", "left_early", "absent"])
    # Exactly on the 75 % minimum so far; a session is still to come, so nothing is decided yet.
    assert (summary.attended, summary.held, summary.planned, summary.rate_percent) == (3, 4, 5, 75.0)
    assert summary.meets_rule_so_far and summary.is_provisional and not summary.meets_rule


def test_below_the_minimum_does_not_meet_the_rule():
    summary = build(["present", "absent", "absent", "late"])
    assert summary.rate_percent == 50.0 and not summary.meets_rule_so_far


def test_excused_does_not_count_by_default():
    summary = build(["present", "present", "excused", "excused"])
    assert not summary.meets_rule_so_far


@override_settings(HAMKORI_EXCUSED_COUNTS_AS_ATTENDED=True)
def test_excused_counts_when_the_programme_says_so():
    summary = build(["present", "present", "excused", "excused"])
    assert summary.attended == 4 and summary.meets_rule_so_far


def test_delivery_page_shows_who_meets_the_rule(client, make_user):
    from accounts.roles import Role

    staff = make_user(Role.ME_STAFF)
    roster = make_roster(2)
    AttendanceRecord.objects.create(
        session=roster.session,
        participant=roster.participants[0],
        status="present",
        source="web",
        recorded_at=roster.session.starts_at,
    )
    client.force_login(staff)
    page = client.get(f"/deliveries/{roster.delivery.pk}/attendance/").content.decode()
    assert "1 participant meets the course" in page
    assert "An excused absence counts as not attended." in page


def test_one_of_one_held_with_three_planned_is_provisional_not_met():
    """Seen: a trainee who attended the first of four sessions showed "100 % ✓"."""
    summary = build(["present"])
    assert (summary.attended, summary.held, summary.planned) == (1, 1, 2)
    assert summary.rate_percent == 100.0 and summary.is_provisional and not summary.meets_rule
