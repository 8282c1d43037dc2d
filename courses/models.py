"""Where training happens and who takes part: reference geography, organisations and participants."""

import unicodedata
import zoneinfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import formats
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.collation import SORT_KEY_LENGTH, sort_key
from core.enums import Audience, ChoiceLabelsOnce, OrganisationType, Sex
from core.languages import translated_name


def normalise_name(value: str) -> str:
    """The form of a name that duplicate detection compares: case, spacing, ё/е and dashes ignored."""
    value = unicodedata.normalize("NFKC", value).casefold().replace("ё", "е")
    return " ".join(value.replace("-", " ").split())


def validate_timezone(value: str) -> None:
    if value not in zoneinfo.available_timezones():
        raise ValidationError(_("%(value)s is not a known time zone."), params={"value": value})


class NamedInLanguages(models.Model):
    """A place's name in Russian, Tajik and Kyrgyz beside its English `name` (DESIGN.md, "Languages").

    Plain columns rather than a JSON map: the Wagtail admin edits them as ordinary
    fields, and a query can read them without a JSON lookup. Everything shown to a
    reader goes through `display_name`, which follows core.languages' fallback
    (ky → ru → en), so an empty Kyrgyz name shows the Russian one.
    """

    name_ru = models.CharField(_("name in Russian"), max_length=100, blank=True)
    name_tg = models.CharField(_("name in Tajik"), max_length=100, blank=True)
    name_ky = models.CharField(_("name in Kyrgyz"), max_length=100, blank=True)

    class Meta:
        abstract = True

    @property
    def names(self) -> dict[str, str]:
        return {"en": self.name, "ru": self.name_ru, "tg": self.name_tg, "ky": self.name_ky}

    def name_in(self, language: str | None = None) -> str:
        """The name for a reader of `language` (the active language when None)."""
        return translated_name(self.names, language)

    @property
    def display_name(self) -> str:
        return self.name_in()


class Country(NamedInLanguages):
    """A country the programme works in; deliveries and regions belong to one."""

    iso_code = models.CharField(_("ISO code"), max_length=2, unique=True)
    name = models.CharField(_("name"), max_length=100)
    timezone = models.CharField(_("time zone"), max_length=64, validators=[validate_timezone])

    class Meta:
        ordering = ["name"]
        verbose_name = _("country")
        verbose_name_plural = _("countries")

    def __str__(self) -> str:
        return self.display_name


class Region(NamedInLanguages):
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
        return self.display_name

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
    # Reports rebuild their tables when this moves (an organisation's type is a report filter).
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        constraints = [
            models.UniqueConstraint(fields=["name", "country"], name="organisation_unique_name_per_country"),
        ]

    def __str__(self) -> str:
        return self.name


def _with_name_keys(participant: "Participant") -> "Participant":
    """Set the columns derived from full_name: the duplicate key and the reader's sort key."""
    participant.name_key = normalise_name(participant.full_name)
    participant.name_sort_key = sort_key(participant.full_name)
    return participant


class ParticipantQuerySet(models.QuerySet):
    """Bulk writes skip save(), so they set the derived name columns here: every import, merge,
    erasure and generator that writes people in bulk keeps them in step without knowing of them."""

    def bulk_create(self, objs, *args, **kwargs):
        objs = [_with_name_keys(participant) for participant in objs]
        return super().bulk_create(objs, *args, **kwargs)

    def bulk_update(self, objs, fields, *args, **kwargs):
        if "full_name" in fields:
            objs = [_with_name_keys(participant) for participant in objs]
            fields = [*fields, *({"name_key", "name_sort_key"} - set(fields))]
        return super().bulk_update(objs, fields, *args, **kwargs)

    def update(self, **kwargs):
        if isinstance(kwargs.get("full_name"), str):
            kwargs.setdefault("name_key", normalise_name(kwargs["full_name"]))
            kwargs.setdefault("name_sort_key", sort_key(kwargs["full_name"]))
        return super().update(**kwargs)


