"""LightSelect writes exactly the HTML of Django's Select, without a template per option (issue 18)."""

import re

import pytest
from django import forms

from core.widgets import LightSelect, use_light_selects
from courses.models import Region


def tags_only(html: str) -> str:
    return re.sub(r">\s+<", "><", str(html)).strip()


CHOICES = [
    ("", "Any"),
    ("a", "Alpha & <b>"),
    ("Group", [("g1", "One"), ("g2", 'Two "quoted"')]),
    (3, "Three"),
]


@pytest.mark.parametrize("value", [None, "", "a", "g2", 3, "unknown"])
def test_the_same_markup_as_djangos_select(value):
    attrs = {"id": "id_pick", "aria-describedby": "id_pick_helptext", "required": True, "disabled": False}
    expected = forms.Select(choices=CHOICES).render("pick", value, attrs=attrs)
    assert tags_only(LightSelect(choices=CHOICES).render("pick", value, attrs=attrs)) == tags_only(expected)


@pytest.mark.django_db
def test_a_filter_form_renders_the_same_with_light_selects():
    class PickForm(forms.Form):
        region = forms.ModelChoiceField(Region.objects.all(), to_field_name="iso_code", required=False)
        status = forms.ChoiceField(choices=CHOICES)
        radio = forms.ChoiceField(choices=CHOICES, widget=forms.RadioSelect)

    data = {"region": Region.objects.first().iso_code, "status": "g1", "radio": "a"}
    plain, light = PickForm(data), PickForm(data)
    use_light_selects(light)
    assert type(light.fields["region"].widget) is LightSelect
    assert type(light.fields["radio"].widget) is forms.RadioSelect
    for name in ("region", "status", "radio"):
        assert tags_only(light[name]) == tags_only(plain[name]), name


@pytest.mark.django_db
def test_the_report_filter_and_the_walk_in_form_print_light_selects(django_user_model):
    """The dashboard's eight selects and the walk-in form under every roster are printed without a
    template per option (issue 18: /reports/ took half as long once its filter was light)."""
    from attendance.forms import WalkInForm
    from courses.tests.factories import DeliveryFactory
    from reports.filters import ReportFilterSet

    report_filter = ReportFilterSet(None, user=django_user_model.objects.create(username="me-staff"))
    walk_in = WalkInForm(delivery=DeliveryFactory())
    report_selects = [
        field.widget for field in report_filter.form.fields.values() if isinstance(field.widget, forms.Select)
    ]
    walk_in_selects = [
        field.widget for field in walk_in.fields.values() if isinstance(field.widget, forms.Select)
    ]
    assert len(report_selects) == 7 and len(walk_in_selects) == 3
    assert all(isinstance(widget, LightSelect) for widget in report_selects + walk_in_selects)
