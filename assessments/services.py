"""Writes for tests and certificates. Scoring lives in one place: `attempt_score`.

Every function here is keyword-only, atomic, and refuses bad input with a
ValidationError carrying one of the message constants below, leaving nothing
half-saved.
"""

import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Exists, F, OuterRef
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from attendance.selectors import attendance_summaries_of_deliveries
from core import audit
from courses.models import Delivery, Enrolment, Participant
from courses.rules import (
    ACTIVE_ENROLMENT_STATUSES,
    active_enrolment_q,
    inactive_enrolment_refusal,
)

from . import rules
from .models import (
    Answer,
    Attempt,
    Certificate,
    Instrument,
    Phase,
    Question,
    QuestionType,
    ScoreChange,
    TestWindow,
    new_certificate_code,
)
from .selectors import course_has_test, instrument_for_delivery

WINDOW_CLOSED = _("This test is closed. Your answers were not saved; ask your trainer.")
ALREADY_SUBMITTED = _("This test has already been submitted.")
NO_INSTRUMENT = _("This course has no test yet.")
NOT_ENROLLED = _("This participant is not enrolled in this delivery.")
FOREIGN_QUESTION = _("An answer refers to a question that is not in this test.")
UNKNOWN_CHOICE = _("An answer refers to a choice that does not belong to its question.")
ONE_CHOICE_ONLY = _("Choose only one answer to this question.")
BAD_TRUE_FALSE = _("Answer true or false.")
BAD_LIKERT = _("Choose a number from 1 to 5.")
TEXT_TOO_LONG = _("This answer is too long (at most 2000 characters).")
MARK_OUT_OF_RANGE = _("A mark must be between 0 and the question's points.")
REASON_REQUIRED = _("Give a reason.")
ALREADY_REVOKED = _("This certificate is already revoked.")
CERTIFICATE_EXISTS = _("This participant already has a certificate for this delivery.")
DELIVERY_NOT_COMPLETED = _(
    "Certificates by rule are issued once the delivery is completed and its completion decided; "
    "complete the delivery first."
)
PAPER_ROW_REFUSED = _("%(participant)s: %(reason)s Nothing was saved.")
ENROLMENT_NOT_COMPLETED = _(
    "%(participant)s did not complete this delivery, so no certificate by rule is issued."
)
FLAGGED_NOT_COMPLETED = _("A correction made this enrolment not completed: review the certificate.")

MAX_TEXT = 2000
TWO_PLACES = Decimal("0.01")


@dataclass
class AnswerInput:
    """What a participant (or a trainer typing from paper) gave for one question."""

    choice_ids: list[int] = field(default_factory=list)
    value: str = ""
    manual_score: Decimal | None = None

    @property
    def is_blank(self) -> bool:
        return not self.choice_ids and not self.value.strip() and self.manual_score is None


# --- scoring -----------------------------------------------------------------------------------


def _choice_question_score(question: Question, chosen: set[int]) -> Decimal:
    correct = {choice.pk for choice in question.choices.all() if choice.is_correct}
    if (
        question.type == QuestionType.SINGLE
        or question.multiple_scoring == Question.MultipleScoring.ALL_OR_NOTHING
    ):
        return question.points if chosen and chosen == correct else Decimal(0)
    if not correct:
        return Decimal(0)
    # Partial credit: each right choice earns a share, each wrong one takes a share back; never below 0.
    right, wrong = len(chosen & correct), len(chosen - correct)
    share = Decimal(max(0, right - wrong)) / Decimal(len(correct))
    return (question.points * share).quantize(TWO_PLACES, rounding=ROUND_HALF_UP)


def answer_points(question: Question, answer: Answer | None, chosen: set[int]) -> Decimal | None:
    """The points one answer earns; None when it awaits a hand mark or is not scored (Likert)."""
    if question.type == QuestionType.LIKERT:
        return None
    if answer is not None and answer.manual_score is not None:
        return answer.manual_score
    if question.type == QuestionType.SHORT_TEXT:
        return None if answer is not None and answer.value.strip() else Decimal(0)
    if answer is None:
        return Decimal(0)
    if question.type == QuestionType.TRUE_FALSE:
        expected = "true" if question.true_false_key else "false"
        return question.points if answer.value == expected else Decimal(0)
    return _choice_question_score(question, chosen)


