"""Filter fields that refuse values the database cannot hold, so a crafted query string is a
form error (the filter is dropped, or the page answers 400), never a 500.

Seen: `?course=99999999999999999999` reached SQLite as an integer it cannot store (OverflowError),
and `?date_to=9999-12-31` made the report's exclusive end (the day after) overflow Python's date.
"""

from datetime import date

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from .converters import MAX_DATABASE_ID

# Dates a programme can have: wide enough for any record, far enough from date.min/max that
# adding a day or a time zone offset cannot overflow.
EARLIEST_DATE = date(1900, 1, 1)
LATEST_DATE = date(2999, 12, 31)


def _lookup_field(model: type[models.Model], name: str | None) -> models.Field:
    field = model._meta.pk if name in (None, "", "pk") else model._meta.get_field(name)
    while field.is_relation and getattr(field, "target_field", None) is not None:
        field = field.target_field  # a multi-table child's pk is a link to its parent's
    return field


def beyond_integer_range(model: type[models.Model], field_name: str | None, value) -> bool:
    """Whether `value` is meant for an integer column but no row can hold it."""
    if not isinstance(_lookup_field(model, field_name), models.IntegerField | models.AutoField):
        return False
    try:
        number = int(str(value).strip())
    except ValueError:
        return False  # not a number: the field's own validation refuses it
    return not -MAX_DATABASE_ID - 1 <= number <= MAX_DATABASE_ID


class BoundedModelChoiceField(django_filters.fields.ModelChoiceField):
    def to_python(self, value):
        if value not in self.empty_values and beyond_integer_range(
            self.queryset.model, self.to_field_name, value
        ):
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return super().to_python(value)


class ModelChoiceFilter(django_filters.ModelChoiceFilter):
    """django-filter's ModelChoiceFilter, refusing ids beyond the database's range."""

    field_class = BoundedModelChoiceField


class BoundedDateField(forms.DateField):
    default_validators = [
        MinValueValidator(EARLIEST_DATE, message=_("Choose a date after 1900.")),
        MaxValueValidator(LATEST_DATE, message=_("Choose a date before 3000.")),
    ]


class DateFilter(django_filters.DateFilter):
    """django-filter's DateFilter, refusing dates no programme can have (EARLIEST_DATE–LATEST_DATE)."""

    field_class = BoundedDateField
