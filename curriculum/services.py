"""Writes for the curriculum: review workflow and permissions on each catalogue, and translating a course.

The "Curriculum review" workflow and the page permissions are attached to a
catalogue page, and Wagtail applies them to its subtree only. Each language's
catalogue is a separate tree, so every translation of the catalogue gets them
too (migration 0003 does the English one, `catalogue_enable_review` the rest).
"""

from django.contrib.auth.models import Group, Permission, User
from django.db import transaction
from wagtail.actions.copy_for_translation import CopyPageForTranslationAction
from wagtail.models import (
    GroupApprovalTask,
    GroupPagePermission,
    Locale,
    Workflow,
    WorkflowPage,
    WorkflowTask,
)

from accounts.roles import Role

from .models import CourseIndexPage, CoursePage

WORKFLOW_NAME = "Curriculum review"
APPROVAL_TASK_NAME = "Curriculum lead approval"

# A curriculum lead is an editor who may also publish; a trainer may write drafts of their own
# ("add" lets a user edit the pages they own) and submit them (DESIGN.md roles table).
PAGE_PERMISSIONS = {
    Role.CURRICULUM_EDITOR: ["add_page", "change_page", "lock_page"],
    Role.CURRICULUM_LEAD: ["add_page", "change_page", "lock_page", "publish_page", "unlock_page"],
    Role.TRAINER: ["add_page"],
}


@transaction.atomic
def review_workflow_get_or_create() -> Workflow:
    """The one "Curriculum review" workflow: a single task the curriculum lead group approves."""
    workflow, _created = Workflow.objects.get_or_create(name=WORKFLOW_NAME, defaults={"active": True})
    if not workflow.workflow_tasks.exists():
        task = GroupApprovalTask.objects.filter(name=APPROVAL_TASK_NAME).first()
        if task is None:
            task = GroupApprovalTask.objects.create(name=APPROVAL_TASK_NAME)
            task.groups.set([Group.objects.get(name=Role.CURRICULUM_LEAD)])
        WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)
    return workflow


@transaction.atomic
def catalogue_enable_review(*, catalogue: CourseIndexPage) -> None:
    """Attach the review workflow and the authors' page permissions to one catalogue (idempotent)."""
    workflow = review_workflow_get_or_create()
    WorkflowPage.objects.update_or_create(page=catalogue, defaults={"workflow": workflow})
    for role, codenames in PAGE_PERMISSIONS.items():
        group = Group.objects.get(name=role)
        for permission in Permission.objects.filter(
            content_type__app_label="wagtailcore", codename__in=codenames
        ):
            GroupPagePermission.objects.get_or_create(group=group, page=catalogue, permission=permission)


@transaction.atomic
def course_translate(*, course: CoursePage, locale: Locale, user: User | None = None) -> CoursePage:
    """Copy a course with all its modules into another locale as drafts for a translator to edit.

    The catalogue (and home page) of that locale are created too if missing. Modules already
    translated are kept as they are; only the missing ones are copied.
    """
    existing = course.get_translation_or_none(locale)
    if existing is None:
        action = CopyPageForTranslationAction(
            page=course, locale=locale, include_subtree=True, copy_parents=True, user=user
        )
        translated = action.execute(skip_permission_checks=True).specific
    else:
        translated = existing.specific
        for module in course.get_children().specific():
            if module.get_translation_or_none(locale) is None:
                CopyPageForTranslationAction(page=module, locale=locale, user=user).execute(
                    skip_permission_checks=True
                )
    catalogue_enable_review(catalogue=translated.get_parent().specific)
    return translated
