"""Who may do what is audited too: users, groups, group membership, coordinators' regions and
personal codes (issue 15, item 7), and no personal value is written to the trail (item 5)."""

import pytest
from django.contrib.auth.models import Group, Permission, User
from django.contrib.contenttypes.models import ContentType

from accounts.models import PersonalCode
from accounts.personal_codes import personal_code_issue
from accounts.roles import Role
from accounts.tests.factories import user_with_role
from core import audit
from core.models import AuditEvent
from courses.models import Region
from courses.tests.factories import ParticipantFactory

pytestmark = pytest.mark.django_db


def events_for(instance, action=None):
    events = AuditEvent.objects.filter(
        content_type=ContentType.objects.get_for_model(type(instance)), object_id=str(instance.pk)
    ).order_by("pk")
    return events.filter(action=action) if action else events


def all_changes_text() -> str:
    return " ".join(str(changes) for changes in AuditEvent.objects.values_list("changes", flat=True))


@pytest.fixture
def admin():
    return user_with_role(None)


def test_user_create_change_and_delete_are_recorded_without_names_or_email(admin):
    with audit.acting_as(admin):
        user = User.objects.create_user(
            "malika.j", email="malika@example.org", password="x-Secret-42", first_name="Малика"
        )
        user.last_name = "Ҷалолова"
        user.is_staff = True
        user.save()
        pk = user.pk
        user.delete()
    created = events_for(user.__class__(pk=pk), audit.AuditAction.CREATE).get()
    assert created.actor == admin
    changed = events_for(user.__class__(pk=pk), audit.AuditAction.UPDATE).get()
    assert changed.changes == {"is_staff": [False, True], "last_name": ["", audit.REDACTED]}
    assert events_for(user.__class__(pk=pk), audit.AuditAction.DELETE).exists()
    text = all_changes_text()
    for value in ("malika", "Малика", "Ҷалолова", "x-Secret-42", "pbkdf2"):
        assert value not in text


def test_a_sign_in_does_not_write_an_audit_row(client):
    user = user_with_role(Role.ME_STAFF)
    before = events_for(user).count()
    client.force_login(user)
    assert events_for(user).count() == before


def test_group_membership_is_recorded_from_either_side(admin):
    user = user_with_role(None)
    trainers = Group.objects.get(name=Role.TRAINER)
    with audit.acting_as(admin):
        user.groups.add(trainers)
        trainers.user_set.remove(user)
        user.groups.add(trainers)
        user.groups.clear()
    on_user = [event.changes for event in events_for(user, audit.AuditAction.UPDATE)]
    assert {"groups": [[], [trainers.pk]]} in on_user
    assert {"groups": [[trainers.pk], []]} in on_user
    on_group = events_for(trainers, audit.AuditAction.UPDATE).get()
    assert on_group.changes == {"user_set": [[user.pk], []]} and on_group.actor == admin


def test_adding_an_existing_member_again_records_nothing(admin):
    user = user_with_role(Role.TRAINER)
    before = AuditEvent.objects.count()
    user.groups.add(Group.objects.get(name=Role.TRAINER))
    assert AuditEvent.objects.count() == before


def test_groups_and_their_permissions_are_recorded(admin):
    permission = Permission.objects.first()
    with audit.acting_as(admin):
        group = Group.objects.create(name="Донор")
        group.permissions.add(permission)
    assert events_for(group, audit.AuditAction.CREATE).get().changes == {"name": [None, "Донор"]}
    assert events_for(group, audit.AuditAction.UPDATE).get().changes == {"permissions": [[], [permission.pk]]}


def test_coordinator_regions_are_recorded(admin):
    coordinator = user_with_role(Role.REGIONAL_COORDINATOR)
    region = Region.objects.first() or ParticipantFactory().region
    with audit.acting_as(admin):
        region.coordinators.add(coordinator)
        region.coordinators.remove(coordinator)
    changes = [event.changes for event in events_for(region, audit.AuditAction.UPDATE)]
    assert changes == [{"coordinators": [[], [coordinator.pk]]}, {"coordinators": [[coordinator.pk], []]}]


def test_issuing_and_reissuing_a_personal_code_is_recorded_without_the_code(admin):
    participant = ParticipantFactory()
    trainee = user_with_role(Role.TRAINEE)
    participant.user = trainee
    participant.save()
    with audit.acting_as(admin):
        first = personal_code_issue(user=trainee, issued_by=admin)
        second = personal_code_issue(user=trainee, issued_by=admin)
    code = PersonalCode.objects.get(user=trainee)
    created = events_for(code, audit.AuditAction.CREATE).get()
    reissued = events_for(code, audit.AuditAction.UPDATE).get()
    assert created.actor == admin and created.participant_id == participant.pk
    assert reissued.changes == {"digest": [audit.REDACTED, audit.REDACTED]}
    text = all_changes_text()
    for value in (first, second, first.replace("-", ""), code.digest):
        assert value not in text


def test_free_text_of_every_audited_model_is_recorded_as_changed():
    """A reason, a note or an answer may name a person: never stored in the trail."""
    from assessments.models import Certificate
    from attendance.models import AttendanceRecord

    for model, field in (
        (Certificate, "manual_reason"),
        (Certificate, "revoke_reason"),
        (AttendanceRecord, "note"),
    ):
        assert field in audit._registry[model].redact
