"""Scheduling rules: local time, conflicts and override, capacity and waitlist, status, merging."""

import datetime
from datetime import UTC, timedelta

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.utils import timezone

from accounts.roles import Role
from accounts.tests.factories import user_with_role
from courses import services
from courses.forms import SessionForm
from courses.models import CalendarFeed, Delivery, Enrolment, Participant, Session
from courses.tests.factories import (
    DeliveryFactory,
    EnrolmentFactory,
    ParticipantFactory,
    SessionFactory,
    VenueFactory,
    region,
)

pytestmark = pytest.mark.django_db


def _local_session_form(delivery, day="2026-12-01", starts="09:00", ends="12:00"):
    form = SessionForm({"date": day, "starts": starts, "ends": ends}, delivery=delivery, can_override=False)
    assert form.is_valid(), form.errors
    return form.cleaned_data


@pytest.mark.parametrize(("iso_code", "utc_hour"), [("TJ-SU", 4), ("KG-O", 3)])
def test_nine_oclock_in_the_region_is_stored_in_utc(iso_code, utc_hour, settings):
    settings.TIME_ZONE = "America/New_York"  # the server's zone must not matter
    delivery = DeliveryFactory(region=region(iso_code))
    data = _local_session_form(delivery)
    with timezone.override("Europe/London"):  # nor the viewer's
        session = services.session_create(
            delivery=delivery, starts_at=data["starts_at"], ends_at=data["ends_at"]
        )
    session.refresh_from_db()
    assert session.starts_at == datetime.datetime(2026, 12, 1, utc_hour, 0, tzinfo=UTC)
    assert session.ends_at == datetime.datetime(2026, 12, 1, utc_hour + 3, 0, tzinfo=UTC)


def test_session_form_refuses_end_before_start():
    form = SessionForm(
        {"date": "2026-12-01", "starts": "12:00", "ends": "09:00"},
        delivery=DeliveryFactory(),
        can_override=False,
    )
    assert not form.is_valid()
    assert "ends" in form.errors


def _slot(hours_from_now=48, length=3):
    start = timezone.now().replace(microsecond=0) + timedelta(hours=hours_from_now)
    return start, start + timedelta(hours=length)


def test_same_trainer_overlapping_is_refused_naming_the_other_session():
    trainer = user_with_role(Role.TRAINER, first_name="Шӯҳрат", last_name="Қосимов")
    first = DeliveryFactory(trainers=[trainer], region=region("TJ-SU"))
    second = DeliveryFactory(trainers=[trainer], region=region("KG-O"))
    start, end = _slot()
    services.session_create(delivery=first, starts_at=start, ends_at=end)
    with pytest.raises(services.SchedulingConflict) as caught:
        services.session_create(
            delivery=second, starts_at=start + timedelta(hours=1), ends_at=end + timedelta(hours=1)
        )
    message = " ".join(caught.value.messages)
    assert "Шӯҳрат Қосимов" in message
    assert first.course.title in message and f"#{first.pk}" in message
    assert not second.sessions.exists()


def test_back_to_back_sessions_do_not_conflict():
    trainer = user_with_role(Role.TRAINER)
    delivery = DeliveryFactory(trainers=[trainer])
    start, end = _slot()
    services.session_create(delivery=delivery, starts_at=start, ends_at=end)
    services.session_create(delivery=delivery, starts_at=end, ends_at=end + timedelta(hours=2))
    assert delivery.sessions.count() == 2


def test_same_venue_overlapping_is_refused():
    venue = VenueFactory(name="Толори ҷамоат")
    first, second = DeliveryFactory(venue=venue), DeliveryFactory()
    start, end = _slot()
    services.session_create(delivery=first, starts_at=start, ends_at=end)
    with pytest.raises(services.SchedulingConflict, match="Толори ҷамоат"):
        services.session_create(delivery=second, starts_at=start, ends_at=end, venue=venue)


def test_cancelled_sessions_do_not_conflict():
    venue = VenueFactory()
    start, end = _slot()
    other = services.session_create(delivery=DeliveryFactory(venue=venue), starts_at=start, ends_at=end)
    services.session_cancel(session=other)
    services.session_create(delivery=DeliveryFactory(), starts_at=start, ends_at=end, venue=venue)


