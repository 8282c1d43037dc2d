"""The report filter: every value in the URL, so a filtered report can be bookmarked and shared.

An unknown value (a mistyped ISO code, another coordinator's region) fails
its own field's validation and is dropped; the other filters still apply.
"""

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from core.enums import Audience, OrganisationType, Sex
from core.filters import DateFilter, ModelChoiceFilter
from core.widgets import use_light_selects
from courses.models import Country, Delivery, Project
from courses.rules import regions_managed_by
from curriculum.fields import CourseFilter
from curriculum.models import CoursePage

from .selectors import ReportScope


class ReportFilterSet(django_filters.FilterSet):
    date_from = DateFilter(label=_("From"), widget=forms.DateInput(attrs={"type": "date"}), method="keep")
    date_to = DateFilter(label=_("To"), widget=forms.DateInput(attrs={"type": "date"}), method="keep")
    country = ModelChoiceFilter(
        label=_("Country"), queryset=Country.objects.all(), to_field_name="iso_code", method="keep"
    )
    region = ModelChoiceFilter(label=_("Region"), queryset=None, to_field_name="iso_code", method="keep")
    project = ModelChoiceFilter(
        label=_("Project"), queryset=Project.objects.all(), to_field_name="code", method="keep"
    )
    # Each course once, in the reader's language (with `lang` where it falls back); the scope
    # then counts the deliveries of every translation of it.
    course = CourseFilter(label=_("Course"), queryset=CoursePage.objects.all(), method="keep")
    audience = django_filters.ChoiceFilter(label=_("Audience"), choices=Audience.choices, method="keep")
    sex = django_filters.ChoiceFilter(label=_("Sex"), choices=Sex.choices, method="keep")
    organisation_type = django_filters.ChoiceFilter(
        label=_("Organisation type"), choices=OrganisationType.choices, method="keep"
    )

    class Meta:
        model = Delivery
        fields = []

    def __init__(self, data=None, *args, user, **kwargs):
        super().__init__(data, *args, **kwargs)
        self.user = user
        # A coordinator can choose only their own regions; another region's code is an unknown value.
        self.filters["region"].queryset = regions_managed_by(user)
        # Eight selects, printed on every dashboard: without a template per option.
        use_light_selects(self.form)

    def keep(self, queryset, name, value):
        # The filter's values build a ReportScope (to_scope); no queryset is filtered here.
        return queryset

    def to_scope(self) -> ReportScope:
        self.is_valid()
        values = getattr(self.form, "cleaned_data", {})
        return ReportScope(
            user=self.user,
            date_from=values.get("date_from"),
            date_to=values.get("date_to"),
            country=values.get("country"),
            region=values.get("region"),
            project=values.get("project"),
            course=values.get("course"),
            audience=values.get("audience") or "",
            sex=values.get("sex") or "",
            organisation_type=values.get("organisation_type") or "",
        )

    def described(self) -> list[tuple[str, str]]:
        """The filters in force as (label, value) pairs, for the export cover sheet and the PDF."""
        self.is_valid()
        values = getattr(self.form, "cleaned_data", {})
        described = []
        for name, form_field in self.form.fields.items():
            value = values.get(name)
            if value in (None, ""):
                continue
            if hasattr(form_field, "choices") and not hasattr(value, "pk"):
                value = dict(form_field.choices).get(value, value)
            described.append((str(form_field.label), str(value)))
        return described
