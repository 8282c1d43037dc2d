"""Attendance in /api/v1/ (docs/api.md): a trainer's sessions ahead, a session's roster, and the
batches of marks a phone sends when it has a connection again.

Thin like the pages: the same scopes (courses.rules through sessions_managed_by), the same
selectors and the one save path (services.attendance_marks_save). What is new here is only
what a queue of offline marks needs: per-row refusals, applying a batch once, and the time a
mark was taken.
"""

import hashlib
import json
import re
from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import get_language, gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.exceptions import ParseError
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from api.serializers import DetailSerializer
from core.converters import MAX_DATABASE_ID
from core.localtime import local, local_date, zone_label
from courses.models import Delivery, Enrolment, Session
from courses.rules import inactive_enrolment_refusal, is_active_enrolment
from courses.selectors import sessions_managed_by
from curriculum.selectors import attach_course_titles

from . import services
from .models import AttendanceSource, AttendanceStatus, SyncBatch
from .rules import runs_sessions
from .selectors import TodaySession, session_roster, trainer_sessions_ahead

# Messages that tests check.
NOT_YOUR_SESSION = gettext_lazy("You do not run this session, or it does not exist; the mark was not saved.")
MALFORMED_MARK = gettext_lazy("This mark is incomplete or not valid (%(fields)s); it was not saved.")
SUPERSEDED = gettext_lazy("A mark taken later was already recorded; this one is kept in the history only.")
KEY_REUSED = gettext_lazy("This idempotency key was already used for other marks. Send them with a new key.")
BAD_KEY = gettext_lazy("“idempotency_key” must be 8 to 64 letters, digits, “-” or “_”.")
BAD_BODY = gettext_lazy("Send a JSON object with “idempotency_key” and a list “marks”.")
TOO_MANY_MARKS = gettext_lazy("A batch can hold at most %(limit)d marks; send the rest in another batch.")
NOT_A_TRAINER = gettext_lazy("Only people who run sessions can use this.")

IDEMPOTENCY_KEY = re.compile(r"^[A-Za-z0-9_-]{8,64}$")
# Outcomes of a row in a batch's answer.
SAVED, UNCHANGED, SUPERSEDED_OUTCOME, REFUSED = "saved", "unchanged", "superseded", "refused"
SERVICE_OUTCOMES = {
    services.OUTCOME_SAVED: SAVED,
    services.OUTCOME_UNCHANGED: UNCHANGED,
    services.OUTCOME_SUPERSEDED: SUPERSEDED_OUTCOME,
    # A phone's mark carries no version, so "kept newer" cannot happen; if it did, it is this.
    services.OUTCOME_KEPT_NEWER: SUPERSEDED_OUTCOME,
}


def sync_batch_max_marks() -> int:
    return settings.HAMKORI_SYNC_BATCH_MAX_MARKS


def sync_batch_max_bytes() -> int:
    """A full batch of the longest marks (a 300-character note, each character \\u-escaped) fits."""
    return 4096 + sync_batch_max_marks() * 2048


class RunsSessions(BasePermission):
    """Trainers and planners: the people Today and the roster are for (attendance.rules.runs_sessions)."""

    message = NOT_A_TRAINER

    def has_permission(self, request, view) -> bool:
        return bool(request.user and request.user.is_authenticated and runs_sessions(request.user))


# Serializers ---------------------------------------------------------------------------------------


class SessionSummarySerializer(serializers.Serializer):
    """A session as Today lists it (the fields of the contract in docs/api.md)."""

    id = serializers.IntegerField(source="session.pk")
    delivery_id = serializers.IntegerField(source="session.delivery_id")
    course_title = serializers.SerializerMethodField()
    starts_at = serializers.DateTimeField(source="session.starts_at", default_timezone=UTC)
    local_day = serializers.DateField()
    local_time = serializers.SerializerMethodField(help_text="HH:MM on the region's clock.")
    zone_label = serializers.SerializerMethodField()
    venue = serializers.SerializerMethodField()
    is_today = serializers.BooleanField()
    enrolled = serializers.IntegerField()
    marked = serializers.IntegerField()
    roster_url = serializers.SerializerMethodField(help_text="The HTML roster page.")
    api_roster_url = serializers.SerializerMethodField()

    @extend_schema_field(str)
    def get_course_title(self, row: TodaySession) -> str:
        course = row.session.delivery.course
        return getattr(course, "shown_title", course.title)

    @extend_schema_field(str)
    def get_local_time(self, row: TodaySession) -> str:
        return local(row.session.starts_at, row.session.delivery.region).strftime("%H:%M")

    @extend_schema_field(str)
    def get_zone_label(self, row: TodaySession) -> str:
        return zone_label(row.session.delivery.region, at=row.session.starts_at)

    @extend_schema_field(str)
    def get_venue(self, row: TodaySession) -> str:
        venue = row.session.venue or row.session.delivery.venue
        return venue.name if venue else ""

    @extend_schema_field(str)
    def get_roster_url(self, row: TodaySession) -> str:
        return reverse("attendance:session", kwargs={"pk": row.session.pk})

    @extend_schema_field(str)
    def get_api_roster_url(self, row: TodaySession) -> str:
        return reverse("api:session_roster", kwargs={"pk": row.session.pk})