def test_staff_may_override_a_conflict_with_a_recorded_reason():
    venue = VenueFactory()
    start, end = _slot()
    services.session_create(delivery=DeliveryFactory(venue=venue), starts_at=start, ends_at=end)
    session = services.session_create(
        delivery=DeliveryFactory(),
        starts_at=start,
        ends_at=end,
        venue=venue,
        user=user_with_role(Role.ME_STAFF),
        override_reason="Two halls booked under one name",
    )
    assert Session.objects.get(pk=session.pk).conflict_override_reason == "Two halls booked under one name"


def test_coordinator_cannot_override_a_conflict():
    venue = VenueFactory()
    start, end = _slot()
    services.session_create(delivery=DeliveryFactory(venue=venue), starts_at=start, ends_at=end)
    with pytest.raises(ValidationError) as caught:
        services.session_create(
            delivery=DeliveryFactory(),
            starts_at=start,
            ends_at=end,
            venue=venue,
            user=user_with_role(Role.REGIONAL_COORDINATOR),
            override_reason="I insist",
        )
    assert str(services.OVERRIDE_STAFF_ONLY) in caught.value.messages


def test_venue_of_another_region_is_refused():
    delivery = DeliveryFactory(region=region("TJ-SU"))
    start, end = _slot()
    with pytest.raises(ValidationError):
        services.session_create(
            delivery=delivery, starts_at=start, ends_at=end, venue=VenueFactory(region=region("KG-O"))
        )


def test_updating_a_session_raises_its_sequence():
    session = SessionFactory()
    services.session_update(session=session, title="Модули 2")
    session.refresh_from_db()
    assert session.sequence == 1 and session.title == "Модули 2"


def test_over_capacity_goes_to_the_waitlist_and_withdrawal_promotes_the_first():
    delivery = DeliveryFactory(capacity=2)
    people = ParticipantFactory.create_batch(4)
    enrolments = [services.enrolment_create(delivery=delivery, participant=person) for person in people]
    assert [e.status for e in enrolments] == ["enrolled", "enrolled", "waitlisted", "waitlisted"]
    promoted = services.enrolment_withdraw(enrolment=enrolments[0])
    assert promoted == enrolments[2]
    statuses = dict(delivery.enrolments.values_list("participant", "status"))
    assert statuses == {
        people[0].pk: "withdrawn",
        people[1].pk: "enrolled",
        people[2].pk: "enrolled",
        people[3].pk: "waitlisted",
    }


def test_withdrawing_a_waitlisted_person_promotes_nobody():
    delivery = DeliveryFactory(capacity=1)
    first, second = ParticipantFactory.create_batch(2)
    services.enrolment_create(delivery=delivery, participant=first)
    waiting = services.enrolment_create(delivery=delivery, participant=second)
    assert services.enrolment_withdraw(enrolment=waiting) is None


def test_enrolling_twice_is_refused_but_a_withdrawn_person_may_return():
    delivery = DeliveryFactory()
    person = ParticipantFactory()
    enrolment = services.enrolment_create(delivery=delivery, participant=person)
    with pytest.raises(ValidationError):
        services.enrolment_create(delivery=delivery, participant=person)
    services.enrolment_withdraw(enrolment=enrolment)
    again = services.enrolment_create(delivery=delivery, participant=person)
    assert again.pk == enrolment.pk and again.status == "enrolled"


def test_enrol_many_reports_people_already_enrolled():
    delivery = DeliveryFactory()
    people = ParticipantFactory.create_batch(3)
    services.enrolment_create(delivery=delivery, participant=people[0])
    created, skipped = services.enrolments_create_many(delivery=delivery, participants=people)
    assert len(created) == 2 and len(skipped) == 1


def test_nobody_enrols_on_a_cancelled_delivery():
    delivery = DeliveryFactory(status=Delivery.Status.CANCELLED, cancellation_reason="Flood")
    with pytest.raises(ValidationError):
        services.enrolment_create(delivery=delivery, participant=ParticipantFactory())


