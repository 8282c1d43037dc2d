"""The submit scores the answers it has just written without reading them back
(services._write_answers returns them; issue 18). What it returns must be what the database holds:
after drafts that create, change, re-choose and clear answers, the submitted score equals a fresh
scoring of the stored answers, and every answer's stored score is what a fresh scoring gives."""

import pytest

from courses.tests.factories import DeliveryFactory, EnrolmentFactory

from .. import services
from ..models import Answer, Attempt, Phase, QuestionType
from ..services import AnswerInput
from .factories import add_question, make_instrument, open_window, right_choice, single, wrong_choice

pytestmark = pytest.mark.django_db


def _stored(attempt: Attempt) -> dict[int, tuple]:
    return {
        answer.question_id: (answer.value, sorted(choice.pk for choice in answer.choices.all()), answer.score)
        for answer in Answer.objects.filter(attempt=attempt).prefetch_related("choices")
    }


def test_the_submitted_score_is_the_score_of_what_is_stored():
    delivery = DeliveryFactory()
    instrument = make_instrument(delivery.course)
    participant = EnrolmentFactory(delivery=delivery).participant
    open_window(delivery, Phase.PRE)
    kept, changed, cleared, added = (single(instrument, f"Q{n}") for n in range(4))
    many = add_question(
        instrument, QuestionType.MULTIPLE, "Many", [("a", True), ("b", False), ("c", True)], points=2
    )
    text = add_question(instrument, QuestionType.SHORT_TEXT, "Why?")
    a, b, c = many.choices.order_by("sort_order")
    services.attempt_save_draft(
        delivery=delivery,
        participant=participant,
        phase=Phase.PRE,
        answers={
            kept.pk: right_choice(kept),
            changed.pk: right_choice(changed),
            cleared.pk: right_choice(cleared),
            many.pk: AnswerInput(choice_ids=[a.pk, b.pk]),
        },
    )
    attempt, accepted = services.attempt_submit(
        delivery=delivery,
        participant=participant,
        phase=Phase.PRE,
        token="the-submit",
        answers={
            kept.pk: right_choice(kept),  # unchanged
            changed.pk: wrong_choice(changed),  # another option
            cleared.pk: AnswerInput(),  # cleared
            added.pk: right_choice(added),  # new
            many.pk: AnswerInput(choice_ids=[a.pk, c.pk]),  # re-chosen, now right
            text.pk: AnswerInput(value="Доверие"),  # new, waits for a hand mark
        },
    )
    assert accepted
    submitted = (attempt.score, attempt.max_score, attempt.needs_marking)
    stored_before = _stored(attempt)
    assert set(stored_before) == {kept.pk, changed.pk, added.pk, many.pk, text.pk}

    rescored = services.attempt_score(attempt=Attempt.objects.get(pk=attempt.pk))
    assert (rescored.score, rescored.max_score, rescored.needs_marking) == submitted
    assert _stored(attempt) == stored_before
    assert submitted[0] == 1 + 1 + 2  # kept, added and the multiple choice; changed is wrong
    assert submitted[2] is True  # the short text
