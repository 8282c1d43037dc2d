"""Authoring in the Wagtail admin: an instrument with nested questions and choices; a key fix re-scores."""

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from wagtail.test.utils.form_data import inline_formset, nested_form_data

from accounts.roles import Role
from courses.tests.factories import DeliveryFactory, EnrolmentFactory

from ..models import Attempt, Instrument, Phase, ScoreChange
from ..services import AnswerInput, attempt_submit
from .factories import make_instrument, open_window, single

pytestmark = pytest.mark.django_db


def editor(make_user):
    # Admin access itself is granted to the role by the curriculum app; give it here so this test stands alone.
    user = make_user(Role.CURRICULUM_EDITOR)
    user.user_permissions.add(
        Permission.objects.get(codename="access_admin", content_type__app_label="wagtailadmin")
    )
    return user


def form_data(instrument, correct_index: int) -> dict:
    questions = []
    for question in instrument.questions.order_by("sort_order"):
        choices = [
            {"id": choice.pk, "text": choice.text, "is_correct": index == correct_index}
            for index, choice in enumerate(question.choices.order_by("sort_order"))
        ]
        questions.append(
            {
                "id": question.pk,
                "type": question.type,
                "text": question.text,
                "points": "1",
                "multiple_scoring": question.multiple_scoring,
                "true_false_key": "",
                "choices": inline_formset(choices, initial=len(choices)),
            }
        )
    return nested_form_data(
        {
            "course": instrument.course.pk,
            "title": instrument.title,
            "introduction": "",
            "questions": inline_formset(questions, initial=len(questions)),
        }
    )


def test_editor_opens_the_add_form_and_a_trainer_cannot(client, make_user):
    url = reverse("wagtailsnippets_assessments_instrument:add")
    client.force_login(editor(make_user))
    response = client.get(url)
    assert response.status_code == 200 and b"questions-TOTAL_FORMS" in response.content
    client.force_login(make_user(Role.TRAINER))
    assert client.get(url).status_code in (302, 403)


def test_correcting_the_key_in_the_admin_rescores_attempts(client, make_user):
    delivery = DeliveryFactory()
    instrument = make_instrument(delivery.course)
    question = single(instrument, correct=0)
    participant = EnrolmentFactory(delivery=delivery).participant
    open_window(delivery, Phase.PRE)
    second = question.choices.get(sort_order=1)
    attempt, _ = attempt_submit(
        delivery=delivery, participant=participant, phase=Phase.PRE,
        answers={question.pk: AnswerInput(choice_ids=[second.pk])}, token="t",
    )  # fmt: skip
    assert attempt.score == 0

    author = editor(make_user)
    client.force_login(author)
    url = reverse("wagtailsnippets_assessments_instrument:edit", args=[instrument.pk])
    response = client.post(url, form_data(instrument, correct_index=1))
    assert response.status_code == 302, response.context["form"].errors if response.context else response
    second.refresh_from_db()
    assert second.is_correct
    attempt = Attempt.objects.get()
    assert attempt.score == 1
    change = ScoreChange.objects.get()
    assert (change.old_score, change.new_score, change.changed_by) == (0, 1, author)
    assert Instrument.objects.count() == 1
