"""The demo can be tried at any hour: a session in progress (check-in works at once), one later,
deliveries in every state and none over-full, and a second run on another day still has all that.

These tests load the whole demo (issue 17 asks for it): only a real load shows what a newcomer meets.
"""

import datetime
import io

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone

from attendance.models import AttendanceRecord
from attendance.services import check_in_code_for, check_in_opens_before, check_in_record
from courses import rules
from courses.models import Delivery, Enrolment, Session

pytestmark = pytest.mark.django_db


def load_demo() -> str:
    out = io.StringIO()
    with override_settings(DEBUG=True):
        call_command("load_demo_data", stdout=out)
    return out.getvalue()


def open_for_check_in(moment: datetime.datetime):
    return Session.objects.filter(
        status=Session.Status.SCHEDULED,
        delivery__status=Delivery.Status.IN_PROGRESS,
        starts_at__lte=moment + check_in_opens_before(),
        ends_at__gt=moment,
    )


def assert_trainee_can_check_in_now(output: str, moment: datetime.datetime) -> Session:
    trainee = User.objects.get(username="trainee")
    session = open_for_check_in(moment).get(delivery__enrolments__participant__user=trainee)
    assert session.starts_at <= moment, "the session is in progress, not only open for check-in"
    code = check_in_code_for(session=session).code
    assert code in output  # the loader prints the code to type at /check-in/
    assert not AttendanceRecord.objects.filter(session=session, participant__user=trainee).exists()
    result = check_in_record(user=trainee, code=code, now=moment + datetime.timedelta(minutes=1))
    assert not result.already
    return session


def test_a_session_is_in_progress_when_the_loader_ran_and_the_trainee_can_check_in():
    started = timezone.now()
    output = load_demo()
    live = assert_trainee_can_check_in_now(output, timezone.now())
    assert live.starts_at <= started
    later = live.delivery.sessions.filter(status=Session.Status.SCHEDULED, starts_at__gt=live.ends_at)
    assert later.filter(starts_at__lt=started + datetime.timedelta(hours=8)).exists(), "one later today"
    assert "/check-in/" in output and "/accounts/code/" in output


def test_deliveries_in_every_state_none_over_full_and_completed_ones_wholly_past():
    started = timezone.now()
    load_demo()
    statuses = set(Delivery.objects.values_list("status", flat=True))
    assert {Delivery.Status.COMPLETED, Delivery.Status.IN_PROGRESS, Delivery.Status.PLANNED} <= statuses
    for delivery in Delivery.objects.all():
        taken = delivery.enrolments.filter(rules.active_enrolment_q()).count()
        assert taken <= delivery.capacity, f"delivery #{delivery.pk}: {taken} of {delivery.capacity} places"
    completed = Session.objects.filter(delivery__status=Delivery.Status.COMPLETED)
    assert completed.exists() and not completed.filter(ends_at__gt=started).exists()
    assert Enrolment.objects.filter(status=Enrolment.Status.WAITLISTED).exists()  # a full delivery waits


def test_a_second_run_on_a_later_day_creates_nothing_and_moves_the_live_session_to_then(monkeypatch):
    load_demo()
    counts = (Delivery.objects.count(), Session.objects.count(), Enrolment.objects.count())
    later = timezone.now() + datetime.timedelta(days=1, hours=7)
    monkeypatch.setattr(timezone, "now", lambda: later)
    output = load_demo()
    assert (Delivery.objects.count(), Session.objects.count(), Enrolment.objects.count()) == counts
    assert "deliveries: 0 created" in output
    assert_trainee_can_check_in_now(output, later)
