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
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from courses.models import Delivery, Participant

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
from .selectors import certificate_candidates, instrument_for_delivery

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


@transaction.atomic
def attempt_score(*, attempt: Attempt, changed_by: User | None = None, reason: str = "") -> Attempt:
    """Score every answer of an attempt against the current key and store the totals.

    The one scoring service: submission, paper entry, hand marks and key
    corrections all come here. A submitted attempt whose score changes gets a
    ScoreChange row saying who, when and why.
    """
    questions = list(
        Question.objects.filter(instrument_id=attempt.instrument_id)
        .prefetch_related("choices")
        .order_by("sort_order")
    )
    answers = {
        answer.question_id: answer
        for answer in Answer.objects.filter(attempt=attempt).prefetch_related("choices")
    }
    total, maximum, unmarked = Decimal(0), Decimal(0), False
    for question in questions:
        answer = answers.get(question.pk)
        chosen = {choice.pk for choice in answer.choices.all()} if answer else set()
        points = answer_points(question, answer, chosen)
        if question.is_scored:
            maximum += question.points
            if points is None:
                unmarked = True
            else:
                total += points
        if answer is not None and answer.score != points:
            answer.score = points
            answer.save(update_fields=["score"])
    old_score, old_max = attempt.score, attempt.max_score
    attempt.score, attempt.max_score, attempt.needs_marking = total, maximum, unmarked
    attempt.save(update_fields=["score", "max_score", "needs_marking", "updated_at"])
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


def _window_is_open(delivery: Delivery, phase: str) -> bool:
    return TestWindow.objects.filter(
        delivery=delivery, phase=phase, opened_at__isnull=False, closed_at__isnull=True
    ).exists()


# --- answers and attempts ----------------------------------------------------------------------


def _validate_answers(instrument: Instrument, answers: Mapping[int, AnswerInput]) -> dict[int, Question]:
    questions = {
        question.pk: question
        for question in Question.objects.filter(instrument=instrument).prefetch_related("choices")
    }
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


def _write_answers(attempt: Attempt, answers: Mapping[int, AnswerInput]) -> None:
    attempt.answers.all().delete()
    for question_id, given in answers.items():
        if given.is_blank:
            continue
        answer = Answer.objects.create(
            attempt=attempt,
            question_id=question_id,
            value=given.value.strip(),
            manual_score=given.manual_score,
            marked_by=attempt.entered_by if given.manual_score is not None else None,
        )
        if given.choice_ids:
            answer.choices.set(sorted(set(given.choice_ids)))


def _check_enrolled(delivery: Delivery, participant: Participant) -> None:
    if not delivery.enrolments.filter(participant=participant).exists():
        raise ValidationError(NOT_ENROLLED)


@transaction.atomic
def attempt_save_draft(
    *, delivery: Delivery, participant: Participant, phase: str, answers: Mapping[int, AnswerInput]
) -> Attempt:
    """Keep what a participant has typed so far (saved as they go when JavaScript runs)."""
    _check_enrolled(delivery, participant)
    if not _window_is_open(delivery, phase):
        raise ValidationError(WINDOW_CLOSED)
    instrument = instrument_for_delivery(delivery)
    if instrument is None:
        raise ValidationError(NO_INSTRUMENT)
    _validate_answers(instrument, answers)
    attempt, _created = Attempt.objects.select_for_update().get_or_create(
        delivery=delivery, participant=participant, phase=phase, defaults={"instrument": instrument}
    )
    if attempt.is_submitted:
        raise ValidationError(ALREADY_SUBMITTED)
    _write_answers(attempt, answers)
    attempt.save(update_fields=["updated_at"])
    return attempt


def attempt_submit(
    *,
    delivery: Delivery,
    participant: Participant,
    phase: str,
    answers: Mapping[int, AnswerInput],
    token: str,
) -> tuple[Attempt, bool]:
    """Submit a participant's test once. Returns (attempt, created_now).

    A double click or a retry after a lost response finds the submitted attempt
    and returns it unchanged; the database allows one attempt per (delivery,
    participant, phase), so even two racing requests make one.
    """
    try:
        return _attempt_submit(
            delivery=delivery, participant=participant, phase=phase, answers=answers, token=token
        )
    except IntegrityError:
        existing = Attempt.objects.get(delivery=delivery, participant=participant, phase=phase)
        if existing.is_submitted:
            return existing, False
        raise


@transaction.atomic
def _attempt_submit(
    *,
    delivery: Delivery,
    participant: Participant,
    phase: str,
    answers: Mapping[int, AnswerInput],
    token: str,
) -> tuple[Attempt, bool]:
    _check_enrolled(delivery, participant)
    existing = (
        Attempt.objects.select_for_update()
        .filter(delivery=delivery, participant=participant, phase=phase)
        .first()
    )
    if existing is not None and existing.is_submitted:
        return existing, False
    if not _window_is_open(delivery, phase):
        raise ValidationError(WINDOW_CLOSED)
    instrument = existing.instrument if existing else instrument_for_delivery(delivery)
    if instrument is None:
        raise ValidationError(NO_INSTRUMENT)
    _validate_answers(instrument, answers)
    attempt = existing or Attempt(
        delivery=delivery, participant=participant, phase=phase, instrument=instrument
    )
    attempt.status = Attempt.Status.SUBMITTED
    attempt.source = Attempt.Source.ONLINE
    attempt.submission_token = token[:64]
    attempt.submitted_at = timezone.now()
    attempt.full_clean(validate_constraints=False)
    attempt.save()
    _write_answers(attempt, answers)
    return attempt_score(attempt=attempt), True


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
    enrolled = set(delivery.enrolments.values_list("participant_id", flat=True))
    saved = 0
    for row in rows:
        if row.participant.pk not in enrolled:
            raise ValidationError(NOT_ENROLLED)
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


def _unique_code() -> str:
    while True:
        code = new_certificate_code()
        if not Certificate.objects.filter(code=code).exists():
            return code


@transaction.atomic
def certificates_issue(*, delivery: Delivery, issued_by: User | None) -> list[Certificate]:
    """Issue a certificate to every participant who met the attendance rule and the post-test pass mark."""
    issued = []
    for candidate in certificate_candidates(delivery=delivery):
        if candidate.eligible and candidate.certificate is None:
            certificate = Certificate(
                delivery=delivery, participant=candidate.participant, issued_by=issued_by, code=_unique_code()
            )
            certificate.full_clean()
            certificate.save()
            issued.append(certificate)
    return issued


@transaction.atomic
def certificate_issue_manual(
    *, delivery: Delivery, participant: Participant, reason: str, issued_by: User
) -> Certificate:
    """Staff's exception to the rules: always with a recorded reason."""
    if not reason.strip():
        raise ValidationError({"reason": REASON_REQUIRED})
    _check_enrolled(delivery, participant)
    if Certificate.objects.filter(delivery=delivery, participant=participant).exists():
        raise ValidationError(CERTIFICATE_EXISTS)
    certificate = Certificate(
        delivery=delivery,
        participant=participant,
        issued_by=issued_by,
        manual_reason=reason.strip(),
        code=_unique_code(),
    )
    certificate.full_clean()
    certificate.save()
    return certificate


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
