"""Demo attendance: marks for every ended session of the demo deliveries, with realistic absences.

Deterministic (a seeded generator per session and participant) and idempotent:
a participant who already has a mark for a session is left alone. The session in progress is left
unmarked, and its check-in code made, so that the demo trainee can check in at once.
"""

import random

from django.utils import timezone

from courses.models import Session

from .models import AttendanceRecord, AttendanceSource, AttendanceStatus
from .selectors import roster_enrolments
from .services import Mark, attendance_marks_save, check_in_code_for

# Roughly what trainers report: most come, a few late, some leave early or send word, a few just don't.
WEIGHTS = [
    (AttendanceStatus.PRESENT, 80),
    (AttendanceStatus.LATE, 7),
    (AttendanceStatus.LEFT_EARLY, 4),
    (AttendanceStatus.EXCUSED, 4),
    (AttendanceStatus.ABSENT, 5),
]
NOTES = {
    AttendanceStatus.EXCUSED: "На дежурстве",
    AttendanceStatus.LEFT_EARLY: "Вызов по службе",
}


def _status_for(session_id: int, participant_id: int) -> str:
    generator = random.Random(session_id * 1_000_003 + participant_id)
    statuses, weights = zip(*WEIGHTS, strict=True)
    return generator.choices(statuses, weights=weights)[0]


def load(*, log, context) -> dict:
    sessions = (
        Session.objects.filter(ends_at__lte=timezone.now())
        .exclude(status=Session.Status.CANCELLED)
        .select_related("delivery")
        .prefetch_related("delivery__trainers")
        .order_by("starts_at", "pk")
    )
    fallback_user = context.get("users", {}).get("trainer")
    created = 0
    session_count = 0
    for session in sessions:
        session_count += 1
        marked = set(
            AttendanceRecord.objects.filter(session=session).values_list("participant_id", flat=True)
        )
        marks = [
            Mark(
                participant_id=enrolment.participant_id,
                status=(status := _status_for(session.pk, enrolment.participant_id)),
                note=NOTES.get(status, ""),
            )
            for enrolment in roster_enrolments(session.delivery)
            if enrolment.participant_id not in marked
        ]
        if not marks:
            continue
        trainers = list(session.delivery.trainers.all())
        result = attendance_marks_save(
            session=session,
            marks=marks,
            recorded_by=trainers[0] if trainers else fallback_user,
            source=AttendanceSource.PAPER if session.pk % 3 == 0 else AttendanceSource.WEB,
        )
        created += result.created
    log(f"{created} attendance marks created for {session_count} ended sessions")
    live_sessions = context.get("live_sessions") or []
    if not live_sessions:
        return {}
    return {"check_in_code": check_in_code_for(session=live_sessions[0]).code}
