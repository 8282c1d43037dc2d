"""The /deliveries/ filters. Unknown or malformed values are ignored rather than answered with an error."""

import django_filters
from django import forms
from django.conf import settings
from django.contrib.auth.models import User
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext_lazy as _

from accounts.roles import Role
from core.enums import Audience
from core.filters import BoundedModelChoiceField, DateFilter, ModelChoiceFilter
from core.widgets import use_light_selects
from curriculum.fields import CourseFilter
from curriculum.models import CoursePage

from .models import Country, Delivery, Enrolment, Project, Region


def trainers_queryset():
    return User.objects.filter(groups__name=Role.TRAINER, is_active=True).order_by("last_name", "first_name")


class TrainerChoiceField(BoundedModelChoiceField):
    def label_from_instance(self, obj):
        return obj.get_full_name() or obj.username


class TrainerFilter(ModelChoiceFilter):
    field_class = TrainerChoiceField


class DeliveryFilter(django_filters.FilterSet):
    country = ModelChoiceFilter(queryset=Country.objects.all(), to_field_name="iso_code", label=_("Country"))
    region = ModelChoiceFilter(
        queryset=Region.objects.select_related("country"), to_field_name="iso_code", label=_("Region")
    )
    course = CourseFilter(queryset=CoursePage.objects.all(), label=_("Course"))
    project = ModelChoiceFilter(queryset=Project.objects.all(), to_field_name="code", label=_("Project"))
    status = django_filters.ChoiceFilter(choices=Delivery.Status.choices, label=_("Status"))
    start_after = DateFilter(
        field_name="first_start",
        lookup_expr="date__gte",
        label=_("Starts on or after"),
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    start_before = DateFilter(
        field_name="first_start",
        lookup_expr="date__lte",
        label=_("Starts on or before"),
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    trainer = TrainerFilter(
        queryset=lambda request: trainers_queryset(), field_name="trainers", label=_("Trainer")
    )
    audience = django_filters.ChoiceFilter(
        choices=Audience.choices, method="filter_audience", label=_("Audience")
    )
    language = django_filters.ChoiceFilter(choices=settings.LANGUAGES, label=_("Language"))

    class Meta:
        model = Delivery
        fields: list[str] = []

    @property
    def form(self):
        """The filter's form, built when first asked for: when the list's printed fields are kept
        (courses.option_lists) and nothing is filtered, nothing asks, and building it with its
        eight option fields was ~1.3 ms of every /deliveries/ (issue 18)."""
        if not hasattr(self, "_form"):
            # Eight selects: rendered through a template per option they were a third of the page's time.
            use_light_selects(super().form)
        return self._form

    def filter_audience(self, queryset, name, value):
        attended_as = Enrolment.objects.filter(delivery=OuterRef("pk"), audience=value)
        return queryset.filter(Exists(attended_as))