def answers_score(
    questions: Iterable[Question], answers: Mapping[int, Answer], chosen: Mapping[int, set[int]]
) -> tuple[Decimal, Decimal, bool, dict[int, Decimal | None]]:
    """An attempt's total, its maximum, whether a scored answer awaits a hand mark, and each
    question's points, from answers by question id and their chosen choice ids (saved or not:
    the workbook import scores rows before writing them, in bulk, with this same rule)."""
    total, maximum, unmarked, points_by_question = Decimal(0), Decimal(0), False, {}
    for question in sorted(questions, key=lambda question: question.sort_order):
        answer = answers.get(question.pk)
        points = answer_points(question, answer, chosen.get(question.pk, set()))
        points_by_question[question.pk] = points
        if question.is_scored:
            maximum += question.points
            if points is None:
                unmarked = True
            else:
                total += points
    return total, maximum, unmarked, points_by_question


@transaction.atomic
def attempt_score(*, attempt: Attempt, changed_by: User | None = None, reason: str = "") -> Attempt:
    """Score every answer of an attempt against the current key and store the totals.

    The one scoring service: submission, paper entry, hand marks and key
    corrections all come here. A submitted attempt whose score changes gets a
    ScoreChange row saying who, when and why.
    """
    return _score(attempt=attempt, changed_by=changed_by, reason=reason)


def _score(
    *,
    attempt: Attempt,
    changed_by: User | None = None,
    reason: str = "",
    questions: Iterable[Question] | None = None,
    save_fields: list[str] | None = ["score", "max_score", "needs_marking", "updated_at"],  # noqa: B006
    held: tuple[dict[int, Answer], dict[int, set[int]]] | None = None,
) -> Attempt:
    """attempt_score's work, inside the caller's transaction; the submit passes the questions it
    has already loaded and the answers it has just written (`held`, from `_write_answers`), and
    saves the whole attempt here (save_fields=None), in one write."""
    if questions is None:
        questions = Question.objects.filter(instrument_id=attempt.instrument_id).prefetch_related("choices")
    if held is not None:
        answers, chosen = held
    else:
        answers = {
            answer.question_id: answer
            for answer in Answer.objects.filter(attempt=attempt).prefetch_related("choices")
        }
        chosen = {
            question_id: {choice.pk for choice in answer.choices.all()}
            for question_id, answer in answers.items()
        }
    total, maximum, unmarked, points_by_question = answers_score(questions, answers, chosen)
    rescored = []
    for question_id, answer in answers.items():
        points = points_by_question.get(question_id)
        if question_id in points_by_question and answer.score != points:
            answer.score, answer.attempt = points, attempt
            rescored.append(answer)
    if rescored:
        # One query for all the scores and one for their audit rows, however many questions.
        Answer.objects.bulk_update(rescored, ["score"])
        audit.record_many(action=audit.AuditAction.UPDATE, instances=rescored, actor=changed_by)
    old_score, old_max = attempt.score, attempt.max_score
    attempt.score, attempt.max_score, attempt.needs_marking = total, maximum, unmarked
    attempt.save(update_fields=save_fields)
    if attempt.is_submitted and reason and (old_score != total or old_max != maximum):
        ScoreChange.objects.create(
            attempt=attempt,
            old_score=old_score,
            new_score=total,
            old_max_score=old_max,
            new_max_score=maximum,
            reason=reason,
            changed_by=changed_by,
        )
    if attempt.is_submitted and attempt.phase == Phase.POST and (old_score, old_max) != (total, maximum):
        # A post-test score of a completed delivery changed (a correction): decide that person again.
        completion_decide(
            delivery=attempt.delivery, participant_ids=[attempt.participant_id], decided_by=changed_by
        )
    return attempt


@transaction.atomic
def instrument_rescore(*, instrument: Instrument, changed_by: User | None, reason: str) -> int:
    """After a key correction: re-score every submitted attempt of the instrument; returns how many changed."""
    changed = 0
    for attempt in Attempt.objects.filter(instrument=instrument, status=Attempt.Status.SUBMITTED):
        before = (attempt.score, attempt.max_score)
        attempt_score(attempt=attempt, changed_by=changed_by, reason=reason)
        changed += before != (attempt.score, attempt.max_score)
    return changed


