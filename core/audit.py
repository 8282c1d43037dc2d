"""The audit trail: who created, changed, deleted or exported what, and when.

Two ways in:

* automatic: each app registers the models it wants audited in its AppConfig.ready()
  with `register(Model, ...)`; model signals then record every save and delete;
* explicit: `record()` / `record_many()` for writes that skip signals (bulk_create,
  bulk_update, queryset.update) and `record_export()` for every export.

The acting user comes from `acting_as(user)` (services, commands) or, in a request,
from `AuditActorMiddleware`.

The trail never stores a personal value, so it never needs erasing when a participant is
(docs/privacy.md): fields registered as `redact`, and every free-text field (a CharField or
TextField without choices: names, phones, notes, reasons, answers) unless registered as `keep`,
are recorded as changed ("•••") without their values. Many-to-many fields registered as `m2m`
(a user's groups, a region's coordinators) are recorded as the ids before and after.
Application logs get the action, model and id only — never names.
"""

import copy
import logging
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import AnonymousUser, User
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models.signals import m2m_changed, post_delete, post_init, post_save

logger = logging.getLogger("hamkori.audit")

REDACTED = "•••"
SNAPSHOT_ATTR = "_hamkori_audit_snapshot"

# Either a User, or an HttpRequest whose (lazy) user is read when something is recorded.
_actor: ContextVar[Any] = ContextVar("hamkori_audit_actor", default=None)


@dataclass(frozen=True)
class Registration:
    fields: tuple[str, ...]
    redact: frozenset[str]
    participant_of: Callable[[models.Model], int | None]
    # JSON fields hold mutable values: their snapshot is a copy.
    mutable: frozenset[str] = frozenset()


_registry: dict[type[models.Model], Registration] = {}
# The through model of each audited many-to-many field -> the field.
_m2m_registry: dict[type[models.Model], models.ManyToManyField] = {}
M2M_SNAPSHOT_ATTR = "_hamkori_audit_m2m"
# Set on an instance loaded from a fixture or a test database's serialized copy (a raw save).
RAW_ATTR = "_hamkori_audit_raw"


# The acting user -------------------------------------------------------------------------------------


@contextmanager
def acting_as(actor: Any) -> Iterator[None]:
    """Record everything inside the block as done by `actor` (a User, or a request)."""
    token = _actor.set(actor)
    try:
        yield
    finally:
        _actor.reset(token)


def current_actor() -> User | None:
    actor = _actor.get()
    if actor is None or isinstance(actor, User):
        return actor
    user = getattr(actor, "user", None)  # an HttpRequest
    if user is None or isinstance(user, AnonymousUser) or not user.is_authenticated:
        return None
    return user


# Registry ---------------------------------------------------------------------------------------------


def _default_participant_of(instance: models.Model) -> int | None:
    if instance._meta.label == "courses.Participant":
        return instance.pk
    return getattr(instance, "participant_id", None)


def register(
    model: type[models.Model],
    *,
    fields: Iterable[str] | None = None,
    redact: Iterable[str] = (),
    keep: Iterable[str] = (),
    m2m: Iterable[str] = (),
    participant_of: Callable[[models.Model], int | None] | None = None,
) -> None:
    """Audit every create, change and delete of `model` from now on.

    `fields` are attribute names (`participant_id` for a foreign key); by default every
    concrete field but changed-at stamps (auto_now). `redact` fields, and free-text fields not
    named in `keep` (codes and names of things, not of people), are recorded as changed without
    their values. `m2m` names many-to-many fields whose additions and removals are recorded.
    `participant_of(instance)` names the participant a row is about, for the
    data-subject export; by default the row itself (Participant) or its `participant_id`.
    """
    if fields is None:
        # A changed-at stamp moves on every save; the entry's own time already says when.
        fields = [
            field.attname
            for field in model._meta.concrete_fields
            if not field.primary_key and not getattr(field, "auto_now", False)
        ]
    _registry[model] = Registration(
        fields=tuple(fields),
        redact=frozenset(redact) | (free_text_fields(model) - frozenset(keep)),
        participant_of=participant_of or _default_participant_of,
        mutable=frozenset(
            field.attname for field in model._meta.concrete_fields if isinstance(field, models.JSONField)
        ),
    )
    uid = f"hamkori-audit-{model._meta.label}"
    post_init.connect(_on_init, sender=model, weak=False, dispatch_uid=uid)
    post_save.connect(_on_save, sender=model, weak=False, dispatch_uid=uid)
    post_delete.connect(_on_delete, sender=model, weak=False, dispatch_uid=uid)
    for name in m2m:
        field = model._meta.get_field(name)
        through = field.remote_field.through
        _m2m_registry[through] = field
        m2m_changed.connect(
            _on_m2m_changed,
            sender=through,
            weak=False,
            dispatch_uid=f"hamkori-audit-m2m-{through._meta.label}",
        )