class Participant(ChoiceLabelsOnce, models.Model):
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
    # Derived from full_name for duplicate detection (same key + year of birth + organisation).
    name_key = models.CharField(max_length=200, editable=False, db_index=True, default="")
    # Derived from full_name so lists sort in the reader's alphabet in the database, where they are
    # paginated (core.collation): indexed, since every people list orders by it.
    name_sort_key = models.CharField(max_length=SORT_KEY_LENGTH, editable=False, db_index=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)
    # Reports rebuild their tables when this moves (sex and organisation are report dimensions);
    # indexed because every report reads its maximum.
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    objects = ParticipantQuerySet.as_manager()

    class Meta:
        ordering = ["name_sort_key", "pk"]
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

    def save(self, *args, **kwargs):
        # Derived columns, kept in step however the row is written (services, factories, admin).
        _with_name_keys(self)
        if kwargs.get("update_fields") is not None and "full_name" in kwargs["update_fields"]:
            kwargs["update_fields"] = {*kwargs["update_fields"], "name_key", "name_sort_key"}
        super().save(*args, **kwargs)


class Venue(models.Model):
    """A place where sessions are held: a police station's hall, a school, a community centre."""

    name = models.CharField(_("name"), max_length=200)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="venues")
    address = models.CharField(_("address"), max_length=300, blank=True)
    capacity = models.PositiveIntegerField(_("seats"), null=True, blank=True)

    class Meta:
        ordering = ["region__name", "name"]
        verbose_name = _("venue")
        verbose_name_plural = _("venues")
        constraints = [
            models.UniqueConstraint(fields=["region", "name"], name="venue_unique_name_per_region")
        ]

    def __str__(self) -> str:
        return self.name


class Project(models.Model):
    """A donor-funded project that deliveries are reported under."""

    name = models.CharField(_("name"), max_length=200)
    code = models.CharField(_("code"), max_length=40, unique=True)
    donor = models.CharField(_("donor"), max_length=200)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))

    class Meta:
        ordering = ["-starts_on", "name"]
        verbose_name = _("project")
        verbose_name_plural = _("projects")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")), name="project_ends_after_it_starts"
            )
        ]

    def __str__(self) -> str:
        return f"{self.code} — {self.name}"


class Delivery(ChoiceLabelsOnce, models.Model):
    """One run of a course for a cohort, in one region, with its trainers and sessions."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        OPEN = "open", _("Open for enrolment")
        IN_PROGRESS = "in_progress", _("In progress")
        COMPLETED = "completed", _("Completed")
        CANCELLED = "cancelled", _("Cancelled")

    course = models.ForeignKey(
        "curriculum.CoursePage", on_delete=models.PROTECT, related_name="deliveries", verbose_name=_("course")
    )
    country = models.ForeignKey(Country, on_delete=models.PROTECT, related_name="deliveries")
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="deliveries")
    venue = models.ForeignKey(
        Venue, on_delete=models.PROTECT, null=True, blank=True, related_name="deliveries"
    )
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES)
    trainers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="deliveries_as_trainer", verbose_name=_("trainers")
    )
    capacity = models.PositiveIntegerField(_("capacity"), default=25)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.PLANNED)
    partner_organisations = models.ManyToManyField(
        Organisation, blank=True, related_name="partnered_deliveries", verbose_name=_("partner organisations")
    )
    project = models.ForeignKey(
        Project,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="deliveries",
        verbose_name=_("project"),
    )
    cancellation_reason = models.TextField(_("reason for cancelling"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(capacity__gte=1), name="delivery_capacity_at_least_one"
            ),
            models.CheckConstraint(
                condition=~models.Q(status="cancelled") | ~models.Q(cancellation_reason=""),
                name="delivery_cancelled_with_reason",
            ),
        ]
        indexes = [models.Index(fields=["region", "status"])]

    def __str__(self) -> str:
        return f"{self.course.title} — {self.region.display_name} (#{self.pk})"


class Session(ChoiceLabelsOnce, models.Model):
    """A dated meeting of a delivery. Stored in UTC; entered and shown in the region's time zone."""

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", _("Scheduled")
        CANCELLED = "cancelled", _("Cancelled")

    delivery = models.ForeignKey(Delivery, on_delete=models.CASCADE, related_name="sessions")
    title = models.CharField(_("title"), max_length=200, blank=True)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    venue = models.ForeignKey(Venue, on_delete=models.PROTECT, null=True, blank=True, related_name="sessions")
    modules = models.ManyToManyField(
        "curriculum.ModulePage", blank=True, related_name="sessions", verbose_name=_("modules covered")
    )
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.SCHEDULED)
    # Raised on every change so calendar apps replace their copy of the event (RFC 5545 SEQUENCE).
    sequence = models.PositiveIntegerField(default=0)
    conflict_override_reason = models.TextField(_("reason for overriding a scheduling conflict"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["starts_at"]
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")), name="session_ends_after_it_starts"
            )
        ]
        indexes = [models.Index(fields=["starts_at"]), models.Index(fields=["delivery", "starts_at"])]

    def __str__(self) -> str:
        return self.title or f"{self.delivery} {self.starts_at:%Y-%m-%d}"

    @property
    def duration_hours(self) -> float:
        return (self.ends_at - self.starts_at).total_seconds() / 3600