@transaction.atomic
def answer_mark(*, answer: Answer, points: Decimal, marked_by: User) -> Attempt:
    """A trainer's mark for a short-text answer (or any answer) of a submitted attempt."""
    if points < 0 or points > answer.question.points:
        raise ValidationError({"points": MARK_OUT_OF_RANGE})
    answer.manual_score = points
    answer.marked_by = marked_by
    answer.save(update_fields=["manual_score", "marked_by"])
    return attempt_score(attempt=answer.attempt, changed_by=marked_by, reason=str(_("Marked by hand")))


# --- windows -----------------------------------------------------------------------------------


@transaction.atomic
def window_open(*, delivery: Delivery, phase: str, user: User) -> TestWindow:
    window, _created = TestWindow.objects.select_for_update().get_or_create(delivery=delivery, phase=phase)
    window.opened_at, window.closed_at, window.changed_by = timezone.now(), None, user
    window.full_clean()
    window.save()
    return window


@transaction.atomic
def window_close(*, delivery: Delivery, phase: str, user: User) -> TestWindow:
    window, _created = TestWindow.objects.select_for_update().get_or_create(delivery=delivery, phase=phase)
    window.closed_at, window.changed_by = timezone.now(), user
    window.full_clean()
    window.save()
    return window


# --- answers and attempts ----------------------------------------------------------------------


def _validate_answers(
    instrument: Instrument | int,
    answers: Mapping[int, AnswerInput],
    questions: Iterable[Question] | None = None,
) -> dict[int, Question]:
    """Check the answers against the instrument's questions; returns those questions by pk.

    `questions` are the instrument's questions with their choices when the caller has loaded
    them already (the autosave view has, for its form): used only if all are of `instrument`,
    otherwise they are read again (two queries).
    """
    instrument_id = instrument if isinstance(instrument, int) else instrument.pk
    loaded = list(questions) if questions is not None else []
    if not loaded or any(question.instrument_id != instrument_id for question in loaded):
        loaded = list(Question.objects.filter(instrument_id=instrument_id).prefetch_related("choices"))
    questions = {question.pk: question for question in loaded}
    for question_id, given in answers.items():
        question = questions.get(question_id)
        if question is None:
            raise ValidationError(FOREIGN_QUESTION)
        valid_choices = {choice.pk for choice in question.choices.all()}
        if given.choice_ids:
            if question.type not in (QuestionType.SINGLE, QuestionType.MULTIPLE):
                raise ValidationError(UNKNOWN_CHOICE)
            if not set(given.choice_ids) <= valid_choices:
                raise ValidationError(UNKNOWN_CHOICE)
            if question.type == QuestionType.SINGLE and len(set(given.choice_ids)) > 1:
                raise ValidationError(ONE_CHOICE_ONLY)
        value = given.value.strip()
        if question.type == QuestionType.TRUE_FALSE and value not in ("", "true", "false"):
            raise ValidationError(BAD_TRUE_FALSE)
        if question.type == QuestionType.LIKERT and value not in ("", "1", "2", "3", "4", "5"):
            raise ValidationError(BAD_LIKERT)
        if len(given.value) > MAX_TEXT:
            raise ValidationError(TEXT_TOO_LONG)
        if given.manual_score is not None and not (0 <= given.manual_score <= question.points):
            raise ValidationError(MARK_OUT_OF_RANGE)
    return questions


