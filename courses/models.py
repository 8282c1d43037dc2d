"""Where training happens and who takes part: reference geography, organisations and participants."""

import zoneinfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.enums import Audience, OrganisationType, Sex


def validate_timezone(value: str) -> None:
    if value not in zoneinfo.available_timezones():
        raise ValidationError(_("%(value)s is not a known time zone."), params={"value": value})


class Country(models.Model):
    """A country the programme works in; deliveries and regions belong to one."""

    iso_code = models.CharField(_("ISO code"), max_length=2, unique=True)
    name = models.CharField(_("name"), max_length=100)
    timezone = models.CharField(_("time zone"), max_length=64, validators=[validate_timezone])

    class Meta:
        ordering = ["name"]
        verbose_name = _("country")
        verbose_name_plural = _("countries")

    def __str__(self) -> str:
        return self.name


class Region(models.Model):
    """A first-level region (ISO 3166-2). Sessions are shown in the region's time zone."""

    country = models.ForeignKey(Country, on_delete=models.PROTECT, related_name="regions")
    iso_code = models.CharField(_("ISO 3166-2 code"), max_length=6, unique=True)
    name = models.CharField(_("name"), max_length=100)
    timezone = models.CharField(_("time zone"), max_length=64, validators=[validate_timezone])
    coordinators = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="coordinated_regions",
        verbose_name=_("regional coordinators"),
        help_text=_("Users in the Regional coordinator role who plan and report for this region."),
    )

    class Meta:
        ordering = ["country__name", "name"]
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(iso_code__regex=r"^[A-Z]{2}-[A-Z0-9]{1,3}$"),
                name="region_iso_code_format",
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.timezone)


class Organisation(models.Model):
    """A participant's employer or an implementing partner."""

    name = models.CharField(_("name"), max_length=255)
    type = models.CharField(_("type"), max_length=32, choices=OrganisationType.choices)
    country = models.ForeignKey(Country, on_delete=models.PROTECT, related_name="organisations")
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, null=True, blank=True, related_name="organisations"
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        constraints = [
            models.UniqueConstraint(fields=["name", "country"], name="organisation_unique_name_per_country"),
        ]

    def __str__(self) -> str:
        return self.name


class Participant(models.Model):
    """A person trained. Counted once in "people trained", however many deliveries they attend."""

    full_name = models.CharField(
        _("full name"), max_length=200, help_text=_("As the person writes it, usually in Cyrillic.")
    )
    latin_name = models.CharField(_("name in Latin letters"), max_length=200, blank=True)
    sex = models.CharField(_("sex"), max_length=10, choices=Sex.choices)
    year_of_birth = models.PositiveSmallIntegerField(_("year of birth"), null=True, blank=True)
    audience = models.CharField(_("audience"), max_length=32, choices=Audience.choices)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="participants"
    )
    position = models.CharField(_("position or rank"), max_length=200, blank=True)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="participants")
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="participant",
    )
    consent_date = models.DateField(_("consent date"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["full_name"]
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(year_of_birth__isnull=True)
                | models.Q(year_of_birth__gte=1920, year_of_birth__lte=2030),
                name="participant_plausible_year_of_birth",
            ),
        ]
        indexes = [models.Index(fields=["region", "audience", "sex"])]

    def __str__(self) -> str:
        return self.full_name
