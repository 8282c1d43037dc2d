"""The deliveries filter's fields, kept by each process until one of their options changes.

Its selects list every country, region, course, project and trainer: reading and printing them
was ~8 ms of a ~20 ms deliveries page (in one process on the demo data), the same for everyone
who opens the list in one language with the same filters. The printed fields are kept under the
content version of curriculum.content_cache, which the curriculum's changes already replace and
these receivers replace when a country, region or project changes, or a trainer (a name, being
active, the trainer role), so a changed option shows on the next request in every process.

What the filter finds is never kept: only the form's HTML (the selected values are in the key).
"""

from django.contrib.auth.models import User
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpRequest

from curriculum.content_cache import (
    asked_values,
    content_changed,
    kept_key,
    note_content_changed,
    replace_version_on_changes_to,
)

from .models import Country, Project, Region

# A user's fields a trainer option prints or selects on (TrainerChoiceField, trainers_queryset).
TRAINER_OPTION_FIELDS = frozenset({"first_name", "last_name", "username", "is_active"})


def filter_cache_key(request: HttpRequest, field_names) -> str:
    """What the filter's printed fields are kept under: the version, language and the values asked."""
    return kept_key("deliveries-filter", asked_values(request, field_names))


def user_saved(sender, instance, created, update_fields=None, **kwargs) -> None:
    # A new account has no role yet (the role's group is added after it, a change of its own), and
    # a sign-in saves only last_login: neither changes an option.
    if created or (update_fields is not None and not TRAINER_OPTION_FIELDS & set(update_fields)):
        return
    note_content_changed()


def roles_changed(sender, action, **kwargs) -> None:
    if action in ("post_add", "post_remove", "post_clear"):
        note_content_changed()


def connect_option_receivers() -> None:
    replace_version_on_changes_to(Country, Region, Project)
    post_save.connect(user_saved, sender=User, dispatch_uid="courses-options-user-saved")
    post_delete.connect(content_changed, sender=User, dispatch_uid="courses-options-user-deleted")
    m2m_changed.connect(roles_changed, sender=User.groups.through, dispatch_uid="courses-options-roles")