def _write_answers(
    attempt: Attempt, answers: Mapping[int, AnswerInput]
) -> tuple[dict[int, Answer], dict[int, set[int]]]:
    """Store what changed since the last save, in a fixed number of queries however long the test.

    Autosave used to delete and re-create every answer (65 queries a save): now an unchanged
    answer is not touched, and the changed ones are created, updated or deleted in bulk, each
    bulk write with its audit rows in one query (core.audit.record_many).

    Returns what the attempt holds afterwards, as `_score` reads it: each answer by question, and
    the options chosen in each, so that the submit scores without reading them back (issue 18).
    """
    through = Answer.choices.through
    stored: dict[int, Answer] = {}
    stored_choices: dict[int, set[int]] = {}
    # The answers and their chosen options in one query: one row per chosen option (a left join,
    # so an answer without options comes once, with no choice).
    for answer in Answer.objects.filter(attempt=attempt).annotate(chosen_id=F("choices")):
        stored.setdefault(answer.question_id, answer)
        if answer.chosen_id is not None:
            stored_choices.setdefault(answer.pk, set()).add(answer.chosen_id)
    created, updated, removed = [], [], []
    rechosen: list[tuple[Answer, set[int]]] = []
    for question_id, given in answers.items():
        answer = stored.get(question_id)
        if given.is_blank:
            if answer is not None:
                removed.append(answer)
            continue
        value, chosen = given.value.strip(), set(given.choice_ids)
        marked_by_id = attempt.entered_by_id if given.manual_score is not None else None
        if answer is None:
            answer = Answer(attempt=attempt, question_id=question_id)
            answer.value, answer.manual_score, answer.marked_by_id = value, given.manual_score, marked_by_id
            created.append(answer)
            if chosen:
                rechosen.append((answer, chosen))
            continue
        answer.attempt = attempt  # the audit's participant_of reads it: no query per answer
        if (answer.value, answer.manual_score, answer.marked_by_id) != (
            value,
            given.manual_score,
            marked_by_id,
        ):
            answer.value, answer.manual_score, answer.marked_by_id = value, given.manual_score, marked_by_id
            updated.append(answer)
        if chosen != stored_choices.get(answer.pk, set()):
            rechosen.append((answer, chosen))
    if removed:
        for answer in removed:
            answer.attempt = attempt
        audit.record_many(action=audit.AuditAction.DELETE, instances=removed)
        removed_ids = [answer.pk for answer in removed]
        through.objects.filter(answer_id__in=removed_ids).delete()
        # No per-row delete signals (the audit rows are written above, in one query).
        Answer.objects.filter(pk__in=removed_ids)._raw_delete(Answer.objects.db)
    if created:
        Answer.objects.bulk_create(created)
        audit.record_many(action=audit.AuditAction.CREATE, instances=created)
    if updated:
        Answer.objects.bulk_update(updated, ["value", "manual_score", "marked_by"])
        audit.record_many(action=audit.AuditAction.UPDATE, instances=updated)
    if rechosen:
        # Only answers stored before this save can have options to replace.
        replaced = [answer.pk for answer, _chosen in rechosen if answer.question_id in stored]
        if replaced:
            through.objects.filter(answer_id__in=replaced).delete()
        through.objects.bulk_create(
            through(answer_id=answer.pk, choice_id=choice_id)
            for answer, chosen in rechosen
            for choice_id in sorted(chosen)
        )
    removed_pks = {answer.pk for answer in removed}
    held = {question_id: answer for question_id, answer in stored.items() if answer.pk not in removed_pks}
    held.update((answer.question_id, answer) for answer in created)
    held_choices = {question_id: stored_choices.get(answer.pk, set()) for question_id, answer in held.items()}
    held_choices.update((answer.question_id, chosen) for answer, chosen in rechosen)
    return held, held_choices


def _check_active(delivery: Delivery, participant: Participant) -> None:
    """Only an active enrolment takes a test, has paper answers entered or gets a certificate."""
    # The status as a value: an instance from the related manager with `only("status")` gets its
    # delivery attached by Django, which reads the deferred delivery_id in a query of its own.
    status = delivery.enrolments.filter(participant=participant).values_list("status", flat=True).first()
    if status not in ACTIVE_ENROLMENT_STATUSES:
        raise ValidationError(inactive_enrolment_refusal(status))


def _check_active_and_read_window(delivery: Delivery, participant: Participant, phase: str) -> bool:
    """`_check_active`, and whether the phase's window is open, in one query (autosave runs every
    few seconds; the submit checks the window only once it knows the test was not submitted)."""
    window_open = TestWindow.objects.filter(
        rules.window_open_q(), delivery_id=OuterRef("delivery_id"), phase=phase
    )
    found = (
        delivery.enrolments.filter(participant=participant)
        .annotate(window_open=Exists(window_open))
        .values_list("status", "window_open")
        .first()
    )
    status, is_open = found if found is not None else (None, False)
    if status not in ACTIVE_ENROLMENT_STATUSES:
        raise ValidationError(inactive_enrolment_refusal(status))
    return is_open


def _check_active_and_open(delivery: Delivery, participant: Participant, phase: str) -> None:
    if not _check_active_and_read_window(delivery, participant, phase):
        raise ValidationError(WINDOW_CLOSED)


