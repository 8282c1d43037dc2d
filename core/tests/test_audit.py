"""The audit trail: a row for each create, change and delete of the audited models, and rows stay put."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection

from accounts.roles import Role
from accounts.tests.factories import user_with_role
from attendance import services as attendance_services
from attendance.models import AttendanceRecord, AttendanceSource, AttendanceStatus
from attendance.tests.factories import make_roster
from core import audit
from core.models import AuditEvent, AuditEventImmutable
from courses import services as courses_services
from courses.models import Enrolment, Participant
from courses.tests.factories import DeliveryFactory, EnrolmentFactory, ParticipantFactory

pytestmark = pytest.mark.django_db


def events_for(instance, action=None):
    events = AuditEvent.objects.filter(
        content_type=ContentType.objects.get_for_model(type(instance)), object_id=str(instance.pk)
    )
    return events.filter(action=action) if action else events


def test_the_three_models_are_registered():
    assert {Participant, Enrolment, AttendanceRecord} <= set(audit.audited_models())


def test_participant_create_change_delete_are_recorded_without_personal_values():
    actor = user_with_role(Role.ME_STAFF)
    with audit.acting_as(actor):
        participant = ParticipantFactory(full_name="Раҳимова Нигина", phone="+992 900 11 22 33")
        created = events_for(participant, audit.AuditAction.CREATE).get()
        participant.phone = "+992 900 99 99 99"
        participant.sex = "female"
        participant.save()
        updated = events_for(participant, audit.AuditAction.UPDATE).get()
        pk = participant.pk
        participant.delete()
    deleted = AuditEvent.objects.get(action=audit.AuditAction.DELETE, object_id=str(pk))
    assert created.actor == actor and created.actor_label == actor.username
    assert created.participant_id == pk
    assert updated.changes == {"phone": [audit.REDACTED, audit.REDACTED], "sex": ["male", "female"]}
    assert deleted.changes["sex"] == ["female", None]
    for event in (created, updated, deleted):
        text = str(event.changes) + event.object_repr
        assert "Раҳимова" not in text and "99 99" not in text


def test_saving_without_a_change_records_nothing():
    participant = ParticipantFactory()
    participant.save()
    assert not events_for(participant, audit.AuditAction.UPDATE).exists()


def test_enrolment_create_change_delete_through_services():
    actor = user_with_role(Role.ME_STAFF)
    delivery, participant = DeliveryFactory(), ParticipantFactory()
    with audit.acting_as(actor):
        enrolment = courses_services.enrolment_create(delivery=delivery, participant=participant)
        courses_services.enrolment_withdraw(enrolment=enrolment)
        pk = enrolment.pk
        enrolment.delete()
    assert events_for(enrolment.__class__(pk=pk), audit.AuditAction.CREATE).get().actor == actor
    change = events_for(enrolment.__class__(pk=pk), audit.AuditAction.UPDATE).get()
    assert change.changes["status"] == [Enrolment.Status.ENROLLED, Enrolment.Status.WITHDRAWN]
    assert change.participant_id == participant.pk
    assert AuditEvent.objects.filter(action=audit.AuditAction.DELETE, object_id=str(pk)).exists()


def test_roster_bulk_path_records_creates_and_updates():
    trainer = user_with_role(Role.TRAINER)
    roster = make_roster(3, trainers=[trainer])
    marks = [
        attendance_services.Mark(participant_id=p.pk, status=AttendanceStatus.PRESENT)
        for p in roster.participants
    ]
    attendance_services.attendance_marks_save(
        session=roster.session, marks=marks, recorded_by=trainer, source=AttendanceSource.WEB
    )
    records = list(AttendanceRecord.objects.filter(session=roster.session))
    assert len(records) == 3
    for record in records:
        event = events_for(record, audit.AuditAction.CREATE).get()
        assert event.actor == trainer
        assert event.changes["status"] == [None, AttendanceStatus.PRESENT]
        assert event.participant_id == record.participant_id
    first = roster.participants[0]
    attendance_services.attendance_marks_save(
        session=roster.session,
        marks=[attendance_services.Mark(participant_id=first.pk, status=AttendanceStatus.ABSENT)],
        recorded_by=trainer,
        source=AttendanceSource.WEB,
    )
    record = AttendanceRecord.objects.get(session=roster.session, participant=first)
    change = events_for(record, audit.AuditAction.UPDATE).get()
    assert change.changes["status"] == [AttendanceStatus.PRESENT, AttendanceStatus.ABSENT]
    assert change.changes["version"] == [1, 2]
    record_pk = record.pk
    record.delete()
    deleted = AuditEvent.objects.get(action=audit.AuditAction.DELETE, object_id=str(record_pk))
    assert deleted.content_type.model == "attendancerecord"
    assert deleted.changes["status"] == [AttendanceStatus.ABSENT, None]


def test_merge_records_the_repointed_rows():
    keep, duplicate = ParticipantFactory(), ParticipantFactory()
    enrolment = EnrolmentFactory(participant=duplicate)
    duplicate_pk = duplicate.pk
    courses_services.participant_merge(keep=keep, duplicate=duplicate)
    change = events_for(enrolment, audit.AuditAction.UPDATE).get()
    assert change.changes["participant_id"] == [duplicate_pk, keep.pk]
    assert AuditEvent.objects.filter(action=audit.AuditAction.DELETE, object_id=str(duplicate_pk)).exists()


def test_the_request_user_is_the_actor(client):
    staff = user_with_role(Role.ME_STAFF)
    roster = make_roster(1)
    client.force_login(staff)
    response = client.get(f"/deliveries/{roster.delivery.pk}/attendance.csv")
    assert response.status_code == 200
    export = AuditEvent.objects.get(action=audit.AuditAction.EXPORT)
    assert export.actor == staff
    assert export.object_repr == "attendance.csv"
    assert export.changes == {"filters": {"delivery": roster.delivery.pk}}


def test_events_cannot_be_changed_or_deleted():
    participant = ParticipantFactory()
    event = events_for(participant).get()
    event.object_repr = "forged"
    with pytest.raises(AuditEventImmutable):
        event.save()
    with pytest.raises(AuditEventImmutable):
        event.delete()
    with pytest.raises(AuditEventImmutable):
        AuditEvent.objects.filter(pk=event.pk).update(object_repr="forged")
    with pytest.raises(AuditEventImmutable):
        AuditEvent.objects.all().delete()
    assert AuditEvent.objects.get(pk=event.pk).object_repr != "forged"


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the database trigger is PostgreSQL's")
def test_the_database_refuses_raw_updates_and_deletes(django_db_blocker):
    from django.db import DatabaseError, transaction

    participant = ParticipantFactory()
    event = events_for(participant).get()
    for sql in (
        "UPDATE core_auditevent SET object_repr = 'forged' WHERE id = %s",
        "DELETE FROM core_auditevent WHERE id = %s",
    ):
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, [event.pk])
    # A deleted user's events stay, without the link.
    user = user_with_role(Role.ME_STAFF)
    with audit.acting_as(user):
        ParticipantFactory()
    user.delete()
    assert AuditEvent.objects.filter(actor_label=user.username, actor=None).exists()


def test_attempts_answers_and_certificates_are_audited_without_short_text_answers():
    from assessments import services as assessment_services
    from assessments.models import Answer, Attempt, Certificate, Phase

    actor = user_with_role(Role.ME_STAFF)
    enrolment = EnrolmentFactory()
    with audit.acting_as(actor):
        attempt = Attempt.objects.create(
            delivery=enrolment.delivery,
            participant=enrolment.participant,
            instrument=_instrument_for(enrolment.delivery),
            phase=Phase.PRE,
        )
        answer = Answer.objects.create(
            attempt=attempt, question=attempt.instrument.questions.first(), value="мой сосед"
        )
        certificate = Certificate.objects.create(
            delivery=enrolment.delivery, participant=enrolment.participant
        )
        assessment_services.certificate_revoke(
            certificate=certificate, reason="issued by mistake", revoked_by=actor
        )
    assert events_for(attempt, audit.AuditAction.CREATE).get().participant_id == enrolment.participant_id
    answer_event = events_for(answer, audit.AuditAction.CREATE).get()
    assert answer_event.participant_id == enrolment.participant_id
    assert "мой сосед" not in str(answer_event.changes)
    revoked = events_for(certificate, audit.AuditAction.UPDATE).get()
    # A reason is free text that may name the person: recorded as changed, never its value.
    assert revoked.actor == actor and revoked.changes["revoke_reason"] == ["", audit.REDACTED]


def _instrument_for(delivery):
    from assessments.tests.factories import add_question, make_instrument

    instrument = make_instrument(course=delivery.course)
    add_question(instrument)
    return instrument
