"""`get_FOO_display()` of our models reads a label table made once (core.enums.ChoiceLabelsOnce,
issue 18). It must answer what Django's own lookup answers: every choice of every field, a value
that is not a choice, in the language active at the call."""

import pytest
from django.apps import apps
from django.db import models
from django.utils import translation

from core.enums import ChoiceLabelsOnce

MODELS = [model for model in apps.get_models() if issubclass(model, ChoiceLabelsOnce)]


def test_the_models_that_print_choice_labels_on_busy_pages_use_the_table():
    names = {model._meta.label for model in MODELS}
    assert {"courses.Enrolment", "courses.Session", "courses.Delivery", "courses.Participant"} <= names


@pytest.mark.parametrize("model", MODELS, ids=lambda model: model._meta.label)
@pytest.mark.parametrize("language", ["en", "ru", "tg", "ky"])
def test_the_labels_are_djangos(model, language):
    fields = [field for field in model._meta.concrete_fields if field.choices]
    assert fields
    with translation.override(language):
        for field in fields:
            for value in [value for value, _label in field.flatchoices] + ["not-a-choice", None]:
                instance = model(**{field.attname: value})
                ours = getattr(instance, f"get_{field.name}_display")()
                assert ours == models.Model._get_FIELD_display(instance, field)
                assert isinstance(ours, str) or ours is None
