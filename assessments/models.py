"""Pre/post tests and certificates: what a course's test asks, what participants answered, who completed.

An `Instrument` belongs to a course (assessments → curriculum, never back) and
is translated per locale like a snippet; its questions carry the same
translation key in every locale so that item analysis can pool deliveries
held in different languages. Scores are computed by one service
(`services.attempt_score`) and every change to a submitted score is kept in
`ScoreChange`.
"""

import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel, PageChooserPanel
from wagtail.models import Orderable, TranslatableMixin

from core.enums import ChoiceLabelsOnce
from courses.models import Delivery, Participant

from .rules import certificate_date, score_percent, window_is_open

# No 0/O, 1/I/L: a code read aloud or typed from paper cannot be mistaken.
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_LENGTH = 8


def new_certificate_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


class Phase(models.TextChoices):
    PRE = "pre", _("Pre-test")
    POST = "post", _("Post-test")


class QuestionType(models.TextChoices):
    SINGLE = "single", _("Single choice")
    MULTIPLE = "multiple", _("Multiple choice")
    TRUE_FALSE = "true_false", _("True or false")
    LIKERT = "likert", _("Attitude scale 1–5 (not scored)")
    SHORT_TEXT = "short_text", _("Short text (scored by hand)")


CHOICE_TYPES = (QuestionType.SINGLE, QuestionType.MULTIPLE)
SCORED_TYPES = (QuestionType.SINGLE, QuestionType.MULTIPLE, QuestionType.TRUE_FALSE, QuestionType.SHORT_TEXT)


class Instrument(TranslatableMixin, ClusterableModel):
    """A course's test, taken before (pre) and after (post) each delivery of the course."""

    course = models.ForeignKey(
        "curriculum.CoursePage",
        on_delete=models.PROTECT,
        related_name="assessment_instruments",
        verbose_name=_("course"),
    )
    title = models.CharField(_("title"), max_length=200)
    introduction = models.TextField(_("introduction"), blank=True, help_text=_("Shown above the questions."))
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    panels = [
        PageChooserPanel("course", page_type="curriculum.CoursePage"),
        FieldPanel("title"),
        FieldPanel("introduction"),
        InlinePanel("questions", heading=_("Questions"), label=_("Question")),
    ]

    class Meta(TranslatableMixin.Meta):
        verbose_name = _("test instrument")
        verbose_name_plural = _("test instruments")

    def __str__(self) -> str:
        return self.title


class Question(TranslatableMixin, Orderable, ClusterableModel):
    """One item of an instrument. The key lives in its choices (or `true_false_key`)."""

    class MultipleScoring(models.TextChoices):
        ALL_OR_NOTHING = "all_or_nothing", _("All or nothing")
        PARTIAL = "partial", _("Partial credit")

    instrument = ParentalKey(Instrument, on_delete=models.CASCADE, related_name="questions")
    type = models.CharField(
        _("type"), max_length=16, choices=QuestionType.choices, default=QuestionType.SINGLE
    )
    text = models.TextField(_("question"))
    points = models.DecimalField(
        _("points"), max_digits=5, decimal_places=2, default=1, validators=[MinValueValidator(0)]
    )
    multiple_scoring = models.CharField(
        _("multiple-choice scoring"),
        max_length=16,
        choices=MultipleScoring.choices,
        default=MultipleScoring.ALL_OR_NOTHING,
        help_text=_("Partial credit: each right choice earns a share, each wrong choice takes one away."),
    )
    true_false_key = models.BooleanField(
        _("the statement is true"), null=True, blank=True, help_text=_("For true-or-false questions only.")
    )

    panels = [
        FieldPanel("type"),
        FieldPanel("text"),
        MultiFieldPanel(
            [FieldPanel("points"), FieldPanel("multiple_scoring"), FieldPanel("true_false_key")],
            heading=_("Scoring"),
        ),
        InlinePanel("choices", heading=_("Choices"), label=_("Choice")),
    ]

    class Meta(TranslatableMixin.Meta, Orderable.Meta):
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        constraints = [
            models.CheckConstraint(condition=models.Q(points__gte=0), name="question_points_not_negative"),
        ]

    def __str__(self) -> str:
        return self.text[:80]

    @property
    def is_scored(self) -> bool:
        return self.type in SCORED_TYPES

    def clean(self) -> None:
        if self.type == QuestionType.TRUE_FALSE and self.true_false_key is None:
            raise ValidationError({"true_false_key": _("Say whether the statement is true or false.")})


