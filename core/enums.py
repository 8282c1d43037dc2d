"""Choices shared across apps: who a participant is, for the figures donors ask for (every app may import these),
and the label lookup their models use."""

import functools

from django.db import models
from django.utils.encoding import force_str
from django.utils.translation import gettext_lazy as _


@functools.cache
def _choice_labels(field: models.Field) -> dict:
    return dict(field.flatchoices)


class ChoiceLabelsOnce:
    """A model's `get_FOO_display()` read from a table of the field's labels made once per process.

    Django's own builds a dict of the field's choices on every call (~50 µs on the bench machine):
    a delivery's page of forty enrolments spent ~4 ms on their statuses and audiences (issue 18).
    The labels stay lazy, so each call still speaks the active language. Our choices are fixed in
    code; a field whose choices change at run time must not use this.
    """

    def _get_FIELD_display(self, field):
        value = getattr(self, field.attname)
        try:
            label = _choice_labels(field).get(value, value)
        except TypeError:  # an unhashable value: Django's own lookup makes it hashable
            return super()._get_FIELD_display(field)
        return force_str(label, strings_only=True)


class Sex(models.TextChoices):
    FEMALE = "female", _("Female")
    MALE = "male", _("Male")


class Audience(models.TextChoices):
    POLICE = "police", _("Police")
    CIVIL_SOCIETY = "civil_society", _("Civil society")
    LOCAL_AUTHORITIES = "local_authorities", _("Local authorities")
    YOUTH = "youth", _("Youth")
    COMMUNITY = "community", _("Community")


class OrganisationType(models.TextChoices):
    """An organisation's kind. Where it names an audience it uses that Audience's code (one
    vocabulary for participants, enrolments, organisations and reports; courses migration 0009
    mapped the old local_authority and youth_group); school, ministry and international are kinds
    of organisation only."""

    POLICE = "police", _("Police department")
    CIVIL_SOCIETY = "civil_society", _("Civil-society organisation")
    LOCAL_AUTHORITY = "local_authorities", _("Local authority")
    SCHOOL = "school", _("School")
    MINISTRY = "ministry", _("Ministry")
    YOUTH_GROUP = "youth", _("Youth group")
    INTERNATIONAL = "international", _("International organisation")
