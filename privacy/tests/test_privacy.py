"""Data-subject rights: export and erasure, the registry of participant links, and who may use them."""

import json
from collections import Counter

import pytest
from django.apps import apps
from django.db import models

from accounts.models import PersonalCode
from accounts.roles import Role
from accounts.tests.factories import user_with_role
from attendance import services as attendance_services
from attendance.models import AttendanceChange, AttendanceRecord, AttendanceSource, AttendanceStatus
from attendance.tests.factories import make_roster
from core import audit
from core.models import AuditEvent
from courses.models import Enrolment, Participant
from courses.personal_codes import personal_code_issue_for_participant
from courses.tests.factories import ParticipantFactory
from privacy import services
from privacy.registry import INDIRECT_LINKS, PARTICIPANT_LINKS
from tests.pdf_text import pdf_text

pytestmark = pytest.mark.django_db


def test_every_model_linked_to_a_participant_is_declared():
    """Fails when an app adds a foreign key or one-to-one to Participant without declaring it."""
    found = {
        f"{model._meta.label}.{field.name}"
        for model in apps.get_models()
        for field in model._meta.concrete_fields
        if isinstance(field, models.ForeignKey) and field.related_model is Participant
    }
    assert found == set(PARTICIPANT_LINKS), (
        "Declare each link in privacy/registry.py PARTICIPANT_LINKS (and what erasure blanks): "
        f"missing {sorted(found - set(PARTICIPANT_LINKS))}, stale {sorted(set(PARTICIPANT_LINKS) - found)}"
    )
    assert {services.link_label(relation) for relation in services.participant_links()} == found


def test_declared_erasure_fields_exist():
    for label, fields in PARTICIPANT_LINKS.items():
        app_model, _field = label.rsplit(".", 1)
        model = apps.get_model(app_model)
        for name in fields:
            assert model._meta.get_field(name)
    for label, (lookup, fields) in INDIRECT_LINKS.items():
        model = apps.get_model(label)
        assert model._base_manager.filter(**{lookup: None}).query  # the lookup resolves
        for name in fields:
            assert model._meta.get_field(name)


@pytest.fixture
def marked_roster():
    trainer = user_with_role(Role.TRAINER)
    roster = make_roster(3, trainers=[trainer])
    attendance_services.attendance_marks_save(
        session=roster.session,
        marks=[
            attendance_services.Mark(participant_id=p.pk, status=AttendanceStatus.EXCUSED, note="в больнице")
            for p in roster.participants
        ],
        recorded_by=trainer,
        source=AttendanceSource.WEB,
    )
    return roster


def test_export_holds_every_linked_record_account_and_audit_events(marked_roster):
    staff = user_with_role(Role.ME_STAFF)
    participant = marked_roster.participants[0]
    personal_code_issue_for_participant(participant=participant, issued_by=staff)
    participant.refresh_from_db()
    data = services.participant_export(participant=participant)
    json.dumps(data)  # JSON-ready
    assert data["participant"]["full_name"] == participant.full_name
    assert len(data["related"]["courses.Enrolment.participant"]) == 1
    assert data["related"]["attendance.AttendanceRecord.participant"][0]["note"] == "в больнице"
    assert len(data["related"]["attendance.AttendanceChange.participant"]) == 1
    assert data["account"]["username"] == participant.user.username
    assert data["account"]["personal_code_issued_at"]
    assert {event["action"] for event in data["audit_events"]} >= {"create", "update"}
    assert all(event["record"] for event in data["audit_events"])


def figures():
    participants = Participant.objects.all()
    return (
        Counter(participants.values_list("sex", "audience", "region_id", "organisation_id")),
        Enrolment.objects.count(),
        Counter(AttendanceRecord.objects.values_list("status", flat=True)),
        AttendanceChange.objects.count(),
    )