def free_text_fields(model: type[models.Model]) -> frozenset[str]:
    """What people type (names, phones, notes, reasons, answers): may say who someone is."""
    return frozenset(
        field.attname
        for field in model._meta.concrete_fields
        if isinstance(field, models.CharField | models.TextField) and not field.choices
    )


def audited_models() -> tuple[type[models.Model], ...]:
    return tuple(_registry)


def is_audited(model: type[models.Model]) -> bool:
    return model in _registry


# Snapshots --------------------------------------------------------------------------------------------


def _jsonable(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, list | tuple | set):
        return [_jsonable(item) for item in value]
    if isinstance(value, dict):
        return {str(key): _jsonable(item) for key, item in value.items()}
    try:
        return DjangoJSONEncoder().default(value)
    except TypeError:
        return str(value)


def _raw_snapshot(instance: models.Model) -> dict[str, Any]:
    """The registered fields' current values as loaded (cheap: taken for every instance loaded).

    Deferred fields are left out rather than fetched; mutable values (JSON) are copied.
    """
    loaded = instance.__dict__
    registration = _registry[type(instance)]
    values = {name: loaded[name] for name in registration.fields if name in loaded}
    for name in registration.mutable & values.keys():
        values[name] = copy.deepcopy(values[name])
    return values


def snapshot(instance: models.Model) -> dict[str, Any]:
    """The registered fields' current values, JSON-ready."""
    return _json_values(_raw_snapshot(instance))


def _json_values(values: dict[str, Any] | None) -> dict[str, Any] | None:
    return None if values is None else {name: _jsonable(value) for name, value in values.items()}


def _diff(before: dict | None, after: dict | None, redact: frozenset[str]) -> dict[str, list]:
    """{field: [before, after]} for the fields that differ; redacted values hidden."""
    before, after = before or {}, after or {}
    changes = {}
    for name in sorted(set(before) | set(after)):
        old, new = before.get(name), after.get(name)
        if old == new and name in before and name in after:
            continue
        if name in redact:
            old = REDACTED if old not in (None, "") else old
            new = REDACTED if new not in (None, "") else new
        changes[name] = [old, new]
    return changes


def _on_init(sender, instance, **kwargs) -> None:
    if instance.pk is not None:
        setattr(instance, SNAPSHOT_ATTR, _raw_snapshot(instance))


def _on_save(sender, instance, created, raw=False, update_fields=None, **kwargs) -> None:
    if raw:  # fixtures; their many-to-many values that follow are not recorded either
        setattr(instance, RAW_ATTR, True)
        return
    before = None if created else _json_values(getattr(instance, SNAPSHOT_ATTR, None))
    after = snapshot(instance)
    if update_fields and before is not None:
        after = {name: value for name, value in after.items() if name in before or name in update_fields}
    event = _build_event(
        action=AuditAction.CREATE if created else AuditAction.UPDATE,
        instance=instance,
        before=before,
        after=after,
        actor=current_actor(),
    )
    setattr(instance, SNAPSHOT_ATTR, _raw_snapshot(instance))
    if event is not None:
        _save_events([event])


