"""A trainee's test in /api/v1/ (docs/api.md): the questions and their own answers, and submitting once.

The same rules as the test page (/my/tests/<delivery>/<phase>/, views.take_test): a trainee's
own active enrolment, the attempt's own instrument, and services.attempt_submit, which is
idempotent by the submission token, so a phone that sends its queued answers again after a
lost answer makes no second attempt.
"""

from datetime import UTC

from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import ParseError
from rest_framework.response import Response
from rest_framework.views import APIView

from api.serializers import DetailSerializer
from core.converters import MAX_DATABASE_ID
from courses.models import Enrolment
from courses.rules import active_enrolment_q
from curriculum.selectors import course_title_and_language

from . import selectors, services
from .models import Attempt, Phase, QuestionType
from .services import AnswerInput

# Messages that tests check.
BAD_TOKEN = gettext_lazy("“token” must be a string of 8 to 64 characters.")
BAD_ANSWERS = gettext_lazy('“answers” must map question ids to {"choices": [choice ids], "text": "…"}.')
SUBMITTED = gettext_lazy("Thank you. Your answers were submitted.")

OPEN, SUBMITTED_STATUS, CLOSED = "open", "submitted", "closed"
CHOICE_QUESTIONS = (QuestionType.SINGLE, QuestionType.MULTIPLE)

PATH_PARAMETERS = [
    OpenApiParameter("delivery_id", OpenApiTypes.INT64, OpenApiParameter.PATH),
    OpenApiParameter("phase", str, OpenApiParameter.PATH, enum=Phase.values),
]


class ChoiceSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    text = serializers.CharField()


class QuestionSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    text = serializers.CharField()
    kind = serializers.ChoiceField(choices=QuestionType.choices, source="type")
    choices = ChoiceSerializer(many=True, source="choices.all")


class AnswerSerializer(serializers.Serializer):
    choices = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=MAX_DATABASE_ID), required=False
    )
    text = serializers.CharField(
        allow_blank=True,
        required=False,
        max_length=services.MAX_TEXT,
        help_text="Short text; “true”/“false” for true-or-false; “1”–“5” for an attitude scale.",
    )


class TestSerializer(serializers.Serializer):
    delivery_id = serializers.IntegerField()
    phase = serializers.ChoiceField(choices=Phase.choices)
    title = serializers.CharField()
    status = serializers.ChoiceField(choices=[OPEN, SUBMITTED_STATUS, CLOSED])
    questions = QuestionSerializer(many=True)
    answers = serializers.DictField(child=AnswerSerializer(), help_text="By question id.")


class SubmitInSerializer(serializers.Serializer):
    token = serializers.CharField(min_length=8, max_length=64)
    answers = serializers.DictField(child=AnswerSerializer(), help_text="By question id.")


class SubmitOutSerializer(serializers.Serializer):
    accepted = serializers.BooleanField(
        help_text="False when the test was already submitted from another form or phone."
    )
    replayed = serializers.BooleanField(
        help_text="True when this token's submission had been accepted before."
    )
    status = serializers.ChoiceField(choices=[SUBMITTED_STATUS])
    submitted_at = serializers.DateTimeField(default_timezone=UTC)
    message = serializers.CharField()


def own_enrolment(request, delivery_id: int, phase: str) -> Enrolment:
    """The trainee's own active enrolment in the delivery, as the test page finds it; else 404."""
    if phase not in Phase.values:
        raise Http404
    participant = selectors.participant_for_user(request.user)
    if participant is None:
        raise Http404
    return get_object_or_404(
        Enrolment.objects.select_related("delivery__course", "participant").filter(active_enrolment_q()),
        delivery_id=delivery_id,
        participant=participant,
    )


def _attempt_and_instrument(enrolment: Enrolment, phase: str):
    """The attempt (if any) and the instrument its questions come from: the attempt's own, else the course's."""
    attempt = Attempt.objects.filter(
        delivery=enrolment.delivery, participant=enrolment.participant, phase=phase
    ).first()
    instrument = (
        attempt.instrument if attempt is not None else selectors.instrument_for_delivery(enrolment.delivery)
    )
    if instrument is None:
        raise Http404
    return attempt, instrument


def _stored_answers(attempt: Attempt | None) -> dict[str, dict]:
    if attempt is None:
        return {}
    return {
        str(answer.question_id): {
            "choices": sorted(choice.pk for choice in answer.choices.all()),
            "text": answer.value,
        }
        for answer in attempt.answers.prefetch_related("choices")
    }


