"""Writes for scheduling: deliveries, sessions, enrolments, participants and calendar feeds.

Every rule the issue states lives here, so the front-end workspace, the demo
loader and the tests all go through the same checks. Messages that tests look
for are module constants.
"""

import secrets
from collections.abc import Iterable
from datetime import datetime

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy

from accounts import roles
from core import audit
from core.localtime import format_local

from . import rules, signals
from .models import CalendarFeed, Delivery, Enrolment, Participant, Region, Session, Venue

CONFLICT_TRAINER = gettext_lazy("Trainer %(trainer)s already teaches “%(other)s” at an overlapping time.")
CONFLICT_VENUE = gettext_lazy("Venue %(venue)s is already booked for “%(other)s” at an overlapping time.")
OVERRIDE_STAFF_ONLY = gettext_lazy("Only programme staff may override a scheduling conflict.")
ALREADY_ENROLLED = gettext_lazy("%(participant)s is already on this delivery.")
DELIVERY_CLOSED = gettext_lazy("This delivery is %(status)s; nobody can be enrolled.")
COMPLETE_WITH_FUTURE_SESSIONS = gettext_lazy(
    "A delivery with sessions still to come cannot be completed; cancel or reschedule them first."
)
COMPLETE_WITHOUT_SESSIONS = gettext_lazy(
    "A delivery with no session held cannot be completed; add its sessions or cancel it."
)
COMPLETED_IS_FINAL = gettext_lazy(
    "A completed delivery stays completed. Correct a mark or a score instead: the completion of the "
    "people concerned is decided again."
)
CANCELLED_IS_FINAL = gettext_lazy("A cancelled delivery cannot be reopened; plan a new delivery instead.")
DECIDED_CANNOT_WITHDRAW = gettext_lazy(
    "%(participant)s's completion has been decided; a decided enrolment cannot be withdrawn."
)
CANCEL_NEEDS_REASON = gettext_lazy("Give a reason for cancelling.")
SESSION_ENDS_BEFORE_START = gettext_lazy("A session must end after it starts.")
SESSION_OUTSIDE_REGION = gettext_lazy("The venue must be in the delivery's region.")
MERGE_SAME_PERSON = gettext_lazy("Choose two different participants to merge.")

CLOSED_STATUSES = (Delivery.Status.COMPLETED, Delivery.Status.CANCELLED)


class SchedulingConflict(ValidationError):
    """A session overlaps another of the same trainer or venue; staff may override it with a reason."""


# Deliveries -----------------------------------------------------------------------------------------


@transaction.atomic
def delivery_create(
    *,
    created_by: User | None,
    course,
    region: Region,
    language: str,
    capacity: int = 25,
    venue: Venue | None = None,
    project=None,
    status: str = Delivery.Status.PLANNED,
    trainers: Iterable[User] = (),
    partner_organisations: Iterable = (),
) -> Delivery:
    """Plan a run of a course; its country is always its region's country."""
    delivery = Delivery(
        course=course,
        region=region,
        country_id=region.country_id,
        venue=venue,
        language=language,
        capacity=capacity,
        project=project,
        status=status,
        created_by=created_by,
    )
    _check_venue_region(venue, region)
    delivery.full_clean()
    delivery.save()
    delivery.trainers.set(trainers)
    delivery.partner_organisations.set(partner_organisations)
    return delivery


@transaction.atomic
def delivery_update(
    *,
    delivery: Delivery,
    trainers: Iterable[User] | None = None,
    partner_organisations: Iterable | None = None,
    **fields,
) -> Delivery:
    """Change a delivery's plan. Status changes go through `delivery_set_status` for their rules."""
    fields.pop("status", None)
    for name, value in fields.items():
        setattr(delivery, name, value)
    delivery.country_id = delivery.region.country_id
    _check_venue_region(delivery.venue, delivery.region)
    delivery.full_clean()
    delivery.save()
    if trainers is not None:
        delivery.trainers.set(trainers)
    # Title, venue or trainers may have changed: calendar apps must refresh every session.
    delivery.sessions.update(sequence=F("sequence") + 1)
    if partner_organisations is not None:
        delivery.partner_organisations.set(partner_organisations)
    return delivery


