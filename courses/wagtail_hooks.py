"""Reference data in the Wagtail admin: regions (with their coordinators), venues, organisations, projects.

Only programme staff (admins and M&E staff) get these viewsets. Scoping a
viewset's listing does not scope its edit/delete/inspect views (wagtail #10746),
so rather than give regional coordinators a listing that leaks other regions by
id, the permission policy below refuses them every action; they do their
regional work in the scoped /deliveries/ and /participants/ workspace.
"""

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, ObjectList
from wagtail.admin.viewsets.model import ModelViewSet, ModelViewSetGroup
from wagtail.permission_policies import BasePermissionPolicy
from wagtail.permissions import register_permission_policy

from accounts import roles
from accounts.roles import Role

from .models import Organisation, Project, Region, Venue


class ProgrammeStaffPolicy(BasePermissionPolicy):
    """Every action on reference data for admins and M&E staff; none for anyone else, on any instance."""

    def user_has_permission(self, user, action):
        return roles.is_programme_staff(user)

    def user_has_any_permission(self, user, actions):
        return roles.is_programme_staff(user)

    def user_has_permission_for_instance(self, user, action, instance):
        return roles.is_programme_staff(user)

    def user_has_any_permission_for_instance(self, user, actions, instance):
        return roles.is_programme_staff(user)

    def instances_user_has_any_permission_for(self, user, actions):
        objects = self.model._default_manager.all()
        return objects if roles.is_programme_staff(user) else objects.none()

    def users_with_any_permission(self, actions):
        return (
            get_user_model()
            .objects.filter(Q(is_superuser=True) | Q(groups__name=Role.ME_STAFF), is_active=True)
            .distinct()
        )

    def users_with_any_permission_for_instance(self, actions, instance):
        return self.users_with_any_permission(actions)


for model in (Region, Venue, Organisation, Project):
    register_permission_policy(model, ProgrammeStaffPolicy(model))


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


class RegionViewSet(ModelViewSet):
    model = Region
    icon = "site"
    menu_label = _("Regions")
    list_display = ["name", "iso_code", "country", "timezone"]
    list_filter = ["country"]
    search_fields = ["name", "iso_code"]
    edit_handler = ObjectList(
        [
            FieldPanel("country"),
            FieldPanel("iso_code"),
            FieldPanel("name"),
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
        RegionViewSet("regions"),
        VenueViewSet("venues"),
        OrganisationViewSet("organisations"),
        ProjectViewSet("projects"),
    )


@hooks.register("register_admin_viewset")
def register_reference_data():
    return ReferenceDataGroup()