def test_erasure_removes_identity_and_keeps_the_figures(marked_roster):
    staff = user_with_role(Role.ME_STAFF)
    participant = marked_roster.participants[0]
    personal_code_issue_for_participant(participant=participant, issued_by=staff)
    participant.refresh_from_db()
    user = participant.user
    name = participant.full_name
    before = figures()

    services.participant_erase(participant=participant, actor=staff, reason="Written request of 2026-11-20")

    assert figures() == before
    participant.refresh_from_db()
    assert participant.full_name == f"Erased participant #{participant.pk}"
    assert (participant.latin_name, participant.phone, participant.position) == ("", "", "")
    assert participant.year_of_birth is None and participant.user is None
    user.refresh_from_db()
    assert not user.is_active and not user.has_usable_password() and user.first_name == ""
    assert not user.groups.exists()
    assert not PersonalCode.objects.filter(user=user).exists()
    assert not AttendanceRecord.objects.filter(participant=participant).exclude(note="").exists()
    assert not AttendanceChange.objects.filter(participant=participant).exclude(new_note="").exists()
    exported = json.dumps(services.participant_export(participant=participant), ensure_ascii=False)
    assert name not in exported and "в больнице" not in exported
    assert AuditEvent.objects.filter(
        action=audit.AuditAction.ERASE, participant_id=participant.pk, actor=staff
    ).exists()
    # The other participants are untouched.
    other = marked_roster.participants[1]
    other.refresh_from_db()
    assert other.full_name != f"Erased participant #{other.pk}" and other.phone


def test_erasure_needs_a_reason():
    from django.core.exceptions import ValidationError

    participant = ParticipantFactory()
    with pytest.raises(ValidationError):
        services.participant_erase(participant=participant, actor=user_with_role(None), reason="  ")
    participant.refresh_from_db()
    assert not services.is_erased(participant)


# Views ------------------------------------------------------------------------------------------------

DENIED_ROLES = [
    Role.REGIONAL_COORDINATOR,
    Role.CURRICULUM_EDITOR,
    Role.CURRICULUM_LEAD,
    Role.TRAINER,
    Role.TRAINEE,
]


@pytest.mark.parametrize("suffix", ["", "export.json", "export.pdf"])
@pytest.mark.parametrize("role", DENIED_ROLES, ids=lambda role: role.name.lower())
def test_others_are_denied_without_the_persons_data(client, role, suffix):
    participant = ParticipantFactory(full_name="Сафарова Мадина")
    client.force_login(user_with_role(role))
    response = client.get(f"/privacy/participants/{participant.pk}/{suffix}")
    assert response.status_code == 403
    assert "Сафарова" not in response.content.decode()


def test_anonymous_is_sent_to_sign_in(client):
    participant = ParticipantFactory()
    response = client.get(f"/privacy/participants/{participant.pk}/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("role", [None, Role.ME_STAFF], ids=["admin", "me_staff"])
def test_staff_export_json_and_pdf_and_the_export_is_logged(client, role):
    participant = ParticipantFactory(full_name="Сафарова Мадина")
    staff = user_with_role(role)
    client.force_login(staff)
    page = client.get(f"/privacy/participants/{participant.pk}/")
    assert page.status_code == 200 and "Сафарова Мадина" in page.content.decode()
    response = client.get(f"/privacy/participants/{participant.pk}/export.json")
    assert response.status_code == 200
    assert json.loads(response.content)["participant"]["full_name"] == "Сафарова Мадина"
    response = client.get(f"/privacy/participants/{participant.pk}/export.pdf")
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    assert "Сафарова Мадина" in text
    assert f"#{participant.pk}" in text
    exports = AuditEvent.objects.filter(action=audit.AuditAction.EXPORT, actor=staff)
    assert exports.count() == 2
    assert all(event.changes == {"filters": {"participant": participant.pk}} for event in exports)


def test_erase_through_the_form(client):
    participant = ParticipantFactory(full_name="Сафарова Мадина")
    client.force_login(user_with_role(Role.ME_STAFF))
    url = f"/privacy/participants/{participant.pk}/"
    response = client.post(url, {"reason": "Request by letter"})
    assert response.status_code == 200  # the confirmation box was not ticked
    participant.refresh_from_db()
    assert participant.full_name == "Сафарова Мадина"
    response = client.post(url, {"reason": "Request by letter", "confirm": "on"})
    assert response.status_code == 302
    participant.refresh_from_db()
    assert services.is_erased(participant)


def test_audit_list_is_for_superusers_only(client):
    ParticipantFactory()
    client.force_login(user_with_role(Role.ME_STAFF))
    assert client.get("/privacy/audit/").status_code == 403
    client.force_login(user_with_role(None))
    response = client.get("/privacy/audit/")
    assert response.status_code == 200
    assert "participant #" in response.content.decode()
    assert client.post("/privacy/audit/").status_code in (403, 405, 200)
    assert AuditEvent.objects.count() >= 1


def test_audit_list_query_count_does_not_grow(client, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(user_with_role(None))
    counts = []
    for size in (2, 20):
        ParticipantFactory.create_batch(size)
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/privacy/audit/").status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]