class Choice(Orderable):
    """A possible answer to a single- or multiple-choice question."""

    question = ParentalKey(Question, on_delete=models.CASCADE, related_name="choices")
    text = models.CharField(_("choice"), max_length=500)
    is_correct = models.BooleanField(_("correct"), default=False)

    panels = [FieldPanel("text"), FieldPanel("is_correct")]

    class Meta(Orderable.Meta):
        verbose_name = _("choice")
        verbose_name_plural = _("choices")

    def __str__(self) -> str:
        return self.text


class TestWindow(models.Model):
    """When a delivery's pre or post test can be taken online; opened and closed by its trainers or staff."""

    delivery = models.ForeignKey(Delivery, on_delete=models.CASCADE, related_name="test_windows")
    phase = models.CharField(_("phase"), max_length=8, choices=Phase.choices)
    opened_at = models.DateTimeField(_("opened at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("test window")
        verbose_name_plural = _("test windows")
        constraints = [
            models.UniqueConstraint(fields=["delivery", "phase"], name="test_window_one_per_phase"),
            models.CheckConstraint(
                condition=models.Q(phase__in=list(Phase.values)), name="test_window_phase"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.delivery_id} {self.phase}"

    @property
    def is_open(self) -> bool:
        return window_is_open(opened_at=self.opened_at, closed_at=self.closed_at)


class Attempt(ChoiceLabelsOnce, models.Model):
    """A participant's pre or post test in a delivery: a draft while typing, then submitted once."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")

    class Source(models.TextChoices):
        ONLINE = "online", _("Online")
        PAPER = "paper", _("Paper")

    delivery = models.ForeignKey(Delivery, on_delete=models.CASCADE, related_name="attempts")
    participant = models.ForeignKey(Participant, on_delete=models.PROTECT, related_name="attempts")
    instrument = models.ForeignKey(Instrument, on_delete=models.PROTECT, related_name="attempts")
    phase = models.CharField(_("phase"), max_length=8, choices=Phase.choices)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.DRAFT)
    source = models.CharField(_("source"), max_length=8, choices=Source.choices, default=Source.ONLINE)
    submission_token = models.CharField(max_length=64, blank=True)
    score = models.DecimalField(_("score"), max_digits=8, decimal_places=2, default=0)
    max_score = models.DecimalField(_("maximum score"), max_digits=8, decimal_places=2, default=0)
    needs_marking = models.BooleanField(_("short answers to mark"), default=False)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Who typed in a paper test."),
    )
    started_at = models.DateTimeField(auto_now_add=True)
    # Indexed: every report reads its maximum to know whether a score changed.
    updated_at = models.DateTimeField(auto_now=True, db_index=True)
    submitted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("attempt")
        verbose_name_plural = _("attempts")
        constraints = [
            # One row per phase: the draft becomes the submitted attempt, so a retry finds it.
            models.UniqueConstraint(
                fields=["delivery", "participant", "phase"], name="attempt_one_per_delivery_participant_phase"
            ),
            models.CheckConstraint(condition=models.Q(phase__in=list(Phase.values)), name="attempt_phase"),
            models.CheckConstraint(
                condition=models.Q(status="draft") | models.Q(submitted_at__isnull=False),
                name="attempt_submitted_has_time",
            ),
            models.CheckConstraint(
                condition=models.Q(score__gte=0, max_score__gte=0), name="attempt_score_not_negative"
            ),
        ]
        indexes = [models.Index(fields=["delivery", "phase", "status"])]

    def __str__(self) -> str:
        return f"{self.participant_id} {self.delivery_id} {self.phase}"

    @property
    def is_submitted(self) -> bool:
        return self.status == self.Status.SUBMITTED

    @property
    def percent(self) -> float | None:
        return score_percent(score=self.score, max_score=self.max_score)


class Answer(models.Model):
    """One answer of an attempt: chosen choices, or a value (true/false, 1–5, text), and its score."""

    attempt = models.ForeignKey(Attempt, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="answers")
    choices = models.ManyToManyField(Choice, blank=True, related_name="answers")
    value = models.TextField(_("answer"), blank=True)
    score = models.DecimalField(_("score"), max_digits=6, decimal_places=2, null=True, blank=True)
    # A hand mark (short text, or a per-question score typed from paper) that rescoring keeps.
    manual_score = models.DecimalField(_("mark"), max_digits=6, decimal_places=2, null=True, blank=True)
    marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        constraints = [
            models.UniqueConstraint(fields=["attempt", "question"], name="answer_one_per_question"),
            models.CheckConstraint(
                condition=models.Q(manual_score__isnull=True) | models.Q(manual_score__gte=0),
                name="answer_manual_score_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.attempt_id}/{self.question_id}"


class ScoreChange(models.Model):
    """History: a submitted attempt's score before and after a key correction or a hand mark."""

    attempt = models.ForeignKey(Attempt, on_delete=models.CASCADE, related_name="score_changes")
    old_score = models.DecimalField(max_digits=8, decimal_places=2)
    new_score = models.DecimalField(max_digits=8, decimal_places=2)
    old_max_score = models.DecimalField(max_digits=8, decimal_places=2)
    new_max_score = models.DecimalField(max_digits=8, decimal_places=2)
    reason = models.CharField(_("reason"), max_length=300)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    changed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-changed_at", "-pk"]
        verbose_name = _("score change")
        verbose_name_plural = _("score changes")

    def __str__(self) -> str:
        return f"{self.attempt_id}: {self.old_score} → {self.new_score}"


class Certificate(models.Model):
    """Proof that a participant completed a delivery; anyone can check its code."""

    delivery = models.ForeignKey(Delivery, on_delete=models.PROTECT, related_name="certificates")
    participant = models.ForeignKey(Participant, on_delete=models.PROTECT, related_name="certificates")
    code = models.CharField(
        _("verification code"), max_length=CODE_LENGTH, unique=True, default=new_certificate_code
    )
    issued_at = models.DateTimeField(_("issued at"), auto_now_add=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    manual_reason = models.TextField(
        _("reason for issuing by hand"), blank=True, help_text=_("Empty when the completion rules were met.")
    )
    # The date the certificate states: the delivery's last day in its region, not the day it was
    # printed, so a certificate issued for a past delivery (or re-issued) tells the truth.
    completed_on = models.DateField(_("completed on"))
    # A later correction made the enrolment "not completed": staff review the rule-based
    # certificate (revoke it or keep it with a manual reason) instead of it vanishing silently.
    flagged_at = models.DateTimeField(_("flagged for review at"), null=True, blank=True)
    flag_reason = models.CharField(_("reason for review"), max_length=300, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    revoke_reason = models.TextField(_("reason for revoking"), blank=True)

    class Meta:
        ordering = ["participant__full_name"]
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")
        constraints = [
            models.UniqueConstraint(fields=["delivery", "participant"], name="certificate_one_per_delivery"),
            models.CheckConstraint(
                condition=models.Q(revoked_at__isnull=True) | ~models.Q(revoke_reason=""),
                name="certificate_revoked_with_reason",
            ),
            models.CheckConstraint(
                condition=models.Q(flagged_at__isnull=True) | ~models.Q(flag_reason=""),
                name="certificate_flagged_with_reason",
            ),
        ]

    def __str__(self) -> str:
        return self.display_code

    def save(self, *args, **kwargs):
        # The stated date is derived when a caller (a factory, the shell) gave none: see certificate_date.
        if self.completed_on is None and self.delivery_id:
            self.completed_on = certificate_date(delivery=self.delivery)
        super().save(*args, **kwargs)

    @property
    def is_valid(self) -> bool:
        return self.revoked_at is None

    @property
    def is_manual(self) -> bool:
        return bool(self.manual_reason)

    @property
    def needs_review(self) -> bool:
        return self.flagged_at is not None and self.revoked_at is None

    @property
    def display_code(self) -> str:
        return f"{self.code[:4]}-{self.code[4:]}"


def parse_certificate_code(raw: str) -> str | None:
    """The stored form of a code typed by a person (any case, spaces or a dash), or None if malformed."""
    code = "".join(raw.split()).replace("-", "").upper()
    if len(code) != CODE_LENGTH or any(letter not in CODE_ALPHABET for letter in code):
        return None
    return code
