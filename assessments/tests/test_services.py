"""Scoring for each question type, the one-attempt constraint, idempotent submit, windows and bad input."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from courses.tests.factories import DeliveryFactory, EnrolmentFactory, ParticipantFactory

from .. import services
from ..models import Answer, Attempt, Phase, QuestionType, ScoreChange
from ..services import AnswerInput
from .factories import add_question, make_instrument, open_window, right_choice, single, wrong_choice

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup():
    delivery = DeliveryFactory()
    instrument = make_instrument(delivery.course)
    participant = EnrolmentFactory(delivery=delivery).participant
    open_window(delivery, Phase.PRE)
    return delivery, instrument, participant


def submit(delivery, participant, answers, phase=Phase.PRE, token="t1"):
    return services.attempt_submit(
        delivery=delivery, participant=participant, phase=phase, answers=answers, token=token
    )


class TestScoring:
    def test_single_choice_right_and_wrong(self, setup):
        delivery, instrument, participant = setup
        first, second = single(instrument, "A"), single(instrument, "B")
        attempt, _ = submit(
            delivery, participant, {first.pk: right_choice(first), second.pk: wrong_choice(second)}
        )
        assert (attempt.score, attempt.max_score) == (Decimal(1), Decimal(2))
        assert attempt.percent == 50

    def test_multiple_all_or_nothing_needs_exactly_the_right_set(self, setup):
        delivery, instrument, participant = setup
        question = add_question(
            instrument, QuestionType.MULTIPLE, "M", [("a", True), ("b", True), ("c", False)], points=2
        )
        a, b, _c = question.choices.all()
        attempt, _ = submit(delivery, participant, {question.pk: AnswerInput(choice_ids=[a.pk])})
        assert attempt.score == 0
        other = EnrolmentFactory(delivery=delivery).participant
        attempt, _ = submit(delivery, other, {question.pk: AnswerInput(choice_ids=[a.pk, b.pk])})
        assert attempt.score == 2

    @pytest.mark.parametrize(
        ("picked", "expected"),
        [("a", "1.00"), ("ab", "2.00"), ("ac", "0.00"), ("abc", "1.00"), ("", "0.00")],
    )
    def test_multiple_partial_credit(self, setup, picked, expected):
        delivery, instrument, participant = setup
        question = add_question(
            instrument,
            QuestionType.MULTIPLE,
            "M",
            [("a", True), ("b", True), ("c", False)],
            points=2,
            multiple_scoring="partial",
        )
        by_text = {choice.text: choice.pk for choice in question.choices.all()}
        attempt, _ = submit(
            delivery, participant, {question.pk: AnswerInput(choice_ids=[by_text[x] for x in picked])}
        )
        assert attempt.score == Decimal(expected)

    def test_true_false(self, setup):
        delivery, instrument, participant = setup
        true_q = add_question(instrument, QuestionType.TRUE_FALSE, "T", true_false_key=True)
        false_q = add_question(instrument, QuestionType.TRUE_FALSE, "F", true_false_key=False)
        attempt, _ = submit(
            delivery,
            participant,
            {true_q.pk: AnswerInput(value="true"), false_q.pk: AnswerInput(value="true")},
        )
        assert (attempt.score, attempt.max_score) == (1, 2)

    def test_likert_is_reported_not_scored(self, setup):
        delivery, instrument, participant = setup
        question = single(instrument)
        likert = add_question(instrument, QuestionType.LIKERT, "Police should listen to residents.")
        attempt, _ = submit(
            delivery, participant, {question.pk: right_choice(question), likert.pk: AnswerInput(value="5")}
        )
        assert (attempt.score, attempt.max_score) == (1, 1)
        assert Answer.objects.get(question=likert).value == "5"

    def test_short_text_waits_for_a_hand_mark(self, setup, make_user):
        delivery, instrument, participant = setup
        question = add_question(instrument, QuestionType.SHORT_TEXT, "Name two partners", points=2)
        attempt, _ = submit(delivery, participant, {question.pk: AnswerInput(value="school, mahalla")})
        assert attempt.needs_marking and attempt.score == 0 and attempt.max_score == 2
        trainer = make_user(None)
        attempt = services.answer_mark(answer=attempt.answers.get(), points=Decimal("1.5"), marked_by=trainer)
        assert not attempt.needs_marking and attempt.score == Decimal("1.5")
        assert ScoreChange.objects.get(attempt=attempt).new_score == Decimal("1.5")
        with pytest.raises(ValidationError):
            services.answer_mark(answer=attempt.answers.get(), points=Decimal(3), marked_by=trainer)

    def test_correcting_a_key_rescores_and_keeps_history(self, setup, make_user):
        delivery, instrument, participant = setup
        question = single(instrument, correct=0)
        wrong = question.choices.get(sort_order=1)
        attempt, _ = submit(delivery, participant, {question.pk: AnswerInput(choice_ids=[wrong.pk])})
        assert attempt.score == 0
        question.choices.update(is_correct=False)
        wrong.is_correct = True
        wrong.save()
        editor = make_user(None)
        changed = services.instrument_rescore(
            instrument=instrument, changed_by=editor, reason="Key corrected"
        )
        attempt.refresh_from_db()
        assert changed == 1 and attempt.score == 1
        change = ScoreChange.objects.get(attempt=attempt)
        assert (change.old_score, change.new_score, change.changed_by, change.reason) == (
            0,
            1,
            editor,
            "Key corrected",
        )


class TestSubmission:
    def test_database_allows_one_attempt_per_delivery_participant_phase(self, setup):
        delivery, instrument, participant = setup
        Attempt.objects.create(
            delivery=delivery, participant=participant, instrument=instrument, phase=Phase.PRE
        )
        with pytest.raises(IntegrityError), transaction.atomic():
            Attempt.objects.create(
                delivery=delivery, participant=participant, instrument=instrument, phase=Phase.PRE
            )

    def test_a_retry_returns_the_same_attempt(self, setup):
        delivery, instrument, participant = setup
        question = single(instrument)
        first, accepted = submit(delivery, participant, {question.pk: right_choice(question)})
        # The same submission again (a lost response, a double tap): the first result, unchanged.
        replay, replay_accepted = submit(delivery, participant, {question.pk: wrong_choice(question)})
        assert accepted and replay_accepted
        assert replay.pk == first.pk and replay.score == 1
        # Another form's submission after it was submitted: refused as already submitted.
        other, other_accepted = submit(
            delivery, participant, {question.pk: wrong_choice(question)}, token="t2"
        )
        assert not other_accepted and other.pk == first.pk and other.score == 1
        assert Attempt.objects.count() == 1

    def test_a_draft_becomes_the_submitted_attempt(self, setup):
        delivery, instrument, participant = setup
        question = single(instrument)
        draft = services.attempt_save_draft(
            delivery=delivery,
            participant=participant,
            phase=Phase.PRE,
            answers={question.pk: right_choice(question)},
        )
        attempt, _ = submit(delivery, participant, {question.pk: right_choice(question)})
        assert attempt.pk == draft.pk and attempt.is_submitted

    def test_submit_after_window_closed_is_refused_and_saves_nothing(self, setup):
        delivery, instrument, participant = setup
        question = single(instrument)
        services.window_close(delivery=delivery, phase=Phase.PRE, user=None)
        with pytest.raises(ValidationError) as error:
            submit(delivery, participant, {question.pk: right_choice(question)})
        assert error.value.messages == [str(services.WINDOW_CLOSED)]
        assert not Attempt.objects.exists()

    def test_post_window_is_separate_from_pre(self, setup):
        delivery, instrument, participant = setup
        question = single(instrument)
        with pytest.raises(ValidationError):
            submit(delivery, participant, {question.pk: right_choice(question)}, phase=Phase.POST)
        open_window(delivery, Phase.POST)
        attempt, _ = submit(delivery, participant, {question.pk: right_choice(question)}, phase=Phase.POST)
        assert attempt.phase == Phase.POST

    def test_reopening_a_window_clears_its_close(self, setup):
        delivery, _instrument, _participant = setup
        window = services.window_close(delivery=delivery, phase=Phase.PRE, user=None)
        assert not window.is_open
        assert open_window(delivery, Phase.PRE).is_open


class TestBadInput:
    def test_answer_to_another_instruments_question(self, setup):
        delivery, instrument, participant = setup
        single(instrument)
        foreign = single(make_instrument(title="Other"))
        with pytest.raises(ValidationError) as error:
            submit(delivery, participant, {foreign.pk: right_choice(foreign)})
        assert error.value.messages == [str(services.FOREIGN_QUESTION)]
        assert not Attempt.objects.exists()

    def test_unknown_choice(self, setup):
        delivery, instrument, participant = setup
        question, other = single(instrument), single(instrument, "other")
        with pytest.raises(ValidationError) as error:
            submit(delivery, participant, {question.pk: right_choice(other)})
        assert error.value.messages == [str(services.UNKNOWN_CHOICE)]
        assert not Attempt.objects.exists()

    def test_two_choices_for_a_single_choice_question(self, setup):
        delivery, instrument, participant = setup
        question = single(instrument)
        ids = list(question.choices.values_list("pk", flat=True))
        with pytest.raises(ValidationError):
            submit(delivery, participant, {question.pk: AnswerInput(choice_ids=ids[:2])})

    @pytest.mark.parametrize(
        ("kind", "value"), [(QuestionType.LIKERT, "7"), (QuestionType.TRUE_FALSE, "maybe")]
    )
    def test_out_of_range_values(self, setup, kind, value):
        delivery, instrument, participant = setup
        question = add_question(instrument, kind, "Q", true_false_key=True)
        with pytest.raises(ValidationError):
            submit(delivery, participant, {question.pk: AnswerInput(value=value)})
        assert not Attempt.objects.exists()

    def test_participant_not_enrolled(self, setup):
        delivery, instrument, _participant = setup
        question = single(instrument)
        with pytest.raises(ValidationError) as error:
            submit(delivery, ParticipantFactory(), {question.pk: right_choice(question)})
        assert error.value.messages == [str(services.NOT_ENROLLED)]

    def test_paper_rows_are_all_or_nothing(self, setup, make_user):
        delivery, instrument, participant = setup
        question = single(instrument)
        other = EnrolmentFactory(delivery=delivery).participant
        foreign = single(make_instrument(title="Other"))
        with pytest.raises(ValidationError):
            services.paper_attempts_save(
                delivery=delivery,
                phase=Phase.PRE,
                rows=[
                    services.PaperRow(participant, {question.pk: right_choice(question)}),
                    services.PaperRow(other, {foreign.pk: right_choice(foreign)}),
                ],
                entered_by=make_user(None),
            )
        assert not Attempt.objects.exists()


def test_paper_entry_records_source_and_who(setup, make_user):
    delivery, instrument, participant = setup
    question = single(instrument)
    trainer = make_user(None)
    services.paper_attempts_save(
        delivery=delivery,
        phase=Phase.POST,
        rows=[services.PaperRow(participant, {question.pk: right_choice(question)})],
        entered_by=trainer,
    )
    attempt = Attempt.objects.get()
    assert (attempt.source, attempt.entered_by, attempt.status, attempt.score) == (
        "paper",
        trainer,
        "submitted",
        1,
    )
