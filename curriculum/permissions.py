"""Who may name topics in each language in the Wagtail admin: programme staff and curriculum authors.

Registered in CurriculumConfig.ready(), before anything asks Wagtail's policy registry
for TopicName (a fallback policy created first would refuse the registration). Topic
names are curriculum vocabulary, so the authors who tag courses name them too, and
M&E staff who own the other reference names (regions, countries) may correct them.
"""

from django.contrib.auth import get_user_model
from django.db.models import Q
from wagtail.permission_policies import BasePermissionPolicy

from accounts import roles
from accounts.roles import Role


def _may_edit(user) -> bool:
    return roles.is_programme_staff(user) or roles.is_curriculum_author(user)


class TopicNamePolicy(BasePermissionPolicy):
    """Every action for admins, M&E staff and curriculum editors and leads; none for anyone else."""

    def user_has_permission(self, user, action):
        return _may_edit(user)

    def user_has_any_permission(self, user, actions):
        return _may_edit(user)

    def user_has_permission_for_instance(self, user, action, instance):
        return _may_edit(user)

    def user_has_any_permission_for_instance(self, user, actions, instance):
        return _may_edit(user)

    def instances_user_has_any_permission_for(self, user, actions):
        objects = self.model._default_manager.all()
        return objects if _may_edit(user) else objects.none()

    def users_with_any_permission(self, actions):
        editors = (Role.ME_STAFF, Role.CURRICULUM_EDITOR, Role.CURRICULUM_LEAD)
        return (
            get_user_model()
            .objects.filter(Q(is_superuser=True) | Q(groups__name__in=editors), is_active=True)
            .distinct()
        )

    def users_with_any_permission_for_instance(self, actions, instance):
        return self.users_with_any_permission(actions)


def register_policies() -> None:
    from wagtail.permissions import register_permission_policy

    from .models import TopicName

    register_permission_policy(TopicName, TopicNamePolicy(TopicName))
