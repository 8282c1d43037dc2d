"""The curriculum as Wagtail pages: a catalogue of courses, each made of modules.

Curriculum sits at the bottom of the dependency chain (curriculum ← courses ←
attendance ← assessments ← reports): it imports nothing from the apps above it.
"""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.models import Page


class CourseIndexPage(Page):
    """The course catalogue at /courses/."""

    introduction = models.TextField(_("introduction"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("introduction")]
    parent_page_types = ["core.HomePage"]
    subpage_types = ["curriculum.CoursePage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("course catalogue")


class CoursePage(Page):
    """A course: what it teaches, to whom, and what completing it takes."""

    summary = models.TextField(_("summary"), blank=True)
    minimum_attendance_percent = models.PositiveSmallIntegerField(
        _("minimum attendance %"),
        default=80,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
        help_text=_("Share of sessions a participant must attend to complete the course."),
    )
    pass_mark_percent = models.PositiveSmallIntegerField(
        _("post-test pass mark %"),
        default=70,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )

    content_panels = Page.content_panels + [
        FieldPanel("summary"),
        MultiFieldPanel(
            [FieldPanel("minimum_attendance_percent"), FieldPanel("pass_mark_percent")],
            heading=_("Completion rules"),
        ),
    ]
    parent_page_types = ["curriculum.CourseIndexPage"]
    subpage_types = ["curriculum.ModulePage"]

    class Meta:
        verbose_name = _("course")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(minimum_attendance_percent__lte=100, pass_mark_percent__lte=100),
                name="course_percentages_at_most_100",
            )
        ]


class ModulePage(Page):
    """One module of a course, in the order of the page tree."""

    duration_minutes = models.PositiveIntegerField(_("duration (minutes)"), default=60)

    content_panels = Page.content_panels + [FieldPanel("duration_minutes")]
    parent_page_types = ["curriculum.CoursePage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("module")
