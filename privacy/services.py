"""Data-subject rights (after Moodle's privacy API): export all we hold about a participant, or erase them.

Export walks Participant's reverse relations, so it reads every app without importing any;
erasure removes what identifies the person and keeps what the programme's figures count
(sex, audience, region, organisation, enrolments and attendance). Erasure also removes the
traces the person left outside those records: free text about them (notes, reasons, answers),
their sessions, sign-in logs and Wagtail log labels. The audit trail holds no personal value
to begin with (core.audit), so it is append-only and still complete (docs/privacy.md).
"""

import re
from typing import Any

from django.apps import apps
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy

from core import audit
from core.models import AuditEvent
from courses.models import Participant

from .registry import INDIRECT_LINKS, KEEP_MARKED, PARTICIPANT_LINKS

ERASED_NAME = "Erased participant #{pk}"
# What a required reason says once the person is erased (data, not interface: not translated).
ERASED_TEXT = "(erased with the participant's personal data)"
REASON_REQUIRED = gettext_lazy(
    "Give the reason for the erasure (for example, the person's request and its date)."
)
# Fields that identify the person; sex, audience, region and organisation stay for the figures.
ERASED_FIELDS = ("full_name", "latin_name", "phone", "year_of_birth", "position", "consent_date")


def participant_links() -> list[models.ForeignObjectRel]:
    """Participant's reverse foreign keys and one-to-ones, in a stable order."""
    relations = [
        relation
        for relation in Participant._meta.related_objects
        if not relation.many_to_many and relation.field.concrete
    ]
    return sorted(relations, key=link_label)


def link_label(relation: models.ForeignObjectRel) -> str:
    return f"{relation.related_model._meta.label}.{relation.field.name}"


def _row(instance: models.Model) -> dict[str, Any]:
    return {
        field.attname: audit._jsonable(getattr(instance, field.attname))
        for field in instance._meta.concrete_fields
    }


def is_erased(participant: Participant) -> bool:
    return participant.full_name == ERASED_NAME.format(pk=participant.pk)


def participant_export(*, participant: Participant) -> dict[str, Any]:
    """Everything held about one person, as JSON-ready data."""
    data: dict[str, Any] = {
        "exported_at": timezone.now().isoformat(),
        "participant": {k: v for k, v in _row(participant).items() if k != "name_key"},
        "related": {},
    }
    for relation in participant_links():
        rows = relation.related_model._base_manager.filter(**{relation.field.name: participant}).order_by(
            "pk"
        )
        data["related"][link_label(relation)] = [_row(row) for row in rows]
    for label, (lookup, _blanked) in INDIRECT_LINKS.items():
        rows = apps.get_model(label)._base_manager.filter(**{lookup: participant}).order_by("pk")
        data["related"][f"{label}.{lookup}"] = [_row(row) for row in rows]
    user = participant.user
    data["account"] = None
    if user is not None:
        personal_code = getattr(user, "personal_code", None)
        data["account"] = {
            "username": user.username,
            "is_active": user.is_active,
            "date_joined": user.date_joined.isoformat(),
            "last_login": user.last_login.isoformat() if user.last_login else None,
            "groups": sorted(user.groups.values_list("name", flat=True)),
            # Only a keyed digest is stored: the code itself cannot be exported.
            "personal_code_issued_at": personal_code.issued_at.isoformat() if personal_code else None,
            "calendar_feed": _has_calendar_feed(user),
        }
    data["audit_events"] = [
        {
            "occurred_at": event.occurred_at.isoformat(),
            "action": event.action,
            "record": event.object_repr,
            "by": event.actor_label,
            "changes": event.changes,
        }
        for event in AuditEvent.objects.filter(participant_id=participant.pk).order_by("occurred_at", "pk")
    ]
    return data


def _has_calendar_feed(user: User) -> bool:
    CalendarFeed = apps.get_model("courses", "CalendarFeed")
    return CalendarFeed.objects.filter(user=user).exists()