def test_a_delivery_with_future_sessions_cannot_be_completed():
    delivery = DeliveryFactory()
    SessionFactory(
        delivery=delivery,
        starts_at=timezone.now() + timedelta(days=2),
        ends_at=timezone.now() + timedelta(days=2, hours=3),
    )
    with pytest.raises(ValidationError) as caught:
        services.delivery_set_status(delivery=delivery, status=Delivery.Status.COMPLETED)
    assert str(services.COMPLETE_WITH_FUTURE_SESSIONS) in caught.value.messages
    assert Delivery.objects.get(pk=delivery.pk).status == Delivery.Status.OPEN


def test_a_delivery_with_only_past_sessions_can_be_completed():
    delivery = DeliveryFactory()
    SessionFactory(
        delivery=delivery,
        starts_at=timezone.now() - timedelta(days=2),
        ends_at=timezone.now() - timedelta(days=2) + timedelta(hours=3),
    )
    services.delivery_set_status(delivery=delivery, status=Delivery.Status.COMPLETED)
    assert Delivery.objects.get(pk=delivery.pk).status == Delivery.Status.COMPLETED


def test_cancelling_needs_a_reason():
    delivery = DeliveryFactory()
    with pytest.raises(ValidationError):
        services.delivery_set_status(delivery=delivery, status=Delivery.Status.CANCELLED, reason="  ")


def test_cancelling_records_the_reason_and_cancels_every_session_past_ones_included():
    delivery = DeliveryFactory()
    now = timezone.now()
    past = SessionFactory(
        delivery=delivery,
        starts_at=now - timedelta(days=3),
        ends_at=now - timedelta(days=3) + timedelta(hours=2),
    )
    future = SessionFactory(
        delivery=delivery, starts_at=now + timedelta(days=3), ends_at=now + timedelta(days=3, hours=2)
    )
    services.delivery_set_status(delivery=delivery, status=Delivery.Status.CANCELLED, reason="Паводок")
    delivery.refresh_from_db()
    past.refresh_from_db()
    future.refresh_from_db()
    assert delivery.cancellation_reason == "Паводок"
    # A cancelled delivery has no held sessions: the past one is cancelled too.
    assert (past.status, past.sequence) == ("cancelled", 1)
    assert (future.status, future.sequence) == ("cancelled", 1)


def test_merge_moves_enrolments_and_attendance_and_drops_clashing_rows():
    AttendanceRecord = apps.get_model("attendance", "AttendanceRecord")
    keep, duplicate = ParticipantFactory(phone=""), ParticipantFactory(phone="+992 93 111 22 33")
    shared, only_duplicate = DeliveryFactory(), DeliveryFactory()
    EnrolmentFactory(delivery=shared, participant=keep)
    EnrolmentFactory(delivery=shared, participant=duplicate)
    moved = EnrolmentFactory(delivery=only_duplicate, participant=duplicate)
    session = SessionFactory(delivery=only_duplicate)
    AttendanceRecord.objects.create(
        session=session, participant=duplicate, status="present", source="web", recorded_at=timezone.now()
    )
    services.participant_merge(keep=keep, duplicate=duplicate)
    assert not Participant.objects.filter(pk=duplicate.pk).exists()
    assert Enrolment.objects.get(pk=moved.pk).participant_id == keep.pk
    assert Enrolment.objects.filter(participant=keep).count() == 2
    assert AttendanceRecord.objects.get(session=session).participant_id == keep.pk
    keep.refresh_from_db()
    assert keep.phone == "+992 93 111 22 33"


def test_merging_a_person_into_themselves_is_refused():
    person = ParticipantFactory()
    with pytest.raises(ValidationError):
        services.participant_merge(keep=person, duplicate=person)


def test_calendar_feed_rotation_replaces_the_token():
    user = user_with_role(Role.TRAINER)
    first = services.calendar_feed_rotate(user=user).token
    second = services.calendar_feed_rotate(user=user).token
    assert first != second
    services.calendar_feed_revoke(user=user)
    assert not CalendarFeed.objects.filter(user=user).exists()


def test_editing_a_delivery_raises_every_sessions_sequence():
    session = SessionFactory()
    services.delivery_update(delivery=session.delivery, capacity=30, trainers=[user_with_role(Role.TRAINER)])
    session.refresh_from_db()
    assert session.sequence == 1