def _on_delete(sender, instance, **kwargs) -> None:
    before = _json_values(getattr(instance, SNAPSHOT_ATTR, None)) or snapshot(instance)
    event = _build_event(
        action=AuditAction.DELETE, instance=instance, before=before, after=None, actor=current_actor()
    )
    _save_events([event])


def _m2m_sides(field: models.ManyToManyField, reverse: bool) -> tuple[str, str, str]:
    """(label, through field pointing at the instance, through field pointing at the others)."""
    if reverse:
        return field.remote_field.get_accessor_name(), field.m2m_reverse_field_name(), field.m2m_field_name()
    return field.name, field.m2m_field_name(), field.m2m_reverse_field_name()


def _on_m2m_changed(sender, instance, action, reverse, **kwargs) -> None:
    """Record a many-to-many change as the ids before and after: `pre_*` remembers, `post_*` records."""
    if getattr(instance, RAW_ATTR, False) or action not in (
        "pre_add",
        "post_add",
        "pre_remove",
        "post_remove",
        "pre_clear",
        "post_clear",
    ):
        return
    label, own, other = _m2m_sides(_m2m_registry[sender], reverse)
    current = sorted(sender._default_manager.filter(**{own: instance.pk}).values_list(other, flat=True))
    remembered = getattr(instance, M2M_SNAPSHOT_ATTR, None)
    if remembered is None:
        remembered = {}
        setattr(instance, M2M_SNAPSHOT_ATTR, remembered)
    if action.startswith("pre_"):
        remembered[label] = current
        return
    before = remembered.pop(label, None)
    if before == current:
        return
    event = _build_event(
        action=AuditAction.UPDATE,
        instance=instance,
        before={label: before},
        after={label: current},
        actor=current_actor(),
    )
    _save_events([event])


# Recording --------------------------------------------------------------------------------------------


class AuditAction(models.TextChoices):
    CREATE = "create", "create"
    UPDATE = "update", "update"
    DELETE = "delete", "delete"
    EXPORT = "export", "export"
    ERASE = "erase", "erase"


def _actor_fields(actor: User | None) -> dict[str, Any]:
    if actor is None:
        return {"actor_id": None, "actor_label": "system"}
    return {"actor_id": actor.pk, "actor_label": actor.get_username()[:150]}


def _record_label(model: type[models.Model], labels: dict | None = None) -> str:
    """The model's name in the active language, formatted once per model in a bulk record."""
    if labels is None:
        return str(model._meta.verbose_name)
    if model not in labels:
        labels[model] = str(model._meta.verbose_name)
    return labels[model]


def _build_event(
    *,
    action: str,
    instance: models.Model,
    before: dict | None,
    after: dict | None,
    actor,
    labels: dict | None = None,
) -> dict[str, Any] | None:
    """The audit row for one change, as column values (None when an update changed nothing)."""
    from django.contrib.contenttypes.models import ContentType

    registration = _registry.get(type(instance))
    redact = registration.redact if registration else frozenset()
    changes = _diff(before, after, redact)
    if action == AuditAction.UPDATE and not changes:
        return None
    participant_id = registration.participant_of(instance) if registration else None
    if participant_id is None and instance._meta.label == "courses.Participant":
        participant_id = instance.pk
    return {
        **_actor_fields(actor),
        "action": action,
        "content_type_id": ContentType.objects.get_for_model(type(instance)).pk,
        "object_id": str(instance.pk),
        # The model and id only: str(instance) may carry a person's name.
        "object_repr": f"{_record_label(type(instance), labels)} #{instance.pk}"[:200],
        "participant_id": participant_id,
        "changes": changes,
        "model_name": instance._meta.model_name,  # for the log line only
    }


# AuditEvent's columns as _build_event fills them; occurred_at is the moment of saving.
_EVENT_FIELDS = (
    "actor",
    "actor_label",
    "occurred_at",
    "action",
    "content_type",
    "object_id",
    "object_repr",
    "participant_id",
    "changes",
)