def _attempt_locked(
    *, delivery: Delivery, participant: Participant, phase: str, instrument: Instrument
) -> Attempt:
    """The participant's attempt for the phase, created if missing, locked until the transaction ends.

    Race-safe: when two requests (an autosave and the submit) both find no row, both insert; the
    unique constraint admits one, the other's insert fails in its savepoint (on PostgreSQL after
    waiting for the first to commit) and it then locks the row the first one made.
    """
    found = Attempt.objects.select_for_update().filter(
        delivery=delivery, participant=participant, phase=phase
    )
    attempt = found.first()
    if attempt is not None:
        return attempt
    try:
        with transaction.atomic():
            return Attempt.objects.create(
                delivery=delivery, participant=participant, phase=phase, instrument=instrument
            )
    except IntegrityError:
        return found.get()


@transaction.atomic
def attempt_save_draft(
    *,
    delivery: Delivery,
    participant: Participant,
    phase: str,
    answers: Mapping[int, AnswerInput],
    questions: Iterable[Question] | None = None,
) -> Attempt:
    """Keep what a participant has typed so far (saved as they go when JavaScript runs).

    In a fixed number of queries whatever the number of questions (at most 10, issue 18): pass
    `questions` (with their choices) when they are loaded already, as the autosave view does for
    its form. The answers are checked against the questions of the attempt's own instrument.
    """
    _check_active_and_open(delivery, participant, phase)
    # The lock first, as in attempt_submit: an existing attempt names its instrument, so the
    # instrument is looked up only for the first save.
    attempt = (
        Attempt.objects.select_for_update()
        .filter(delivery=delivery, participant=participant, phase=phase)
        .first()
    )
    if attempt is None:
        instrument = instrument_for_delivery(delivery)
        if instrument is None:
            raise ValidationError(NO_INSTRUMENT)
        _validate_answers(instrument, answers, questions)
        attempt = _attempt_locked(
            delivery=delivery, participant=participant, phase=phase, instrument=instrument
        )
    else:
        _validate_answers(attempt.instrument_id, answers, questions)
    if attempt.is_submitted:
        raise ValidationError(ALREADY_SUBMITTED)
    _write_answers(attempt, answers)
    attempt.save(update_fields=["updated_at"])
    return attempt


@transaction.atomic
def attempt_submit(
    *,
    delivery: Delivery,
    participant: Participant,
    phase: str,
    answers: Mapping[int, AnswerInput],
    token: str,
    questions: Iterable[Question] | None = None,
) -> tuple[Attempt, bool]:
    """Submit a participant's test once. Returns (attempt, accepted).

    `token` is the submission's idempotency key (one per form shown, or per queued offline
    submission): a repeat with the same token, after a lost response or a double tap, returns
    the first result again, (attempt, True). A submit with another token after the test was
    submitted returns (attempt, False) and changes nothing. The attempt row is created
    race-safely and locked, so a draft autosave in flight can neither fail the submit nor
    overwrite it: whichever comes second sees the other's row. Pass `questions` (with their
    choices) when they are loaded already, as the test page has for its form: they are used
    only if they are the attempt's instrument's.
    """
    window_open = _check_active_and_read_window(delivery, participant, phase)
    existing = (
        Attempt.objects.select_for_update()
        .filter(delivery=delivery, participant=participant, phase=phase)
        .first()
    )
    if existing is not None and existing.is_submitted:
        return existing, bool(token) and existing.submission_token == token[:64]
    if not window_open:
        raise ValidationError(WINDOW_CLOSED)
    if existing is not None:
        attempt = existing
        questions = _validate_answers(existing.instrument_id, answers, questions)
    else:
        instrument = instrument_for_delivery(delivery)
        if instrument is None:
            raise ValidationError(NO_INSTRUMENT)
        questions = _validate_answers(instrument, answers, questions)
        attempt = _attempt_locked(
            delivery=delivery, participant=participant, phase=phase, instrument=instrument
        )
    if attempt.is_submitted:  # submitted by a request that raced this one
        return attempt, bool(token) and attempt.submission_token == token[:64]
    attempt.status = Attempt.Status.SUBMITTED
    attempt.source = Attempt.Source.ONLINE
    attempt.submission_token = token[:64]
    attempt.submitted_at = timezone.now()
    # The foreign keys were just read from the database: no query each to check they exist.
    attempt.full_clean(exclude=["delivery", "participant", "instrument"], validate_constraints=False)
    held = _write_answers(attempt, answers)
    # Scored with the questions validated above and the answers just written, and saved once,
    # status and score together (a fixed number of queries however many questions: issue 18).
    return _score(attempt=attempt, questions=questions.values(), save_fields=None, held=held), True


