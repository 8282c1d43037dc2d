"""Form fields that offer a course once, in the reader's language, whichever translations it has.

A course is one thing in every language (its pages share a translation_key), so
pickers and filters list one entry per course, not one per translated page
(issue 16, item 1). Any translation's id is still a valid answer: it names the
same course, and filters compare translation keys.
"""

from django import forms
from django.utils.choices import BaseChoiceIterator
from django.utils.translation import get_language

from core.filters import BoundedModelChoiceField, ModelChoiceFilter
from core.languages import differs_from_page, language_code
from core.widgets import LightSelect

from .models import CoursePage
from .selectors import course_choices


class CourseSelect(LightSelect):
    """Marks an option whose title is in another language than the page with `lang` (WCAG 3.1.2)."""

    languages: dict[int, str] = {}

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex=subindex, attrs=attrs)
        title_language = self.languages.get(value)
        if differs_from_page(title_language, get_language()):
            option["attrs"]["lang"] = language_code(title_language)
        return option


class CourseChoices(BaseChoiceIterator):
    """A course field's options, read when first used (one query) and then kept.

    Django hands a field's choices to its widget each time the field's queryset is set: on the
    filter's own field, then on the form's copy of it. Read there and then, the courses were
    read twice for every filter form, and neither time for the options it printed (issue 18).
    """

    def __init__(self, field: "CourseChoiceField"):
        self.field = field
        self.options: list | None = None

    def load(self) -> list:
        if self.options is None:
            field = self.field
            choices = course_choices(language=get_language(), queryset=field.queryset)
            field.widget.languages = {choice.pk: choice.language for choice in choices}
            empty = [("", field.empty_label)] if field.empty_label is not None else []
            self.options = [*empty, *((choice.pk, choice.title) for choice in choices)]
        return self.options

    def __iter__(self):
        return iter(self.load())

    def __len__(self) -> int:
        return len(self.load())


class CourseChoiceField(BoundedModelChoiceField):
    """One option per course, titled in the reader's language with the ky/tg → ru → en fallback."""

    widget = CourseSelect

    def _get_choices(self):
        if self.queryset is None:  # a form class's declared field, before its form sets the queryset
            return []
        # One set of options per queryset: a copy of the field (each form's) gets its own queryset.
        if getattr(self, "_options_queryset", None) is not self.queryset:
            self._options, self._options_queryset = CourseChoices(self), self.queryset
        return self._options

    choices = property(_get_choices, forms.ChoiceField.choices.fset)


class CourseFilter(ModelChoiceFilter):
    """Filters deliveries by course: every translation of the chosen course matches."""

    field_class = CourseChoiceField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("queryset", CoursePage.objects.live())
        super().__init__(*args, **kwargs)

    def filter(self, qs, value):
        if value in (None, ""):
            return qs
        return qs.filter(**{f"{self.field_name}__translation_key": value.translation_key}).distinct()