class MySessionsSerializer(serializers.Serializer):
    sessions = SessionSummarySerializer(many=True)


class StatusSerializer(serializers.Serializer):
    code = serializers.ChoiceField(choices=AttendanceStatus.choices)
    label = serializers.CharField()


class RosterRowSerializer(serializers.Serializer):
    participant_id = serializers.IntegerField(source="participant.pk")
    name = serializers.CharField(source="participant.full_name")
    status = serializers.CharField(help_text="A status code, or empty when unmarked.")
    note = serializers.CharField(allow_blank=True)
    version = serializers.IntegerField(help_text="0 when unmarked; raised on every change.")


class RosterSerializer(serializers.Serializer):
    session = SessionSummarySerializer()
    statuses = StatusSerializer(many=True)
    rows = RosterRowSerializer(many=True)


class MarkInSerializer(serializers.Serializer):
    """One mark as the phone sends it. Each is checked on its own: a bad one is refused in the
    results and the others are saved."""

    # The schema's description only: the view checks rows with _parse_row, so that a bad row is
    # refused alone instead of failing the whole batch.

    session = serializers.IntegerField(min_value=1, max_value=MAX_DATABASE_ID)
    participant = serializers.IntegerField(min_value=1, max_value=MAX_DATABASE_ID)
    status = serializers.ChoiceField(choices=AttendanceStatus.choices)
    note = serializers.CharField(max_length=services.NOTE_MAX_LENGTH, allow_blank=True, required=False)
    taken_at = serializers.DateTimeField(help_text="When the mark was made on the phone, with its offset.")


class BatchInSerializer(serializers.Serializer):
    idempotency_key = serializers.RegexField(IDEMPOTENCY_KEY.pattern, min_length=8, max_length=64)
    marks = MarkInSerializer(many=True, help_text="At most HAMKORI_SYNC_BATCH_MAX_MARKS (500) marks.")


class RowResultSerializer(serializers.Serializer):
    index = serializers.IntegerField()
    session = serializers.IntegerField(allow_null=True)
    participant = serializers.IntegerField(allow_null=True)
    outcome = serializers.ChoiceField(choices=[SAVED, UNCHANGED, SUPERSEDED_OUTCOME, REFUSED])
    reason = serializers.CharField(allow_blank=True)


class BatchOutSerializer(serializers.Serializer):
    idempotency_key = serializers.CharField()
    replayed = serializers.BooleanField()
    saved = serializers.IntegerField()
    refused = serializers.IntegerField()
    results = RowResultSerializer(many=True)


# Views ---------------------------------------------------------------------------------------------


class MySessionsView(APIView):
    permission_classes = [IsAuthenticated, RunsSessions]

    @extend_schema(
        operation_id="my_sessions",
        summary="The sessions I run today and in the next 7 days",
        responses={200: MySessionsSerializer, 403: DetailSerializer},
    )
    def get(self, request):
        rows = trainer_sessions_ahead(user=request.user)
        attach_course_titles([row.session.delivery for row in rows], language=get_language())
        return Response(MySessionsSerializer({"sessions": rows}).data)


def session_summary(
    session: Session, *, enrolled: int, marked: int, now: datetime | None = None
) -> TodaySession:
    region = session.delivery.region
    day = local_date(session.starts_at, region)
    return TodaySession(
        session=session,
        local_day=day,
        is_today=day == local_date(now or timezone.now(), region),
        enrolled=enrolled,
        marked=marked,
    )


class SessionRosterView(APIView):
    """The same session, people and marks as the HTML roster, for the same people (else 404)."""

    @extend_schema(
        operation_id="session_roster",
        summary="A session's roster with the current marks",
        parameters=[OpenApiParameter("id", OpenApiTypes.INT64, OpenApiParameter.PATH)],
        responses={200: RosterSerializer, 404: DetailSerializer},
    )
    def get(self, request, pk: int):
        session = get_object_or_404(
            sessions_managed_by(request.user).select_related(
                "delivery__region", "delivery__course", "delivery__venue", "venue"
            ),
            pk=pk,
        )
        attach_course_titles([session.delivery], language=get_language())
        rows = session_roster(session=session)
        summary = session_summary(
            session, enrolled=len(rows), marked=sum(1 for row in rows if row.record is not None)
        )
        statuses = [{"code": value, "label": label} for value, label in AttendanceStatus.choices]
        return Response(RosterSerializer({"session": summary, "statuses": statuses, "rows": rows}).data)