@dataclass
class PaperRow:
    participant: Participant
    answers: dict[int, AnswerInput]


@transaction.atomic
def paper_attempts_save(*, delivery: Delivery, phase: str, rows: Iterable[PaperRow], entered_by: User) -> int:
    """Store tests typed in from paper (all rows or none). An online submission is never overwritten."""
    instrument = instrument_for_delivery(delivery)
    if instrument is None:
        raise ValidationError(NO_INSTRUMENT)
    if phase not in Phase.values:
        raise ValidationError(_("Unknown phase."))
    statuses = dict(delivery.enrolments.values_list("participant_id", "status"))
    saved = 0
    for row in rows:
        status = statuses.get(row.participant.pk)
        if status not in ACTIVE_ENROLMENT_STATUSES:
            raise ValidationError(
                PAPER_ROW_REFUSED
                % {"participant": row.participant.full_name, "reason": inactive_enrolment_refusal(status)}
            )
        _validate_answers(instrument, row.answers)
        attempt = (
            Attempt.objects.select_for_update()
            .filter(delivery=delivery, participant=row.participant, phase=phase)
            .first()
        )
        if attempt is not None and attempt.is_submitted and attempt.source == Attempt.Source.ONLINE:
            continue
        if all(given.is_blank for given in row.answers.values()):
            if attempt is not None and attempt.source == Attempt.Source.PAPER:
                attempt.delete()
            continue
        attempt = attempt or Attempt(delivery=delivery, participant=row.participant, phase=phase)
        attempt.instrument = attempt.instrument if attempt.instrument_id else instrument
        attempt.status = Attempt.Status.SUBMITTED
        attempt.source = Attempt.Source.PAPER
        attempt.entered_by = entered_by
        attempt.submitted_at = attempt.submitted_at or timezone.now()
        attempt.save()
        _write_answers(attempt, row.answers)
        attempt_score(attempt=attempt, changed_by=entered_by, reason=str(_("Paper entry changed")))
        saved += 1
    return saved


# --- certificates ------------------------------------------------------------------------------


def _unique_codes(count: int) -> list[str]:
    """`count` new verification codes, unused and distinct, checked against the table in one query
    per round (a clash among 31⁸ codes is rare, so there is almost always one round)."""
    codes: set[str] = set()
    while len(codes) < count:
        candidates = {new_certificate_code() for _ in range(count - len(codes))} - codes
        taken = set(Certificate.objects.filter(code__in=candidates).values_list("code", flat=True))
        codes |= candidates - taken
    return sorted(codes)


def _new_certificates(
    *, delivery: Delivery, participants: list[Participant], issued_by: User | None, manual_reason: str = ""
) -> list[Certificate]:
    """Certificates for these people, saved in one bulk insert with their audit rows."""
    completed_on = rules.certificate_date(delivery=delivery)
    certificates = [
        Certificate(
            delivery=delivery,
            participant=participant,
            issued_by=issued_by,
            manual_reason=manual_reason,
            code=code,
            completed_on=completed_on,
        )
        for participant, code in zip(participants, _unique_codes(len(participants)), strict=True)
    ]
    # Field checks only: the uniqueness of the code was checked above and the one-per-delivery
    # constraint is the database's (a query per row here would undo the bulk insert).
    for certificate in certificates:
        certificate.full_clean(
            exclude=["delivery", "participant", "issued_by"],
            validate_unique=False,
            validate_constraints=False,
        )
    Certificate.objects.bulk_create(certificates)
    # bulk_create sends no model signals: the audit rows are written here, in one query.
    audit.record_many(action=audit.AuditAction.CREATE, instances=certificates, actor=issued_by)
    return certificates


def _require_completed_delivery(delivery: Delivery) -> None:
    if not Delivery.objects.filter(pk=delivery.pk, status=Delivery.Status.COMPLETED).exists():
        raise ValidationError(DELIVERY_NOT_COMPLETED)