class TestView(APIView):
    @extend_schema(
        operation_id="test",
        summary="My pre- or post-test: its questions and the answers kept so far",
        parameters=PATH_PARAMETERS,
        responses={200: TestSerializer, 404: DetailSerializer},
    )
    def get(self, request, delivery_id: int, phase: str):
        enrolment = own_enrolment(request, delivery_id, phase)
        attempt, instrument = _attempt_and_instrument(enrolment, phase)
        delivery = enrolment.delivery
        if attempt is not None and attempt.is_submitted:
            state = SUBMITTED_STATUS
        else:
            state = OPEN if selectors.window_is_open(delivery, phase) else CLOSED
        # Named as the test page names it: in the delivery's language, like the test itself.
        title, _language = course_title_and_language(delivery.course, delivery.language)
        body = {
            "delivery_id": delivery.pk,
            "phase": phase,
            "title": title,
            "status": state,
            "questions": selectors.questions_with_choices(instrument.pk),
            "answers": _stored_answers(attempt),
        }
        return Response(TestSerializer(body).data)


def _id(value) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, str) and value.isascii() and value.isdigit():
        value = int(value)
    return value if isinstance(value, int) and 1 <= value <= MAX_DATABASE_ID else None


def parse_answers(raw, questions) -> dict[int, AnswerInput]:
    """Every question's answer, blank when not given (as the page's form sends the whole test).

    Shape only; whether the ids belong to the test and the values fit their question is the
    service's check (services._validate_answers), which refuses the submission as a whole.
    """
    if not isinstance(raw, dict):
        raise ParseError(BAD_ANSWERS)
    answers = {question.pk: AnswerInput() for question in questions}
    kinds = {question.pk: question.type for question in questions}
    for key, given in raw.items():
        question_id = _id(key)
        if question_id is None or not isinstance(given, dict):
            raise ParseError(BAD_ANSWERS)
        choices, text = given.get("choices", []), given.get("text", "")
        if not isinstance(choices, list) or not isinstance(text, str):
            raise ParseError(BAD_ANSWERS)
        choice_ids = [_id(choice) for choice in choices]
        if None in choice_ids:
            raise ParseError(BAD_ANSWERS)
        if kinds.get(question_id) in CHOICE_QUESTIONS or choice_ids:
            answers[question_id] = AnswerInput(choice_ids=choice_ids, value="")
        else:
            answers[question_id] = AnswerInput(value=text)
    return answers


class TestSubmitView(APIView):
    # A test of a hundred long answers in Cyrillic, each character \u-escaped, still fits.
    max_body_bytes = 2 * 1024 * 1024

    @extend_schema(
        operation_id="test_submit",
        summary="Submit my test once (idempotent by token)",
        parameters=PATH_PARAMETERS,
        request=SubmitInSerializer,
        responses={
            200: SubmitOutSerializer,
            400: DetailSerializer,
            404: DetailSerializer,
            409: DetailSerializer,
        },
    )
    def post(self, request, delivery_id: int, phase: str):
        enrolment = own_enrolment(request, delivery_id, phase)
        data = request.data
        token = data.get("token") if isinstance(data, dict) else None
        if not isinstance(token, str) or not 8 <= len(token) <= 64:
            raise ParseError(BAD_TOKEN)
        _attempt, instrument = _attempt_and_instrument(enrolment, phase)
        answers = parse_answers(data.get("answers", {}), selectors.questions_with_choices(instrument.pk))
        started = timezone.now()
        try:
            attempt, accepted = services.attempt_submit(
                delivery=enrolment.delivery,
                participant=enrolment.participant,
                phase=phase,
                answers=answers,
                token=token,
            )
        except ValidationError as error:
            # As the page answers it (409): the window closed, the enrolment was withdrawn, …
            return Response({"detail": " ".join(error.messages)}, status=status.HTTP_409_CONFLICT)
        body = {
            "accepted": accepted,
            "replayed": accepted and attempt.submitted_at < started,
            "status": SUBMITTED_STATUS,
            "submitted_at": attempt.submitted_at,
            "message": str(SUBMITTED) if accepted else str(services.ALREADY_SUBMITTED),
        }
        return Response(SubmitOutSerializer(body).data)