@dataclass(frozen=True)
class ParsedRow:
    index: int
    session_id: int
    participant_id: int
    mark: services.Mark


def _id_or_none(value) -> int | None:
    # JSON true is an int to Python; an id beyond 64 bits would crash the database driver.
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= MAX_DATABASE_ID:
        return None
    return value


def _taken_at(value, now: datetime) -> datetime | None:
    """An ISO-8601 moment with an offset, at most now (a phone's clock running fast is not believed)."""
    if not isinstance(value, str) or len(value) > 40:
        return None
    try:
        moment = parse_datetime(value.strip())
    except ValueError:
        return None
    if moment is None or timezone.is_naive(moment):
        return None
    return min(moment, now)


def _parse_row(index: int, row, now: datetime) -> ParsedRow | str:
    """A row's mark, or why it is refused; shape only: scope and enrolment are checked in bulk."""
    if not isinstance(row, dict):
        return MALFORMED_MARK % {"fields": "mark"}
    session_id, participant_id = _id_or_none(row.get("session")), _id_or_none(row.get("participant"))
    taken_at = _taken_at(row.get("taken_at"), now)
    note = row.get("note") or ""  # absent, null or empty: no note
    wrong = [
        name
        for name, bad in (
            ("session", session_id is None),
            ("participant", participant_id is None),
            ("status", not isinstance(row.get("status"), str)),
            ("note", not isinstance(note, str)),
            ("taken_at", taken_at is None),
        )
        if bad
    ]
    if wrong:
        return MALFORMED_MARK % {"fields": ", ".join(wrong)}
    if row["status"] not in AttendanceStatus.values:
        return services.UNKNOWN_STATUS % {"status": row["status"][:40]}
    note = note.strip()
    if len(note) > services.NOTE_MAX_LENGTH:
        return str(services.NOTE_TOO_LONG)
    return ParsedRow(
        index=index,
        session_id=session_id,
        participant_id=participant_id,
        mark=services.Mark(participant_id=participant_id, status=row["status"], note=note, taken_at=taken_at),
    )


def _refusal(index: int, row, reason) -> dict:
    row = row if isinstance(row, dict) else {}
    return {
        "index": index,
        "session": _id_or_none(row.get("session")),
        "participant": _id_or_none(row.get("participant")),
        "outcome": REFUSED,
        "reason": str(reason),
    }


def _scope_refusal(parsed: ParsedRow, sessions: dict[int, Session], enrolments: dict) -> str | None:
    """Why a well-formed mark may not be saved by this user, or None: the roster's checks, per row."""
    session = sessions.get(parsed.session_id)
    if session is None:
        return str(NOT_YOUR_SESSION)
    if session.delivery.status == Delivery.Status.CANCELLED:
        return str(services.DELIVERY_CANCELLED)
    if session.status == Session.Status.CANCELLED:
        return str(services.SESSION_CANCELLED)
    enrolment_status = enrolments.get((session.delivery_id, parsed.participant_id))
    if not is_active_enrolment(enrolment_status):
        return inactive_enrolment_refusal(enrolment_status)
    return None