@transaction.atomic
def participant_erase(*, participant: Participant, actor: User, reason: str) -> Participant:
    """Remove what identifies the person; keep their sex, audience, region, organisation and records."""
    reason = reason.strip()
    if not reason:
        raise ValidationError(REASON_REQUIRED)
    identifiers = _identifiers(participant)
    names = [name for name in (participant.full_name, participant.latin_name) if name.strip()]
    with audit.acting_as(actor):
        participant.full_name = ERASED_NAME.format(pk=participant.pk)
        participant.latin_name = ""
        participant.phone = ""
        participant.year_of_birth = None
        participant.position = ""
        participant.consent_date = None
        user = participant.user
        participant.user = None
        participant.full_clean()
        participant.save()
        if user is not None:
            _erase_account(user)
        for relation in participant_links():
            blanked = PARTICIPANT_LINKS.get(link_label(relation), ())
            if not blanked:
                continue
            rows = relation.related_model._base_manager.filter(**{relation.field.name: participant})
            _erase_text(rows, blanked)
        for label, (lookup, blanked) in INDIRECT_LINKS.items():
            _erase_text(apps.get_model(label)._base_manager.filter(**{lookup: participant}), blanked)
        _erase_log_labels(participant, names)
        audit.record(
            action=audit.AuditAction.ERASE,
            instance=participant,
            before={},
            # Staff's reason may quote the person ("request of …"): their name and phone are cut out.
            after={"reason": scrub(reason, identifiers)[:500]},
            actor=actor,
        )
    return participant


def _identifiers(participant: Participant) -> list[str]:
    """The values that name the person: full and Latin name, each part of them, and the phone."""
    names = [participant.full_name, participant.latin_name]
    parts = [part for name in names for part in name.split() if len(part) >= 3]
    values = {value.strip() for value in [*names, *parts, participant.phone] if value and value.strip()}
    return sorted(values, key=len, reverse=True)  # whole names before their parts


def scrub(text: str, identifiers: list[str]) -> str:
    """`text` with every identifier (any case) replaced by the audit trail's "changed" mark."""
    for value in identifiers:
        text = re.sub(re.escape(value), audit.REDACTED, text, flags=re.IGNORECASE)
    return text


def _erase_text(rows, names: tuple[str, ...]) -> None:
    """Blank the free text of each row; a reason that must stay non-empty says it was erased."""
    if not names:
        return
    for row in rows:
        for name in names:
            marked = f"{row._meta.label}.{name}" in KEEP_MARKED
            setattr(row, name, ERASED_TEXT if marked and getattr(row, name) else "")
        row.save(update_fields=names)


def _erase_log_labels(participant: Participant, names: list[str]) -> None:
    """Wagtail's admin log keeps each object's str() at the time (a participant's is their name).

    Matched on whole names only: a first name alone would relabel other people's entries.
    """
    from wagtail.models import ModelLogEntry, PageLogEntry

    if not names:
        return
    for model in (ModelLogEntry, PageLogEntry):
        condition = models.Q()
        for value in names:
            condition |= models.Q(label__icontains=value)
        model.objects.filter(condition).update(label=ERASED_NAME.format(pk=participant.pk))


def _erase_account(user: User) -> None:
    """The sign-in account: no code, no feed, no name, and it can never sign in again."""
    PersonalCode = apps.get_model("accounts", "PersonalCode")
    CalendarFeed = apps.get_model("courses", "CalendarFeed")
    PersonalCode.objects.filter(user=user).delete()
    CalendarFeed.objects.filter(user=user).delete()
    _erase_sign_in_traces(user)
    user.username = f"erased-{user.pk}"
    user.first_name = user.last_name = user.email = ""
    user.is_active = False
    user.set_unusable_password()
    user.save()
    user.groups.clear()


def _erase_sign_in_traces(user: User) -> None:
    """Sessions (signed out everywhere) and django-axes' sign-in logs, which carry the username."""
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog

    from accounts.models import SignInSession

    for model in (AccessAttempt, AccessFailureLog, AccessLog):
        model.objects.filter(username=user.get_username()).delete()
    # Each session names its user in a column of its own (accounts.sessions).
    SignInSession.objects.filter(user=user).delete()
