"""Reference data in the Wagtail admin: countries, regions (with their coordinators), venues, organisations, projects.

Only programme staff (admins and M&E staff) get these viewsets. Scoping a
viewset's listing does not scope its edit/delete/inspect views (wagtail #10746),
so rather than give regional coordinators a listing that leaks other regions by
id, the permission policy in courses/permissions.py refuses them every action;
they do their regional work in the scoped /deliveries/ and /participants/ workspace.
"""

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, ObjectList
from wagtail.admin.viewsets.model import ModelViewSet, ModelViewSetGroup

from accounts.roles import Role

from .models import Country, Organisation, Project, Region, Venue


class CoordinatorChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return obj.get_full_name() or obj.username


class RegionForm(WagtailAdminModelForm):
    """Coordinators are chosen among users in the Regional coordinator role."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["coordinators"]
        self.fields["coordinators"] = CoordinatorChoiceField(
            queryset=get_user_model()
            .objects.filter(groups__name=Role.REGIONAL_COORDINATOR)
            .order_by("last_name", "first_name"),
            required=False,
            widget=forms.CheckboxSelectMultiple,
            label=field.label,
            help_text=field.help_text,
        )


# A place's name in each language; shown to readers through `display_name` with the ky/tg → ru → en fallback.
NAME_PANELS = [FieldPanel("name"), FieldPanel("name_ru"), FieldPanel("name_tg"), FieldPanel("name_ky")]
NAME_SEARCH_FIELDS = ["name", "name_ru", "name_tg", "name_ky"]


class CountryViewSet(ModelViewSet):
    model = Country
    icon = "globe"
    menu_label = _("Countries")
    list_display = ["name", "name_ru", "iso_code", "timezone"]
    search_fields = [*NAME_SEARCH_FIELDS, "iso_code"]
    form_fields = ["iso_code", "name", "name_ru", "name_tg", "name_ky", "timezone"]


class RegionViewSet(ModelViewSet):
    model = Region
    icon = "site"
    menu_label = _("Regions")
    list_display = ["name", "name_ru", "iso_code", "country", "timezone"]
    list_filter = ["country"]
    search_fields = [*NAME_SEARCH_FIELDS, "iso_code"]
    edit_handler = ObjectList(
        [
            FieldPanel("country"),
            FieldPanel("iso_code"),
            *NAME_PANELS,
            FieldPanel("timezone"),
            FieldPanel("coordinators"),
        ],
        base_form_class=RegionForm,
    )


class VenueViewSet(ModelViewSet):
    model = Venue
    icon = "home"
    menu_label = _("Venues")
    list_display = ["name", "region", "address", "capacity"]
    list_filter = ["region__country", "region"]
    search_fields = ["name", "address"]
    form_fields = ["name", "region", "address", "capacity"]


class OrganisationViewSet(ModelViewSet):
    model = Organisation
    icon = "group"
    menu_label = _("Organisations")
    list_display = ["name", "type", "country", "region"]
    list_filter = ["type", "country", "region"]
    search_fields = ["name"]
    form_fields = ["name", "type", "country", "region"]


class ProjectViewSet(ModelViewSet):
    model = Project
    icon = "doc-full"
    menu_label = _("Projects")
    list_display = ["code", "name", "donor", "starts_on", "ends_on"]
    list_filter = ["donor"]
    search_fields = ["name", "code", "donor"]
    form_fields = ["name", "code", "donor", "starts_on", "ends_on"]


class ReferenceDataGroup(ModelViewSetGroup):
    menu_label = _("Reference data")
    menu_icon = "folder-open-inverse"
    menu_order = 300
    items = (
        CountryViewSet("countries"),
        RegionViewSet("regions"),
        VenueViewSet("venues"),
        OrganisationViewSet("organisations"),
        ProjectViewSet("projects"),
    )


@hooks.register("register_admin_viewset")
def register_reference_data():
    return ReferenceDataGroup()
