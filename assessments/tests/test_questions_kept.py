"""A test's questions are kept by the process until the test changes (issue 18).

Every test page, autosave and submit reads the questions with their choices; they are kept under
the content version (assessments.selectors.questions_with_choices), and a test page with no answer
yet keeps its printed questions there too. What must hold: a kept test reads no question or
choice; a changed key, question or choice is what the next request shows and scores; a draft's
answers show only to their trainee.
"""

import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assessments import services
from assessments.models import Attempt, Phase
from assessments.selectors import questions_with_choices
from courses.tests.factories import DeliveryFactory, EnrolmentFactory

from .factories import make_instrument, open_window, right_choice, single, trainee_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def test_taker(client):
    enrolment = EnrolmentFactory(delivery=DeliveryFactory())
    instrument = make_instrument(enrolment.delivery.course)
    questions = [single(instrument, f"Question {n}") for n in range(3)]
    open_window(enrolment.delivery, Phase.PRE)
    client.force_login(trainee_for(enrolment.participant))
    url = reverse("assessments:take", args=[enrolment.delivery.pk, Phase.PRE])
    return client, url, enrolment, instrument, questions


def test_a_kept_test_reads_no_question_or_choice(test_taker):
    client, url, *_ = test_taker
    first = client.get(url)
    with CaptureQueriesContext(connection) as kept:
        second = client.get(url)
    assert second.status_code == first.status_code == 200
    assert "Question 2 option 1" in second.text
    assert not [
        q["sql"][:80] for q in kept if "assessments_question" in q["sql"] or "assessments_choice" in q["sql"]
    ]


def test_a_changed_key_scores_the_next_submit(test_taker):
    _client, _url, enrolment, instrument, questions = test_taker
    answers = {question.pk: right_choice(question) for question in questions}
    questions_with_choices(instrument.pk)  # kept, with option 0 the right one
    first = questions[0]
    first.choices.filter(is_correct=True).update(is_correct=False)  # raw: no signal, so below
    right_now = first.choices.get(sort_order=2)
    right_now.is_correct = True
    right_now.save()  # the save (as in the admin) replaces the version
    services.attempt_submit(
        delivery=enrolment.delivery,
        participant=enrolment.participant,
        phase=Phase.PRE,
        answers=answers,
        token="t" * 32,
        questions=questions_with_choices(instrument.pk),
    )
    attempt = Attempt.objects.get(participant=enrolment.participant)
    assert (attempt.score, attempt.max_score) == (Decimal(2), Decimal(3))


def test_an_added_question_and_a_reworded_choice_show_on_the_next_request(test_taker):
    client, url, _enrolment, instrument, questions = test_taker
    assert "Question 2 option 1" in client.get(url).text
    single(instrument, "A question added later")
    choice = questions[2].choices.get(sort_order=1)
    choice.text = "A reworded option"
    choice.save()
    html = client.get(url).text
    assert "A question added later" in html and "A reworded option" in html
    assert "Question 2 option 1" not in html
    questions[0].delete()
    assert "Question 0 option 0" not in client.get(url).text


def _questions_block(html: str) -> str:
    return html[html.index('<fieldset class="question') : html.index('<p class="autosave-status')]


def test_a_blank_test_is_printed_once_and_a_draft_shows_its_own_answers(test_taker):
    client, url, enrolment, _instrument, questions = test_taker
    # Made first: a new organisation or a role given replaces the content version (the receivers
    # of attendance/apps.py and courses/option_lists.py), after which the questions are read again.
    other = EnrolmentFactory(delivery=enrolment.delivery)
    other_client = Client()
    other_client.force_login(trainee_for(other.participant))
    blank = client.get(url).text
    assert " checked" not in _questions_block(blank)
    services.attempt_save_draft(
        delivery=enrolment.delivery,
        participant=enrolment.participant,
        phase=Phase.PRE,
        answers={questions[1].pk: right_choice(questions[1])},
    )
    with_draft = _questions_block(client.get(url).text)
    assert with_draft.count(" checked") == 1
    assert re.search(
        rf'name="q{questions[1].pk}" value="{right_choice(questions[1]).choice_ids[0]}" id="[^"]+" checked',
        with_draft,
    )

    # Another trainee of the delivery opens the same test blank: the kept copy, without the draft.
    with CaptureQueriesContext(connection) as kept:
        other_blank = other_client.get(url).text
    assert _questions_block(other_blank) == _questions_block(blank)
    assert " checked" not in _questions_block(other_blank)
    assert [q for q in kept if "assessments_question" in q["sql"]] == []
