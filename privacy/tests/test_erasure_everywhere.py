"""Erasure erases (issue 15, item 5): after erasing a participant who has every kind of record,
no table of the database holds their name, Latin name, phone or personal code.

The search reads every table the database has (not only our models): Wagtail's log and search
index, the report tables, the throttle and django-axes tables, the audit trail and the sessions
(decoded, since their data is encoded).
"""

import json
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from accounts.models import SignInSession
from accounts.roles import Role
from accounts.tests.factories import user_with_role
from assessments import services as assessment_services
from assessments.models import Answer, Attempt, Certificate, Phase, QuestionType, ScoreChange
from assessments.tests.factories import add_question, make_instrument
from attendance import services as attendance_services
from attendance.models import AttendanceSource, AttendanceStatus
from attendance.tests.factories import make_roster
from core import audit
from courses.models import Participant
from courses.personal_codes import personal_code_issue_for_participant
from privacy import services

pytestmark = pytest.mark.django_db

FULL_NAME = "Ҷӯраева Гулнора Ҳакимовна"
SURNAME = "Ҷӯраева"
LATIN_NAME = "Juraeva Gulnora"
PHONE = "+992 93 555 12 34"


def _forms(needle: str) -> set[str]:
    """The needle as stored as text, and as JSON escapes it (JSON columns keep \\uXXXX)."""
    return {needle, needle.casefold(), json.dumps(needle)[1:-1], json.dumps(needle.casefold())[1:-1]}


def _cell_text(value) -> str:
    if isinstance(value, memoryview):
        value = value.tobytes()
    if isinstance(value, bytes):
        return value.decode("utf-8", errors="ignore")
    return "" if value is None else str(value)


def find_everywhere(needles: list[str]) -> list[tuple[str, str]]:
    """(table, needle) for each table of the database that holds a needle in any column."""
    found = set()
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(include_views=False):
            cursor.execute(f"SELECT * FROM {quote(table)}")  # the names come from the database itself
            for row in cursor.fetchall():
                text = " ".join(_cell_text(value) for value in row)
                folded = text.casefold()
                for needle in needles:
                    if any(form in text or form in folded for form in _forms(needle)):
                        found.add((table, needle))
    for session in SignInSession.objects.all():
        decoded = json.dumps(session.get_decoded(), ensure_ascii=False)
        found.update(
            (f"{SignInSession._meta.db_table} (decoded)", needle) for needle in needles if needle in decoded
        )
    return sorted(found)


def test_after_erasure_no_table_holds_the_persons_name_phone_or_code(client):
    staff = user_with_role(Role.ME_STAFF)
    trainer = user_with_role(Role.TRAINER)
    roster = make_roster(1, trainers=[trainer], starts_in=timedelta(minutes=-5))
    session, delivery = roster.session, roster.delivery

    with audit.acting_as(trainer):
        # A walk-in, whose details staff complete later.
        person = attendance_services.walk_in_create(
            session=session,
            full_name=FULL_NAME,
            sex="female",
            audience=Participant._meta.get_field("audience").choices[0][0],
            recorded_by=trainer,
        )
        person.latin_name, person.phone, person.position = LATIN_NAME, PHONE, "инспектор"
        person.save()
        attendance_services.attendance_marks_save(
            session=session,
            marks=[
                attendance_services.Mark(
                    participant_id=person.pk,
                    status=AttendanceStatus.LEFT_EARLY,
                    note=f"{FULL_NAME} ушла рано, тел. {PHONE}",
                )
            ],
            recorded_by=trainer,
            source=AttendanceSource.WEB,
        )
    with audit.acting_as(staff):
        code = personal_code_issue_for_participant(participant=person, issued_by=staff).code
    person.refresh_from_db()

    # The trainee signs in (a session, django-axes' log), after one wrong code (a throttle row),
    # and mistypes a check-in code (the check-in throttle).
    client.post(reverse("accounts:code_login"), {"code": "WXYZ-WXYZ"})
    assert client.post(reverse("accounts:code_login"), {"code": code}).status_code == 302
    with pytest.raises(Exception):  # noqa: B017 — a wrong code is refused
        attendance_services.check_in_record(user=person.user, code="ZZZZZZ")

    # A short-text answer in their own words, a score change and a certificate with reasons.
    instrument = make_instrument(course=delivery.course)
    question = add_question(instrument, type=QuestionType.SHORT_TEXT, text="Кто вам помог?")
    with audit.acting_as(staff):
        attempt = Attempt.objects.create(
            delivery=delivery, participant=person, instrument=instrument, phase=Phase.POST
        )
        Answer.objects.create(attempt=attempt, question=question, value=f"Я, {FULL_NAME}, и соседи")
        ScoreChange.objects.create(
            attempt=attempt,
            old_score=Decimal(0),
            new_score=Decimal(1),
            old_max_score=Decimal(1),
            new_max_score=Decimal(1),
            reason=f"Пересмотр по просьбе {LATIN_NAME}",
            changed_by=staff,
        )
        certificate = Certificate.objects.create(
            delivery=delivery,
            participant=person,
            issued_by=staff,
            manual_reason=f"{FULL_NAME} ({PHONE}) болела, но сдала",
            completed_on=timezone.localdate(),
        )
        assessment_services.certificate_revoke(
            certificate=certificate, reason=f"{SURNAME} asked to withdraw", revoked_by=staff
        )

    # Wagtail's admin log keeps an object's label; the report tables copy enrolments.
    from wagtail.log_actions import log

    log(instance=person, action="wagtail.edit", user=staff)
    from reports.facts import facts_refresh

    facts_refresh()
    staff_client = type(client)()
    staff_client.force_login(staff)
    assert staff_client.get(f"/privacy/participants/{person.pk}/export.json").status_code == 200

    needles = [FULL_NAME, SURNAME, LATIN_NAME, PHONE, code, code.replace("-", "")]
    assert find_everywhere(needles), "the search must see the person before erasure"

    services.participant_erase(
        participant=person, actor=staff, reason=f"Written request of {FULL_NAME}, 2026-11-20"
    )

    assert find_everywhere(needles) == []
    # What the figures count stays, and the records say that there was a reason.
    certificate.refresh_from_db()
    assert certificate.revoked_at and certificate.revoke_reason == services.ERASED_TEXT
    assert certificate.manual_reason == services.ERASED_TEXT
    assert ScoreChange.objects.get(attempt=attempt).reason == services.ERASED_TEXT
    assert client.get(reverse("assessments:my")).status_code != 200  # signed out everywhere
