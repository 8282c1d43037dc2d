"""A trainee's test in /api/v1/ (issue 13, docs/api.md): read it, submit it once, whatever the retries."""

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from rest_framework.test import APIClient

from accounts.roles import Role
from assessments import api
from assessments.models import Attempt, Phase, QuestionType
from assessments.services import AnswerInput, attempt_save_draft
from courses.models import Enrolment
from courses.tests.factories import DeliveryFactory, EnrolmentFactory, ParticipantFactory

from .factories import add_question, make_instrument, open_window, single, trainee_for

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def world(make_user):
    delivery = DeliveryFactory(trainers=[make_user(Role.TRAINER)])
    instrument = make_instrument(delivery.course)
    first, second = single(instrument, "First"), single(instrument, "Second")
    scale = add_question(instrument, QuestionType.LIKERT, "How sure are you?")
    participant = EnrolmentFactory(delivery=delivery, participant=ParticipantFactory()).participant
    open_window(delivery, Phase.PRE)
    return {
        "delivery": delivery,
        "questions": (first, second, scale),
        "participant": participant,
        "trainee": trainee_for(participant),
    }


def url(world, name="api:test", phase="pre", delivery=None):
    return reverse(name, kwargs={"delivery_id": (delivery or world["delivery"]).pk, "phase": phase})


def signed_in(user) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_login(user)
    return client


def submit(client, world, body, **kwargs):
    return client.post(
        url(world, "api:test_submit", **kwargs), json.dumps(body), content_type="application/json"
    )


def right_answers(world) -> dict:
    first, second, scale = world["questions"]
    return {
        str(first.pk): {"choices": [first.choices.get(is_correct=True).pk]},
        str(second.pk): {"choices": [second.choices.get(is_correct=True).pk]},
        str(scale.pk): {"text": "4"},
    }


def test_contract_urls(world):
    delivery_id = world["delivery"].pk
    assert url(world) == f"/api/v1/tests/{delivery_id}/pre/"
    assert url(world, "api:test_submit") == f"/api/v1/tests/{delivery_id}/pre/submit/"


def test_trainee_reads_questions_choices_and_kept_answers(world):
    first, second, scale = world["questions"]
    attempt_save_draft(
        delivery=world["delivery"],
        participant=world["participant"],
        phase=Phase.PRE,
        answers={
            first.pk: AnswerInput(choice_ids=[first.choices.first().pk]),
            scale.pk: AnswerInput(value="2"),
        },
    )
    response = signed_in(world["trainee"]).get(url(world))
    assert response.status_code == 200
    body = response.json()
    assert (body["delivery_id"], body["phase"], body["status"]) == (world["delivery"].pk, "pre", "open")
    assert body["title"]
    assert [q["id"] for q in body["questions"]] == [first.pk, second.pk, scale.pk]
    assert body["questions"][0]["kind"] == "single"
    assert [c["id"] for c in body["questions"][0]["choices"]] == list(
        first.choices.values_list("pk", flat=True)
    )
    assert body["answers"] == {
        str(first.pk): {"choices": [first.choices.first().pk], "text": ""},
        str(scale.pk): {"choices": [], "text": "2"},
    }


def test_closed_window_and_submitted_status(world):
    client = signed_in(world["trainee"])
    assert client.get(url(world, phase="post")).json()["status"] == "closed"
    submit(client, world, {"token": "phone-token-1", "answers": right_answers(world)})
    assert client.get(url(world)).json()["status"] == "submitted"


def test_submit_scores_once_and_repeats_are_replays(world):
    client = signed_in(world["trainee"])
    body = {"token": "phone-token-1", "answers": right_answers(world)}
    first = submit(client, world, body)
    assert first.status_code == 200
    assert first.json() | {"submitted_at": None} == {
        "accepted": True,
        "replayed": False,
        "status": "submitted",
        "submitted_at": None,
        "message": "Thank you. Your answers were submitted.",
    }
    again = submit(client, world, body)
    assert again.json()["replayed"] is True and again.json()["accepted"] is True
    assert again.json()["submitted_at"] == first.json()["submitted_at"]
    other = submit(client, world, {**body, "token": "another-token"})
    assert other.json()["accepted"] is False
    assert other.json()["message"] == "This test has already been submitted."
    attempt = Attempt.objects.get(participant=world["participant"])
    assert attempt.is_submitted and attempt.score == attempt.max_score == 2
    assert Attempt.objects.filter(participant=world["participant"]).count() == 1


def test_missing_answers_are_blank_as_on_the_page(world):
    first = world["questions"][0]
    attempt_save_draft(
        delivery=world["delivery"],
        participant=world["participant"],
        phase=Phase.PRE,
        answers={first.pk: AnswerInput(choice_ids=[first.choices.first().pk])},
    )
    submit(signed_in(world["trainee"]), world, {"token": "phone-token-2", "answers": {}})
    assert not Attempt.objects.get(participant=world["participant"]).answers.exists()


