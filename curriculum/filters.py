"""The catalogue's filters: audience, topic, language and a search, all kept in the URL's query string."""

import django_filters
from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _
from taggit.models import Tag

from core.enums import Audience
from core.widgets import use_light_selects

from .models import CoursePage
from .selectors import topic_names


def topic_choices() -> list[tuple[str, str]]:
    """Each topic in use, named and ordered in the reader's language (two queries)."""
    tags = list(Tag.objects.filter(curriculum_coursetopic_items__isnull=False).distinct())
    names = topic_names(tags)
    choices = [(tag.slug, name) for tag, name in zip(tags, names, strict=True)]
    return sorted(choices, key=lambda choice: (choice[1].casefold(), choice[0]))


class CourseFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="filter_search")
    audience = django_filters.ChoiceFilter(
        label=_("Audience"),
        choices=Audience.choices,
        field_name="audiences__code",
        empty_label=_("Any audience"),
    )
    topic = django_filters.ChoiceFilter(
        label=_("Topic"), choices=topic_choices, field_name="topics__slug", empty_label=_("Any topic")
    )
    language = django_filters.ChoiceFilter(
        label=_("Language"),
        choices=settings.WAGTAIL_CONTENT_LANGUAGES,
        method="filter_language",
        empty_label=_("Any language"),
    )

    class Meta:
        model = CoursePage
        fields: list[str] = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.form.fields["q"].widget = forms.TextInput(attrs={"type": "search"})
        use_light_selects(self.form)

    def filter_search(self, queryset, name, value):
        """Wagtail search finds the matching pages; the other filters then narrow them as a queryset."""
        matches = CoursePage.objects.live().search(value, operator="and")
        return queryset.filter(pk__in=[page.pk for page in matches])

    def filter_language(self, queryset, name, value):
        available = CoursePage.objects.live().filter(locale__language_code=value).values("translation_key")
        return queryset.filter(translation_key__in=available)


def valid_filter_data(data) -> dict:
    """Drop values the form rejects (an unknown audience in a bookmarked URL) and keep the rest."""
    data = data.copy()
    form = CourseFilter(data=data).form
    if not form.is_valid():
        for name in form.errors:
            data.pop(name, None)
    return data
