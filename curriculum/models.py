"""The curriculum as Wagtail pages: a catalogue of courses, each made of modules.

Curriculum sits at the bottom of the dependency chain (curriculum ← courses ←
attendance ← assessments ← reports): it imports nothing from the apps above it.

URLs carry no language prefix, so /courses/<course>/<module>/ is the same
address in every language. Wagtail routes from the home page of the visitor's
language; where a course or module has no translation in that language the
routing falls back along core.languages' chain (tg → ru → en, ky → ru → en;
TranslationFallbackMixin) and the page shows a short notice naming the
language shown.
"""

from dataclasses import dataclass

from django import forms
from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.http import Http404
from django.utils.functional import SimpleLazyObject
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from taggit.models import TaggedItemBase
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from core.enums import Audience
from core.languages import best_translation, differs_from_page, rank

from .blocks import FACILITATOR_NOTE, ModuleBodyBlock

OBJECTIVE_FEATURES = ["bold", "italic", "ol", "ul"]


@dataclass(frozen=True)
class CourseContent:
    """What a course page reads for its main content (kept by curriculum.content_cache)."""

    modules: list
    total_minutes: int


@dataclass(frozen=True)
class ModuleContent:
    """What a module page reads for its main content (kept by curriculum.content_cache)."""

    course: "CoursePage"
    blocks: list
    previous_module: "ModulePage | None"
    next_module: "ModulePage | None"


class TranslationFallbackMixin:
    """Serve every course address in the reader's best language (core.languages: tg → ru → en,
    ky → ru → en), so a visitor never meets a 404, nor English where Russian exists, because a
    course or module has not been translated into their language yet.

    URLs carry no language prefix, so the fallback translation is served at the same address
    (with a notice, LocaleNoticeMixin) rather than redirected: there is no other address to send
    the reader to, and a redirect would lose the bookmark's meaning.
    """

    def route(self, request, path_components):
        if not path_components:
            best = self._best_translation_for_reader()
            return super(TranslationFallbackMixin, best).route(request, path_components)
        try:
            return self._route_to_child(request, path_components)
        except Http404:
            pass
        translations = list(self.get_translations().live().specific())
        translations.sort(key=lambda page: (rank(page.locale.language_code), page.pk))
        for translation in translations:
            try:
                return super(TranslationFallbackMixin, translation).route(request, path_components)
            except Http404:
                continue
        raise Http404

    def _route_to_child(self, request, path_components):
        """Page.route's step to a child in one query: the catalogue holds only courses and a course only
        modules, so the child is read as that class with its locale, where Page.route reads it as a
        plain page and then again as its specific class (issue 18: two queries per path segment)."""
        child_models = self.specific_class.allowed_subpage_models()
        if len(child_models) != 1:
            return super().route(request, path_components)
        child_model = child_models[0]
        try:
            child = child_model.objects.child_of(self).select_related("locale").get(slug=path_components[0])
        except child_model.DoesNotExist as missing:
            raise Http404 from missing
        child._cached_parent_obj = self  # as Page.route: the breadcrumb's parent needs no query
        return child.route(request, path_components[1:])

    def _best_translation_for_reader(self) -> Page:
        """This page or its live translation in the reader's best language: no query when this page is
        in the reader's own language (the usual case; nothing ranks before it), one when it is the best
        of its translations and two otherwise: the languages are read as values, not as pages with a
        locale each (issue 18: a query per translation on every course page)."""
        if rank(self.locale.language_code, get_language()) == 0:
            return self
        pages = type(self).objects
        rows = (
            pages.filter(translation_key=self.translation_key)
            .filter(models.Q(live=True) | models.Q(pk=self.pk))
            .values_list("pk", "locale__language_code")
        )
        # This page first, as before: a tie keeps it.
        candidates = sorted(rows, key=lambda row: row[0] != self.pk)
        best_pk, _language = best_translation(candidates, get_language(), language_of=lambda row: row[1])
        return self if best_pk == self.pk else pages.get(pk=best_pk)


class LocaleNoticeMixin:
    """Tell the visitor when the page they asked for is shown in another language."""

    @property
    def shown_in_other_language(self) -> bool:
        return differs_from_page(self.locale.language_code, get_language())