def batch_apply(*, user, marks: list, now: datetime | None = None) -> list[dict]:
    """Every row's outcome; the rows that pass are saved, session by session, through the one save path.

    Queries: two for the whole batch (sessions in scope, enrolments) and a fixed number per
    session, whatever the number of marks. A session whose save is refused as a whole (say it
    was cancelled a moment ago) refuses its rows with the reason and leaves the other sessions.
    """
    now = now or timezone.now()
    results: list[dict | None] = [None] * len(marks)
    parsed_rows: list[ParsedRow] = []
    for index, row in enumerate(marks):
        parsed = _parse_row(index, row, now)
        if isinstance(parsed, ParsedRow):
            parsed_rows.append(parsed)
        else:
            results[index] = _refusal(index, row, parsed)
    sessions = {
        session.pk: session
        for session in sessions_managed_by(user)
        .filter(pk__in={row.session_id for row in parsed_rows})
        .select_related("delivery")
    }
    enrolments = {
        (delivery_id, participant_id): enrolment_status
        for delivery_id, participant_id, enrolment_status in Enrolment.objects.filter(
            delivery_id__in={session.delivery_id for session in sessions.values()},
            participant_id__in={row.participant_id for row in parsed_rows},
        ).values_list("delivery_id", "participant_id", "status")
    }
    by_session: dict[int, list[ParsedRow]] = defaultdict(list)
    for parsed in parsed_rows:
        reason = _scope_refusal(parsed, sessions, enrolments)
        if reason:
            results[parsed.index] = _refusal(parsed.index, marks[parsed.index], reason)
        else:
            by_session[parsed.session_id].append(parsed)
    # In id order, so two batches locking the same sessions take their locks in the same order.
    for session_id in sorted(by_session):
        group = by_session[session_id]
        try:
            with transaction.atomic():
                saved = services.attendance_marks_save(
                    session=sessions[session_id],
                    marks=[parsed.mark for parsed in group],
                    recorded_by=user,
                    source=AttendanceSource.OFFLINE,
                )
        except ValidationError as error:
            for parsed in group:
                results[parsed.index] = _refusal(parsed.index, marks[parsed.index], " ".join(error.messages))
            continue
        for parsed, outcome in zip(group, saved.outcomes, strict=False):
            outcome = SERVICE_OUTCOMES[outcome]
            results[parsed.index] = {
                "index": parsed.index,
                "session": parsed.session_id,
                "participant": parsed.participant_id,
                "outcome": outcome,
                "reason": str(SUPERSEDED) if outcome == SUPERSEDED_OUTCOME else "",
            }
    return results


def _batch_input(data) -> tuple[str, list]:
    """The key and the marks, or a 400 naming what is wrong with the request as a whole."""
    if not isinstance(data, dict) or not isinstance(data.get("marks"), list):
        raise ParseError(BAD_BODY)
    key = data.get("idempotency_key")
    if not isinstance(key, str) or not IDEMPOTENCY_KEY.match(key):
        raise ParseError(BAD_KEY)
    if len(data["marks"]) > sync_batch_max_marks():
        raise ParseError(TOO_MANY_MARKS % {"limit": sync_batch_max_marks()})
    return key, data["marks"]


def _digest(marks: list) -> str:
    return hashlib.sha256(
        json.dumps(marks, sort_keys=True, separators=(",", ":"), ensure_ascii=True).encode()
    ).hexdigest()


def stored_batch(*, user, key: str) -> SyncBatch | None:
    return SyncBatch.objects.filter(user=user, idempotency_key=key).first()


def _replay(batch: SyncBatch, digest: str) -> Response:
    if batch.request_digest != digest:
        return Response({"detail": str(KEY_REUSED)}, status=status.HTTP_409_CONFLICT)
    return Response({**batch.response, "replayed": True})


class AttendanceBatchView(APIView):
    permission_classes = [IsAuthenticated, RunsSessions]
    max_body_bytes = staticmethod(sync_batch_max_bytes)

    @extend_schema(
        operation_id="attendance_batch",
        summary="Send a batch of marks taken on a phone (applied once per idempotency key)",
        request=BatchInSerializer,
        responses={
            200: BatchOutSerializer,
            400: DetailSerializer,
            403: DetailSerializer,
            409: DetailSerializer,
            413: DetailSerializer,
        },
        examples=[
            OpenApiExample(
                "Two marks",
                request_only=True,
                value={
                    "idempotency_key": "b7f3c2d1-0001",
                    "marks": [
                        {
                            "session": 12,
                            "participant": 40,
                            "status": "present",
                            "note": "",
                            "taken_at": "2026-11-30T09:05:00+05:00",
                        },
                        {
                            "session": 12,
                            "participant": 41,
                            "status": "late",
                            "note": "bus",
                            "taken_at": "2026-11-30T09:20:00+05:00",
                        },
                    ],
                },
            )
        ],
    )
    def post(self, request):
        key, marks = _batch_input(request.data)
        digest = _digest(marks)
        previous = stored_batch(user=request.user, key=key)
        if previous is not None:
            return _replay(previous, digest)
        with transaction.atomic():
            try:
                # Claims the key: a second copy of the batch arriving now waits here (PostgreSQL)
                # until this one commits, then fails the unique constraint and replays the answer.
                with transaction.atomic():
                    batch = SyncBatch.objects.create(
                        user=request.user, idempotency_key=key, request_digest=digest, response={}
                    )
            except IntegrityError:
                batch = None
            if batch is not None:
                results = batch_apply(user=request.user, marks=marks)
                batch.response = {
                    "idempotency_key": key,
                    "replayed": False,
                    "saved": sum(1 for row in results if row["outcome"] == SAVED),
                    "refused": sum(1 for row in results if row["outcome"] == REFUSED),
                    "results": results,
                }
                batch.save(update_fields=["response"])
                return Response(batch.response)
        return _replay(SyncBatch.objects.get(user=request.user, idempotency_key=key), digest)
