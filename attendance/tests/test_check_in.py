from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.test import override_settings
from django.utils import timezone

from accounts.models import ThrottleCount
from accounts.roles import Role
from attendance.models import AttendanceRecord
from attendance.services import (
    CHECK_IN_THROTTLE_SCOPE,
    CHECK_IN_UNKNOWN_CODE,
    check_in_code_for,
    check_in_record,
)
from courses.models import Participant

from .factories import make_roster

pytestmark = pytest.mark.django_db


@pytest.fixture
def trainee(make_user):
    return make_user(Role.TRAINEE)


def running_roster(trainee, starts_in=timedelta(minutes=-5)):
    roster = make_roster(2, starts_in=starts_in)
    Participant.objects.filter(pk=roster.participants[0].pk).update(user=trainee)
    return roster, check_in_code_for(session=roster.session).code


def test_code_is_short_stable_and_unique_per_session():
    first, second = make_roster(0), make_roster(0)
    code = check_in_code_for(session=first.session).code
    assert len(code) == 6
    assert check_in_code_for(session=first.session).code == code
    assert check_in_code_for(session=second.session).code != code


def test_check_in_on_time_marks_present(trainee):
    roster, code = running_roster(trainee)
    result = check_in_record(user=trainee, code=code.lower())
    record = AttendanceRecord.objects.get(participant=roster.participants[0])
    assert (result.status, record.status, record.source) == ("present", "present", "self_check_in")


@override_settings(HAMKORI_CHECK_IN_LATE_AFTER_MINUTES=10)
def test_check_in_after_the_grace_period_marks_late(trainee):
    _roster, code = running_roster(trainee, starts_in=timedelta(minutes=-11))
    assert check_in_record(user=trainee, code=code).status == "late"


def test_check_in_opens_thirty_minutes_before_the_start(trainee):
    _roster, code = running_roster(trainee, starts_in=timedelta(minutes=31))
    with pytest.raises(ValidationError, match="opens at"):
        check_in_record(user=trainee, code=code)
    assert (
        check_in_record(user=trainee, code=code, now=timezone.now() + timedelta(minutes=2)).status
        == "present"
    )


def test_check_in_after_the_end_is_refused_with_the_reason(trainee):
    _roster, code = running_roster(trainee, starts_in=timedelta(hours=-4))
    with pytest.raises(ValidationError, match="ended at"):
        check_in_record(user=trainee, code=code)
    assert not AttendanceRecord.objects.exists()
    assert not ThrottleCount.objects.filter(
        scope=CHECK_IN_THROTTLE_SCOPE, failures__gt=0
    ).exists()  # a real code for the wrong time is not a guess


def test_trainee_not_enrolled_is_refused(make_user):
    outsider = make_user(Role.TRAINEE)
    _roster, code = running_roster(make_user(Role.TRAINEE))
    with pytest.raises(ValidationError):
        check_in_record(user=outsider, code=code)


def test_check_in_never_overwrites_a_trainers_mark(trainee):
    roster, code = running_roster(trainee)
    AttendanceRecord.objects.create(
        session=roster.session,
        participant=roster.participants[0],
        status="excused",
        source="web",
        recorded_at=timezone.now(),
    )
    result = check_in_record(user=trainee, code=code)
    assert result.already and AttendanceRecord.objects.get().status == "excused"


def test_wrong_codes_are_throttled_after_five_then_released(trainee):
    _roster, code = running_roster(trainee)
    for _ in range(5):
        with pytest.raises(ValidationError) as error:
            check_in_record(user=trainee, code="ZZZZZZ")
        assert error.value.messages == [str(CHECK_IN_UNKNOWN_CODE)]
    first_failure = ThrottleCount.objects.get(scope=CHECK_IN_THROTTLE_SCOPE).window_started_at
    until_in_dushanbe = timezone.localtime(first_failure + timedelta(minutes=30), ZoneInfo("Asia/Dushanbe"))
    with pytest.raises(ValidationError, match=f"Try again after {until_in_dushanbe:%H:%M}"):
        check_in_record(user=trainee, code=code)  # even the right code waits
    assert not AttendanceRecord.objects.exists()
    later = timezone.now() + timedelta(minutes=31)
    ThrottleCount.objects.filter(scope=CHECK_IN_THROTTLE_SCOPE).update(
        window_started_at=timezone.now() - timedelta(minutes=31)
    )
    assert check_in_record(user=trainee, code=code, now=later - timedelta(minutes=31)).status == "present"


def test_check_in_page_for_a_trainee(client, trainee):
    roster, code = running_roster(trainee)
    client.force_login(trainee)
    page = client.get(f"/check-in/?code={code}")
    assert page.status_code == 200 and code in page.content.decode()
    response = client.post("/check-in/", {"code": code}, follow=True)
    assert "You are checked in" in response.content.decode()
    assert AttendanceRecord.objects.filter(participant=roster.participants[0]).exists()


def test_check_in_page_shows_why_a_code_is_refused(client, trainee):
    running_roster(trainee)
    client.force_login(trainee)
    response = client.post("/check-in/", {"code": "QQQQQQ"})
    assert response.status_code == 400
    assert str(CHECK_IN_UNKNOWN_CODE) in response.content.decode()


def test_check_in_page_is_for_trainees_only(client, make_user):
    client.force_login(make_user(Role.TRAINER))
    assert client.get("/check-in/").status_code == 403


def test_qr_link_sends_a_signed_out_trainee_to_log_in_and_back_with_the_code(client):
    response = client.get("/check-in/?code=ACDE34")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/code/?next=/check-in/%3Fcode%3DACDE34")