@transaction.atomic
def delivery_set_status(
    *, delivery: Delivery, status: str, reason: str = "", changed_by: User | None = None
) -> Delivery:
    """Move a delivery through its life; completing and cancelling have rules of their own.

    Completing is allowed once every non-cancelled session has ended (courses.rules); it then
    sends `delivery_completed`, on which the assessments app decides every active enrolment in
    this same transaction. Cancelling cancels every session, past ones included: a cancelled
    delivery has no held sessions. Both are final.
    """
    callers_delivery, delivery = delivery, Delivery.objects.select_for_update().get(pk=delivery.pk)
    now = timezone.now()
    if status == delivery.status:
        return delivery
    if delivery.status == Delivery.Status.COMPLETED:
        raise ValidationError({"status": COMPLETED_IS_FINAL})
    if delivery.status == Delivery.Status.CANCELLED:
        raise ValidationError({"status": CANCELLED_IS_FINAL})
    if status == Delivery.Status.COMPLETED:
        if rules.sessions_still_to_end(delivery.sessions.all(), now=now):
            raise ValidationError({"status": COMPLETE_WITH_FUTURE_SESSIONS})
        if not delivery.sessions.filter(rules.held_session_q(now=now)).exists():
            raise ValidationError({"status": COMPLETE_WITHOUT_SESSIONS})
    if status == Delivery.Status.CANCELLED:
        if not reason.strip():
            raise ValidationError({"reason": CANCEL_NEEDS_REASON})
        delivery.cancellation_reason = reason.strip()
        delivery.sessions.exclude(status=Session.Status.CANCELLED).update(
            status=Session.Status.CANCELLED, sequence=F("sequence") + 1, updated_at=now
        )
    delivery.status = status
    delivery.full_clean()
    delivery.save()
    if status == Delivery.Status.COMPLETED:
        signals.delivery_completed.send(sender=Delivery, delivery=delivery, decided_by=changed_by)
    # The caller's object tells the truth too (views and tests go on using it).
    callers_delivery.status, callers_delivery.cancellation_reason = (
        delivery.status,
        delivery.cancellation_reason,
    )
    return delivery


def _check_venue_region(venue: Venue | None, region: Region) -> None:
    if venue is not None and venue.region_id != region.pk:
        raise ValidationError({"venue": SESSION_OUTSIDE_REGION})


# Sessions -------------------------------------------------------------------------------------------


def session_conflicts(
    *, delivery: Delivery, starts_at: datetime, ends_at: datetime, venue: Venue | None, exclude_pk=None
) -> list[str]:
    """Messages naming each scheduled session that shares a trainer or the venue at an overlapping time."""
    overlapping = (
        Session.objects.filter(status=Session.Status.SCHEDULED, starts_at__lt=ends_at, ends_at__gt=starts_at)
        .exclude(delivery__status=Delivery.Status.CANCELLED)
        .exclude(pk=exclude_pk)
        .select_related("delivery__course", "delivery__region", "venue", "delivery__venue")
    )
    messages = []
    trainer_ids = list(delivery.trainers.values_list("pk", flat=True))
    if trainer_ids:
        clashes = overlapping.filter(delivery__trainers__in=trainer_ids).prefetch_related(
            "delivery__trainers"
        )
        for other in clashes.distinct():
            shared = [t for t in other.delivery.trainers.all() if t.pk in trainer_ids]
            for trainer in shared:
                messages.append(
                    CONFLICT_TRAINER
                    % {"trainer": trainer.get_full_name() or trainer.username, "other": _describe(other)}
                )
    if venue is not None:
        venue_clashes = overlapping.filter(Q(venue=venue) | Q(venue__isnull=True, delivery__venue=venue))
        for other in venue_clashes:
            messages.append(CONFLICT_VENUE % {"venue": venue.name, "other": _describe(other)})
    return messages


def _describe(session: Session) -> str:
    starts = format_local(session.starts_at, session.delivery.region, "Y-m-d H:i")
    return f"{session.delivery.course.title}, {starts} (#{session.delivery_id})"