@transaction.atomic
def certificates_issue(*, delivery: Delivery, issued_by: User | None) -> list[Certificate]:
    """Issue a certificate to every participant whose enrolment was decided completed.

    The decision (completion_decide) is the rule; this only reads it. Each certificate states
    the delivery's end date, however long after it is issued. A fixed number of queries
    whatever the cohort (imports issue thousands at once).
    """
    _require_completed_delivery(delivery)
    completed = (
        Enrolment.objects.filter(delivery=delivery, status=Enrolment.Status.COMPLETED)
        .exclude(participant__certificates__delivery=delivery)
        .select_related("participant")
        .order_by("participant__full_name", "pk")
    )
    return _new_certificates(
        delivery=delivery,
        participants=[enrolment.participant for enrolment in completed],
        issued_by=issued_by,
    )


@transaction.atomic
def certificate_issue_for(
    *, delivery: Delivery, participant: Participant, issued_by: User | None
) -> Certificate:
    """One certificate by rule: refused unless that enrolment was decided completed."""
    _require_completed_delivery(delivery)
    enrolment = Enrolment.objects.filter(delivery=delivery, participant=participant).first()
    if enrolment is None or enrolment.status != Enrolment.Status.COMPLETED:
        raise ValidationError(ENROLMENT_NOT_COMPLETED % {"participant": participant.full_name})
    if Certificate.objects.filter(delivery=delivery, participant=participant).exists():
        raise ValidationError(CERTIFICATE_EXISTS)
    return _new_certificates(delivery=delivery, participants=[participant], issued_by=issued_by)[0]


@transaction.atomic
def certificate_issue_manual(
    *, delivery: Delivery, participant: Participant, reason: str, issued_by: User
) -> Certificate:
    """Staff's exception to the rules: always with a recorded reason, and marked manual."""
    if not reason.strip():
        raise ValidationError({"reason": REASON_REQUIRED})
    _check_active(delivery, participant)
    if Certificate.objects.filter(delivery=delivery, participant=participant).exists():
        raise ValidationError(CERTIFICATE_EXISTS)
    return _new_certificates(
        delivery=delivery, participants=[participant], issued_by=issued_by, manual_reason=reason.strip()
    )[0]


# --- completion ----------------------------------------------------------------------------------


def completion_decisions(*, delivery: Delivery, participant_ids: list[int]) -> dict[int, rules.Decision]:
    """The rule's decision (rules.decide_completion) for each of these people in the delivery, over
    its held sessions and their submitted post-tests, in a fixed number of queries."""
    return completion_decisions_of_deliveries({delivery: participant_ids})[delivery.pk]


def completion_decisions_of_deliveries(
    participant_ids_by_delivery: dict[Delivery, list[int]],
) -> dict[int, dict[int, rules.Decision]]:
    """completion_decisions for many deliveries, by delivery id then participant id, in a fixed
    number of queries whatever the number of deliveries (one more per course).

    Read by completion_decide, and by an import deciding the people of its past deliveries before
    inserting their enrolments (so each is decided once, dated by its delivery).
    """
    summaries = attendance_summaries_of_deliveries(participant_ids_by_delivery)
    has_test: dict[int, bool] = {}
    for delivery in participant_ids_by_delivery:
        if delivery.course_id not in has_test:
            has_test[delivery.course_id] = course_has_test(delivery.course)
    post_percent = {
        (attempt.delivery_id, attempt.participant_id): rules.score_percent(
            score=attempt.score, max_score=attempt.max_score
        )
        for attempt in Attempt.objects.filter(
            delivery__in=[delivery.pk for delivery in participant_ids_by_delivery],
            phase=Phase.POST,
            status=Attempt.Status.SUBMITTED,
        ).only("delivery_id", "participant_id", "score", "max_score")
    }
    decisions: dict[int, dict[int, rules.Decision]] = {}
    for delivery, participant_ids in participant_ids_by_delivery.items():
        decided = decisions[delivery.pk] = {}
        for participant_id in participant_ids:
            summary = summaries[delivery.pk].get(participant_id)
            decided[participant_id] = rules.decide_completion(
                attended=summary.attended if summary else 0,
                held=summary.held if summary else 0,
                minimum_percent=delivery.course.minimum_attendance_percent,
                requires_post_test=has_test[delivery.course_id],
                post_percent=post_percent.get((delivery.pk, participant_id)),
                pass_mark=delivery.course.pass_mark_percent,
            )
    return decisions