class AudienceOption(models.Model):
    """One of the audiences of core.enums.Audience, as a row so a course can name several."""

    code = models.CharField(_("code"), max_length=32, choices=Audience.choices, unique=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("audience")
        verbose_name_plural = _("audiences")

    def __str__(self) -> str:
        return str(Audience(self.code).label)


class CourseTopic(TaggedItemBase):
    content_object = ParentalKey(
        "curriculum.CoursePage", on_delete=models.CASCADE, related_name="topic_items"
    )


class TopicName(models.Model):
    """A topic's name in one language beside its tag's own (English) name (DESIGN.md, "Languages").

    Topics are taggit tags shared by every translation of a course, so the filter's
    slug stays one value in all languages; readers see `selectors.topic_name`, which
    follows core.languages' fallback (ky/tg → ru → en, the tag's name being English).
    """

    tag = models.ForeignKey(
        "taggit.Tag", on_delete=models.CASCADE, related_name="translated_names", verbose_name=_("topic")
    )
    language = models.CharField(
        _("language"), max_length=8, choices=[item for item in settings.LANGUAGES if item[0] != "en"]
    )
    name = models.CharField(_("name"), max_length=100)

    class Meta:
        verbose_name = _("topic name")
        verbose_name_plural = _("topic names")
        ordering = ["tag__name", "language"]
        constraints = [
            models.UniqueConstraint(fields=["tag", "language"], name="curriculum_topicname_one_per_language")
        ]

    def __str__(self) -> str:
        return f"{self.tag.name} ({self.language}): {self.name}"


class ContentVersion(models.Model):
    """One row: a token replaced by every change to what is kept under it.

    The catalogue, course and module pages keep their main content in each process's cache
    under this token (curriculum.content_cache), as do the deliveries filter its options
    (courses.option_lists), the roster its walk-in form (attendance.views) and each test its
    questions (assessments.selectors), so a change shows on the next request in every process.
    """

    token = models.CharField(max_length=32)
    changed_at = models.DateTimeField()

    class Meta:
        constraints = [models.CheckConstraint(condition=models.Q(id=1), name="content_version_one_row")]

    def __str__(self) -> str:
        return f"curriculum content {self.token} ({self.changed_at:%Y-%m-%d %H:%M})"


class CourseIndexPage(TranslationFallbackMixin, Page):
    """The course catalogue at /courses/."""

    introduction = models.TextField(_("introduction"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("introduction")]
    parent_page_types = ["core.HomePage"]
    subpage_types = ["curriculum.CoursePage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("course catalogue")

    def get_context(self, request, *args, **kwargs):
        from .content_cache import catalogue_query, content_cache_key
        from .views import catalogue_context

        context = super().get_context(request, *args, **kwargs)
        # Read only when the kept content is missing (templatetags/kept_content.py).
        context["listing"] = SimpleLazyObject(lambda: catalogue_context(request, catalogue=self))
        context["content_cache_key"] = content_cache_key(request, self, catalogue_query(request))
        return context


class CoursePage(TranslationFallbackMixin, LocaleNoticeMixin, Page):
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
    audiences = ParentalManyToManyField(AudienceOption, blank=True, verbose_name=_("audiences"))
    topics = ClusterTaggableManager(
        through=CourseTopic,
        blank=True,
        verbose_name=_("topics"),
        help_text=_("E.g. gender, human rights, youth."),
    )
    learning_objectives = RichTextField(_("learning objectives"), blank=True, features=OBJECTIVE_FEATURES)

    content_panels = Page.content_panels + [
        FieldPanel("summary"),
        FieldPanel("learning_objectives"),
        MultiFieldPanel(
            [FieldPanel("audiences", widget=forms.CheckboxSelectMultiple), FieldPanel("topics")],
            heading=_("Who it is for"),
        ),
        MultiFieldPanel(
            [FieldPanel("minimum_attendance_percent"), FieldPanel("pass_mark_percent")],
            heading=_("Completion rules"),
        ),
    ]
    search_fields = Page.search_fields + [
        index.SearchField("summary"),
        index.SearchField("learning_objectives"),
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

    def total_duration_minutes(self) -> int:
        """Training time of the course in its own language: the sum of its published modules."""
        from .selectors import course_modules

        return sum(
            module.duration_minutes
            for module in course_modules(course=self, language=self.locale.language_code)
        )

    def get_context(self, request, *args, **kwargs):
        from accounts.roles import can_see_facilitator_notes

        from .content_cache import content_cache_key
        from .selectors import course_modules

        context = super().get_context(request, *args, **kwargs)
        language = get_language()

        def read_content() -> CourseContent:
            modules = course_modules(course=self, language=language)
            return CourseContent(modules, sum(module.duration_minutes for module in modules))

        can_print_facilitator_guide = can_see_facilitator_notes(request.user)
        context.update(
            {
                # Read only when the kept content is missing (templatetags/kept_content.py).
                "content": SimpleLazyObject(read_content),
                "content_cache_key": content_cache_key(request, self, can_print_facilitator_guide),
                "can_print_facilitator_guide": can_print_facilitator_guide,
            }
        )
        return context


class ModulePage(TranslationFallbackMixin, LocaleNoticeMixin, Page):
    """One module of a course, in the order of the page tree."""

    duration_minutes = models.PositiveIntegerField(_("duration (minutes)"), default=60)
    learning_objectives = RichTextField(_("learning objectives"), blank=True, features=OBJECTIVE_FEATURES)
    body = StreamField(ModuleBodyBlock(), blank=True, verbose_name=_("body"))

    content_panels = Page.content_panels + [
        FieldPanel("duration_minutes"),
        FieldPanel("learning_objectives"),
        FieldPanel("body"),
    ]
    search_fields = Page.search_fields + [index.SearchField("learning_objectives")]
    parent_page_types = ["curriculum.CoursePage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("module")

    def visible_body(self, *, with_facilitator_notes: bool) -> list:
        """The body's blocks one may show: facilitator notes are dropped here, before any template."""
        return [
            block for block in self.body if with_facilitator_notes or block.block_type != FACILITATOR_NOTE
        ]

    def get_context(self, request, *args, **kwargs):
        from accounts.roles import can_see_facilitator_notes

        from .content_cache import content_cache_key
        from .selectors import course_modules

        context = super().get_context(request, *args, **kwargs)
        show_notes = can_see_facilitator_notes(request.user)
        language = get_language()

        def read_content() -> ModuleContent:
            course = self.get_parent().specific
            modules = course_modules(course=course, language=language)
            keys = [module.translation_key for module in modules]
            position = keys.index(self.translation_key) if self.translation_key in keys else None
            return ModuleContent(
                course=course,
                blocks=self.visible_body(with_facilitator_notes=show_notes),
                previous_module=modules[position - 1] if position else None,
                next_module=modules[position + 1]
                if position is not None and position + 1 < len(modules)
                else None,
            )

        context.update(
            {
                # Read only when the kept content is missing (templatetags/kept_content.py).
                "content": SimpleLazyObject(read_content),
                "content_cache_key": content_cache_key(request, self, show_notes),
                "show_facilitator_notes": show_notes,
            }
        )
        return context