def _save_session(
    *,
    session: Session,
    user: User | None,
    override_reason: str,
    modules: Iterable | None,
) -> Session:
    delivery = session.delivery
    venue = session.venue or delivery.venue
    if session.venue is not None:
        _check_venue_region(session.venue, delivery.region)
    if session.ends_at <= session.starts_at:
        raise ValidationError({"ends_at": SESSION_ENDS_BEFORE_START})
    conflicts = session_conflicts(
        delivery=delivery,
        starts_at=session.starts_at,
        ends_at=session.ends_at,
        venue=venue,
        exclude_pk=session.pk,
    )
    override_reason = override_reason.strip()
    if override_reason and not (user is not None and roles.is_programme_staff(user)):
        raise ValidationError({"override_reason": OVERRIDE_STAFF_ONLY})
    if conflicts and not override_reason:
        raise SchedulingConflict(conflicts)
    session.conflict_override_reason = override_reason if conflicts else ""
    session.full_clean()
    session.save()
    if modules is not None:
        session.modules.set(modules)
    return session


@transaction.atomic
def session_create(
    *,
    delivery: Delivery,
    starts_at: datetime,
    ends_at: datetime,
    user: User | None = None,
    venue: Venue | None = None,
    title: str = "",
    modules: Iterable | None = None,
    override_reason: str = "",
) -> Session:
    """Schedule a session, refusing a trainer's or venue's double booking unless staff override it."""
    session = Session(delivery=delivery, starts_at=starts_at, ends_at=ends_at, venue=venue, title=title)
    return _save_session(session=session, user=user, override_reason=override_reason, modules=modules)


@transaction.atomic
def session_update(
    *,
    session: Session,
    user: User | None = None,
    modules: Iterable | None = None,
    override_reason: str = "",
    **fields,
) -> Session:
    """Change a session; its SEQUENCE rises so calendar apps replace their copy."""
    for name, value in fields.items():
        setattr(session, name, value)
    session.sequence += 1
    session = _save_session(session=session, user=user, override_reason=override_reason, modules=modules)
    _announce_change_after_completion(session, user)
    return session


@transaction.atomic
def session_cancel(*, session: Session, changed_by: User | None = None) -> Session:
    session.status = Session.Status.CANCELLED
    session.sequence += 1
    session.full_clean()
    session.save()
    _announce_change_after_completion(session, changed_by)
    return session


def _announce_change_after_completion(session: Session, changed_by: User | None) -> None:
    """A correction to a completed delivery's sessions: its people are decided again (assessments)."""
    # Asked of the database: the caller's delivery object may predate its completion.
    if Delivery.objects.filter(pk=session.delivery_id, status=Delivery.Status.COMPLETED).exists():
        signals.completed_delivery_sessions_changed.send(
            sender=Session, delivery=session.delivery, changed_by=changed_by
        )


# Enrolments -----------------------------------------------------------------------------------------


@transaction.atomic
def enrolment_create(*, delivery: Delivery, participant: Participant, audience: str = "") -> Enrolment:
    """Enrol a participant; once the delivery is full they join the waitlist instead."""
    delivery = Delivery.objects.select_for_update().get(pk=delivery.pk)
    if delivery.status in CLOSED_STATUSES:
        raise ValidationError(DELIVERY_CLOSED % {"status": delivery.get_status_display().lower()})
    existing = Enrolment.objects.filter(delivery=delivery, participant=participant).first()
    if existing is not None and existing.status != Enrolment.Status.WITHDRAWN:
        raise ValidationError(ALREADY_ENROLLED % {"participant": participant.full_name})
    taken = delivery.enrolments.filter(rules.active_enrolment_q()).count()
    status = Enrolment.Status.ENROLLED if taken < delivery.capacity else Enrolment.Status.WAITLISTED
    enrolment = existing or Enrolment(delivery=delivery, participant=participant)
    enrolment.status = status
    enrolment.audience = audience or participant.audience
    enrolment.full_clean()
    enrolment.save()
    return enrolment


@transaction.atomic
def enrolments_create_many(
    *, delivery: Delivery, participants: Iterable[Participant]
) -> tuple[list[Enrolment], list[str]]:
    """Enrol several people at once; those already on the delivery are reported, not enrolled twice."""
    created, skipped = [], []
    for participant in participants:
        try:
            created.append(enrolment_create(delivery=delivery, participant=participant))
        except ValidationError as error:
            skipped.extend(error.messages)
    return created, skipped