@transaction.atomic
def completion_decide(
    *,
    delivery: Delivery,
    participant_ids: Iterable[int] | None = None,
    decided_by: User | None = None,
    decided_at=None,
) -> list[Enrolment]:
    """Decide (or decide again) whether each active enrolment of a completed delivery was completed.

    Taken when the delivery is completed, over all its held sessions (assessments.rules
    .decide_completion), and again for the people concerned when a mark or a post-test score
    is corrected later. Stored on the enrolment with its basis and date; every change is in
    the audit trail. A rule-based certificate whose enrolment becomes not completed is flagged
    for review rather than revoked; one that becomes completed again is unflagged. Returns the
    enrolments whose decision changed. A delivery that is not completed has nothing to decide.
    """
    delivery = Delivery.objects.select_related("course", "region").get(pk=delivery.pk)
    if delivery.status != Delivery.Status.COMPLETED:
        return []
    enrolments = Enrolment.objects.select_for_update().filter(active_enrolment_q(), delivery=delivery)
    if participant_ids is not None:
        enrolments = enrolments.filter(participant_id__in=list(participant_ids))
    enrolments = list(enrolments)
    if not enrolments:
        return []
    decisions = completion_decisions(
        delivery=delivery, participant_ids=[enrolment.participant_id for enrolment in enrolments]
    )
    now = decided_at or timezone.now()
    changed_at = timezone.now()
    changed, now_not_completed, now_completed = [], [], []
    for enrolment in enrolments:
        decision = decisions[enrolment.participant_id]
        status = Enrolment.Status.COMPLETED if decision.completed else Enrolment.Status.NOT_COMPLETED
        if enrolment.status == status and enrolment.decision_basis == decision.basis:
            continue
        was_completed = enrolment.status == Enrolment.Status.COMPLETED
        enrolment.status, enrolment.decision_basis, enrolment.decided_at = status, decision.basis, now
        enrolment.status_changed_at = changed_at
        changed.append(enrolment)
        if was_completed and not decision.completed:
            now_not_completed.append(enrolment.participant_id)
        elif decision.completed:
            now_completed.append(enrolment.participant_id)
    if changed:
        # Status and dates take one of two values for everyone: one UPDATE per status. Only the
        # basis differs per person, and bulk_update's per-row CASE (its slow part, most of an
        # import's completion time) is then built for that one column instead of four.
        for status in sorted({enrolment.status for enrolment in changed}):
            Enrolment.objects.filter(
                pk__in=[enrolment.pk for enrolment in changed if enrolment.status == status]
            ).update(status=status, decided_at=now, status_changed_at=changed_at)
        Enrolment.objects.bulk_update(changed, ["decision_basis"])
        audit.record_many(action=audit.AuditAction.UPDATE, instances=changed, actor=decided_by)
    rule_based = Certificate.objects.filter(delivery=delivery, manual_reason="", revoked_at__isnull=True)
    if now_not_completed:
        flagged = list(rule_based.filter(participant_id__in=now_not_completed, flagged_at__isnull=True))
        for certificate in flagged:
            certificate.flagged_at, certificate.flag_reason = timezone.now(), str(FLAGGED_NOT_COMPLETED)
        Certificate.objects.bulk_update(flagged, ["flagged_at", "flag_reason"])
        audit.record_many(action=audit.AuditAction.UPDATE, instances=flagged, actor=decided_by)
    if now_completed:
        unflagged = list(rule_based.filter(participant_id__in=now_completed, flagged_at__isnull=False))
        for certificate in unflagged:
            certificate.flagged_at, certificate.flag_reason = None, ""
        Certificate.objects.bulk_update(unflagged, ["flagged_at", "flag_reason"])
        audit.record_many(action=audit.AuditAction.UPDATE, instances=unflagged, actor=decided_by)
    return changed


@transaction.atomic
def certificate_revoke(*, certificate: Certificate, reason: str, revoked_by: User) -> Certificate:
    if not reason.strip():
        raise ValidationError({"reason": REASON_REQUIRED})
    certificate = Certificate.objects.select_for_update().get(pk=certificate.pk)
    if not certificate.is_valid:
        raise ValidationError(ALREADY_REVOKED)
    certificate.revoked_at, certificate.revoked_by, certificate.revoke_reason = (
        timezone.now(),
        revoked_by,
        reason.strip(),
    )
    certificate.full_clean()
    certificate.save()
    return certificate


def new_submission_token() -> str:
    return uuid.uuid4().hex
