"""Who may touch reference data in the Wagtail admin: programme staff, on every instance; nobody else.

Registered in CoursesConfig.ready(), before anything asks Wagtail's policy registry
for these models (a fallback policy created first would refuse the registration).
"""

from django.contrib.auth import get_user_model
from django.db.models import Q
from wagtail.permission_policies import BasePermissionPolicy

from accounts import roles
from accounts.roles import Role


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


def register_policies() -> None:
    from wagtail.permissions import register_permission_policy

    from .models import Country, Organisation, Project, Region, Venue

    for model in (Country, Region, Venue, Organisation, Project):
        register_permission_policy(model, ProgrammeStaffPolicy(model))
