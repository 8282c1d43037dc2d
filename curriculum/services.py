"""Writes for the curriculum: review workflow and permissions on each catalogue, and translating a course.

The "Curriculum review" workflow and the page permissions are attached to a
catalogue page, and Wagtail applies them to its subtree only. Each language's
catalogue is a separate tree, so every translation of the catalogue gets them
too (migration 0003 does the English one, `catalogue_enable_review` the rest).
"""

from django.contrib.auth.models import Group, Permission, User
from django.db import transaction
from wagtail.models import (
    GroupApprovalTask,
    GroupPagePermission,
    Locale,
    Workflow,
    WorkflowPage,
    WorkflowTask,
)
from wagtail_localize.operations import TranslationCreator

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
    """Submit a course with all its modules for translation into another locale (wagtail-localize).

    The translated pages are drafts, synced with the source so that later changes to the
    original can be brought in; the catalogue of that locale is created if missing. Running it
    again adds modules written since.
    """
    creator = TranslationCreator(user, [locale])
    creator.create_translations(course)
    for module in course.get_children().specific():
        creator.create_translations(module)
    translated = course.get_translation(locale).specific
    catalogue_enable_review(catalogue=translated.get_parent().specific)
    return translated