@pytest.mark.parametrize(
    "body",
    [
        {"answers": {}},
        {"token": "short", "answers": {}},
        {"token": 12345678, "answers": {}},
        {"token": "phone-token-3", "answers": []},
        {"token": "phone-token-3", "answers": {"abc": {"choices": []}}},
        {"token": "phone-token-3", "answers": {"1": "yes"}},
        {"token": "phone-token-3", "answers": {"1": {"choices": "1"}}},
        {"token": "phone-token-3", "answers": {"1": {"choices": [True]}}},
        {"token": "phone-token-3", "answers": {"1": {"choices": [2**70]}}},
        {"token": "phone-token-3", "answers": {"1": {"text": 5}}},
        ["not", "an", "object"],
    ],
)
def test_malformed_submissions_are_400(world, body):
    response = submit(signed_in(world["trainee"]), world, body)
    assert response.status_code == 400, response.content
    assert isinstance(response.json()["detail"], str)
    assert not Attempt.objects.exists()


@pytest.mark.parametrize(
    "answers",
    [
        lambda world, other: {str(other.pk): {"choices": []}},  # another test's question
        lambda world, other: {str(world["questions"][0].pk): {"choices": [other.choices.first().pk]}},
        lambda world, other: {str(world["questions"][2].pk): {"text": "9"}},
    ],
)
def test_tampered_answers_are_refused_and_nothing_is_submitted(world, answers):
    other = single(make_instrument(), "Elsewhere")
    response = submit(
        signed_in(world["trainee"]), world, {"token": "phone-token-4", "answers": answers(world, other)}
    )
    assert response.status_code == 409
    assert response.json()["detail"]
    assert not Attempt.objects.filter(status=Attempt.Status.SUBMITTED).exists()


def test_closed_window_refuses_the_submit(world):
    response = submit(
        signed_in(world["trainee"]),
        world,
        {"token": "phone-token-5", "answers": right_answers(world)},
        phase="post",
    )
    assert response.status_code == 409
    assert response.json()["detail"] == "This test is closed. Your answers were not saved; ask your trainer."


@pytest.mark.parametrize(
    ("who", "expected"),
    [("anonymous", 401), ("other_trainee", 404), ("trainer", 404), ("staff", 404), ("coordinator", 404)],
)
def test_only_the_trainee_opens_and_submits_their_test(world, make_user, who, expected):
    users = {
        "anonymous": None,
        "trainer": world["delivery"].trainers.first(),
        "staff": make_user(None),
        "coordinator": make_user(Role.REGIONAL_COORDINATOR),
    }
    if who == "other_trainee":
        users[who] = trainee_for(EnrolmentFactory(participant=ParticipantFactory()).participant)
    client = signed_in(users[who])
    assert client.get(url(world)).status_code == expected
    assert submit(client, world, {"token": "phone-token-6", "answers": {}}).status_code == expected
    assert not Attempt.objects.exists()


def test_withdrawn_trainee_and_unknown_phase_are_404(world):
    client = signed_in(world["trainee"])
    assert client.get(url(world, phase="mid")).status_code == 404
    Enrolment.objects.filter(participant=world["participant"]).update(status=Enrolment.Status.WITHDRAWN)
    assert client.get(url(world)).status_code == 404
    assert submit(client, world, {"token": "phone-token-7", "answers": {}}).status_code == 404


def test_query_counts_do_not_grow_with_questions(make_user):
    def counts(size: int) -> tuple[int, int]:
        delivery = DeliveryFactory()
        instrument = make_instrument(delivery.course)
        questions = [single(instrument, f"Q{n}") for n in range(size)]
        participant = EnrolmentFactory(delivery=delivery, participant=ParticipantFactory()).participant
        open_window(delivery, Phase.PRE)
        client = signed_in(trainee_for(participant))
        link = reverse("api:test", kwargs={"delivery_id": delivery.pk, "phase": "pre"})
        with CaptureQueriesContext(connection) as reading:
            assert client.get(link).status_code == 200
        answers = {str(q.pk): {"choices": [q.choices.first().pk]} for q in questions}
        with CaptureQueriesContext(connection) as submitting:
            response = client.post(
                link + "submit/",
                json.dumps({"token": f"speed-token-{size}", "answers": answers}),
                content_type="application/json",
            )
        assert response.status_code == 200
        return len(reading), len(submitting)

    assert counts(3) == counts(15)


def test_messages_are_constants():
    assert api.SUBMITTED and api.BAD_TOKEN and api.BAD_ANSWERS
