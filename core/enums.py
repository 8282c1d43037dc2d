"""Choices shared across apps: who a participant is, for the figures donors ask for (every app may import these)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


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