@transaction.atomic
def enrolment_withdraw(*, enrolment: Enrolment) -> Enrolment | None:
    """Withdraw someone; if that frees a seat, the first person on the waitlist takes it. Returns them."""
    if enrolment.status in rules.DECIDED_ENROLMENT_STATUSES:
        raise ValidationError(DECIDED_CANNOT_WITHDRAW % {"participant": enrolment.participant.full_name})
    was_holding_seat = rules.is_active_enrolment(enrolment.status)
    enrolment.status = Enrolment.Status.WITHDRAWN
    enrolment.full_clean()
    enrolment.save()
    if not was_holding_seat:
        return None
    delivery = Delivery.objects.select_for_update().get(pk=enrolment.delivery_id)
    taken = delivery.enrolments.filter(rules.active_enrolment_q()).count()
    if taken >= delivery.capacity:
        return None
    first = (
        delivery.enrolments.filter(status=Enrolment.Status.WAITLISTED).order_by("enrolled_at", "pk").first()
    )
    if first is not None:
        first.status = Enrolment.Status.ENROLLED
        first.save(update_fields=["status", "status_changed_at"])
    return first


# Participants ---------------------------------------------------------------------------------------


@transaction.atomic
def participant_create(**fields) -> Participant:
    participant = Participant(**fields)
    participant.full_clean()
    participant.save()
    return participant


@transaction.atomic
def participant_update(*, participant: Participant, **fields) -> Participant:
    for name, value in fields.items():
        setattr(participant, name, value)
    participant.full_clean()
    participant.save()
    return participant


@transaction.atomic
def participant_merge(*, keep: Participant, duplicate: Participant) -> Participant:
    """Fold a duplicate record into the one kept, re-pointing everything attached to it, then delete it.

    Apps above courses (attendance, assessments) attach rows to participants; rather than
    import them, walk Participant's reverse relations. Where the kept person already has the
    row a unique constraint allows once (say, an enrolment in the same delivery), the
    duplicate's row is dropped and the kept one stands.
    """
    if keep.pk == duplicate.pk:
        raise ValidationError(MERGE_SAME_PERSON)
    for relation in Participant._meta.related_objects:
        if relation.many_to_many:
            accessor = relation.get_accessor_name()
            for obj in getattr(duplicate, accessor).all():
                getattr(obj, relation.field.name).add(keep)
            continue
        if relation.one_to_one:
            model = relation.related_model
            field = relation.field.name
            if model.objects.filter(**{field: keep}).exists():
                model.objects.filter(**{field: duplicate}).delete()
            else:
                model.objects.filter(**{field: duplicate}).update(**{field: keep})
            continue
        model = relation.related_model
        field = relation.field.name
        for row in model._base_manager.filter(**{field: duplicate}):
            try:
                with transaction.atomic():
                    model._base_manager.filter(pk=row.pk).update(**{field: keep})
                if audit.is_audited(model):  # queryset.update sends no signal
                    setattr(row, relation.field.attname, keep.pk)
                    audit.record(action=audit.AuditAction.UPDATE, instance=row)
            except IntegrityError:
                # The kept person already has this row (same delivery, same session): keep theirs.
                row.delete()
    if keep.user_id is None and duplicate.user_id is not None:
        user_id = duplicate.user_id
        duplicate.user = None
        duplicate.save(update_fields=["user"])
        keep.user_id = user_id
    for name in ("latin_name", "year_of_birth", "position", "phone", "consent_date"):
        if not getattr(keep, name) and getattr(duplicate, name):
            setattr(keep, name, getattr(duplicate, name))
    keep.full_clean()
    keep.save()
    duplicate.delete()
    return keep


# Calendar feeds -------------------------------------------------------------------------------------


@transaction.atomic
def calendar_feed_rotate(*, user: User) -> CalendarFeed:
    """Give the user a new secret feed token; the old link stops working at once."""
    feed, _created = CalendarFeed.objects.get_or_create(
        user=user, defaults={"token": secrets.token_urlsafe(32)}
    )
    if not _created:
        feed.token = secrets.token_urlsafe(32)
        feed.save()
    return feed


@transaction.atomic
def calendar_feed_revoke(*, user: User) -> None:
    CalendarFeed.objects.filter(user=user).delete()