def _save_events(events: list) -> None:
    """Insert the rows in as few multi-row INSERTs as the database allows.

    Written directly rather than through bulk_create: an import records tens of thousands of
    rows at once, and building a model instance and compiling each value through the ORM
    was most of the time of recording them. The values are still prepared by each field.
    """
    from django.db import connections, router
    from django.utils import timezone

    from .models import AuditEvent

    events = [event for event in events if event is not None]
    if not events:
        return
    connection = connections[router.db_for_write(AuditEvent)]
    fields = [AuditEvent._meta.get_field(name) for name in _EVENT_FIELDS]
    occurred_at = AuditEvent._meta.get_field("occurred_at").get_db_prep_save(timezone.now(), connection)
    changes_field = AuditEvent._meta.get_field("changes")
    columns = ", ".join(connection.ops.quote_name(field.column) for field in fields)
    row_placeholders = "(" + ", ".join(["%s"] * len(fields)) + ")"
    table = connection.ops.quote_name(AuditEvent._meta.db_table)
    batch_size = max(1, min(connection.ops.bulk_batch_size(fields, events), 2_000))
    with connection.cursor() as cursor:
        for start in range(0, len(events), batch_size):
            batch = events[start : start + batch_size]
            params: list[Any] = []
            for event in batch:
                params.extend(
                    (
                        event["actor_id"],
                        event["actor_label"],
                        occurred_at,
                        event["action"],
                        event["content_type_id"],
                        event["object_id"],
                        event["object_repr"],
                        event["participant_id"],
                        changes_field.get_db_prep_save(event["changes"], connection),
                    )
                )
            cursor.execute(
                f"INSERT INTO {table} ({columns}) VALUES {', '.join([row_placeholders] * len(batch))}", params
            )
    for event in events:
        logger.debug(
            "audit %s %s #%s by user %s",
            event["action"],
            event.get("model_name", "-"),
            event["object_id"] or "-",
            event["actor_id"] or "-",
        )


def record(
    *,
    action: str,
    instance: models.Model,
    before: dict | None = None,
    after: dict | None = None,
    actor: User | None = None,
) -> None:
    """Record one change made where no signal fires. Without `before`/`after` the snapshots are used."""
    record_many(action=action, instances=[instance], actor=actor, before=before, after=after)


def record_many(
    *,
    action: str,
    instances: Iterable[models.Model],
    actor: User | None = None,
    before: dict | None = None,
    after: dict | None = None,
) -> None:
    """Record a bulk write in one query: call after bulk_create / bulk_update, before bulk deletes.

    For each instance, before is the snapshot taken when it was loaded (post_init) and
    after its current values, unless given explicitly (the same for every instance).
    """
    actor = actor or current_actor()
    events, labels = [], {}
    for instance in instances:
        registered = type(instance) in _registry
        current = snapshot(instance) if registered else {}
        loaded = _json_values(getattr(instance, SNAPSHOT_ATTR, None))
        old = before if before is not None else (None if action == AuditAction.CREATE else loaded)
        new = after if after is not None else (None if action == AuditAction.DELETE else current)
        events.append(
            _build_event(action=action, instance=instance, before=old, after=new, actor=actor, labels=labels)
        )
        if registered:
            setattr(instance, SNAPSHOT_ATTR, _raw_snapshot(instance))
    _save_events(events)


def record_export(*, actor: User | None, what: str, filters: dict[str, Any] | None = None) -> None:
    """Log an export: who, which export (`what`, e.g. "attendance.csv delivery 12") and its filter."""
    event = {
        **_actor_fields(actor or current_actor()),
        "action": AuditAction.EXPORT,
        "content_type_id": None,
        "object_id": "",
        "object_repr": what[:200],
        "participant_id": None,
        "changes": {"filters": {key: _jsonable(value) for key, value in (filters or {}).items()}},
    }
    _save_events([event])