class Enrolment(ChoiceLabelsOnce, models.Model):
    """A participant in a delivery, with the audience they attend as (what reports count them as)."""

    class Status(models.TextChoices):
        ENROLLED = "enrolled", _("Enrolled")
        WAITLISTED = "waitlisted", _("Waitlisted")
        WITHDRAWN = "withdrawn", _("Withdrawn")
        COMPLETED = "completed", _("Completed")
        NOT_COMPLETED = "not_completed", _("Not completed")

    delivery = models.ForeignKey(Delivery, on_delete=models.CASCADE, related_name="enrolments")
    participant = models.ForeignKey(Participant, on_delete=models.PROTECT, related_name="enrolments")
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.ENROLLED)
    audience = models.CharField(_("attends as"), max_length=32, choices=Audience.choices)
    enrolled_at = models.DateTimeField(_("enrolled at"), auto_now_add=True)
    # Indexed: every report reads its maximum to know whether an enrolment changed.
    status_changed_at = models.DateTimeField(_("status changed at"), auto_now=True, db_index=True)
    # The completion decision (assessments.services.completion_decide), taken once the delivery is
    # completed and taken again after a correction: when, and on what figures (attended and held
    # sessions, the minimum, the post-test percent and pass mark) so the reason can be shown later
    # even if the course's rules change.
    decided_at = models.DateTimeField(_("completion decided at"), null=True, blank=True)
    decision_basis = models.JSONField(_("completion decided on"), default=dict, blank=True)

    class Meta:
        ordering = ["enrolled_at", "pk"]
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        constraints = [
            models.UniqueConstraint(fields=["delivery", "participant"], name="enrolment_unique_per_delivery"),
            # Completed / not completed is a decision: it has a date, and nothing else has one.
            models.CheckConstraint(
                condition=(
                    models.Q(status__in=["completed", "not_completed"], decided_at__isnull=False)
                    | (
                        ~models.Q(status__in=["completed", "not_completed"])
                        & models.Q(decided_at__isnull=True)
                    )
                ),
                name="enrolment_decided_has_date",
            ),
        ]
        indexes = [models.Index(fields=["delivery", "status"])]

    def __str__(self) -> str:
        return f"{self.participant} — {self.delivery_id}"

    @property
    def is_decided(self) -> bool:
        return self.decided_at is not None

    @property
    def decision_reason(self) -> str:
        """The stored reason in the reader's language: "attended 3 of 4 held sessions (minimum 75 %); …"."""
        basis = self.decision_basis
        if not self.decided_at or not basis:
            return ""
        parts = [
            gettext("attended %(attended)s of %(held)s held sessions (minimum %(minimum)s)")
            % {
                "attended": basis["attended"],
                "held": basis["held"],
                "minimum": _percent(basis["minimum_percent"]),
            }
        ]
        if basis.get("requires_post_test"):
            if basis.get("post_percent") is None:
                parts.append(
                    gettext("no post-test (pass mark %(mark)s)") % {"mark": _percent(basis["pass_mark"])}
                )
            else:
                parts.append(
                    gettext("post-test %(score)s (pass mark %(mark)s)")
                    % {"score": _percent(basis["post_percent"], 1), "mark": _percent(basis["pass_mark"])}
                )
        return "; ".join(parts)


def _percent(value: float, places: int = 0) -> str:
    return f"{formats.number_format(value, places)} %"


class CalendarFeed(models.Model):
    """A trainer's secret link to their personal iCalendar feed; rotating the token revokes the old link."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feed"
    )
    token = models.CharField(_("token"), max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")

    def __str__(self) -> str:
        return f"{self.user} calendar feed"
