"""Review workflow, author permissions and translating a whole course."""

import pytest
from django.urls import reverse
from wagtail.models import Locale, Workflow

from accounts.roles import Role
from curriculum.models import CourseIndexPage, ModulePage
from curriculum.services import WORKFLOW_NAME, course_translate
from curriculum.tests.factories import catalogue, make_course, make_module

pytestmark = pytest.mark.django_db


def test_catalogue_uses_the_curriculum_review_workflow_approved_by_the_lead():
    workflow = catalogue().get_workflow()
    assert workflow.name == WORKFLOW_NAME
    task = workflow.tasks.get().specific
    assert list(task.groups.values_list("name", flat=True)) == [Role.CURRICULUM_LEAD]
    module = make_module(make_course())
    assert module.get_workflow() == workflow


@pytest.mark.parametrize(
    ("role", "can_edit", "can_publish"),
    [
        (Role.CURRICULUM_EDITOR, True, False),
        (Role.CURRICULUM_LEAD, True, True),
        (Role.TRAINER, False, False),
        (Role.TRAINEE, False, False),
        (Role.ME_STAFF, False, False),
    ],
)
def test_page_permissions_follow_the_roles_table(make_user, role, can_edit, can_publish):
    module = make_module(make_course())
    permissions = module.permissions_for_user(make_user(role))
    assert permissions.can_edit() is can_edit
    assert permissions.can_publish() is can_publish


def test_trainer_may_write_and_edit_own_drafts_but_not_others(make_user):
    trainer = make_user(Role.TRAINER)
    course = make_course()
    assert course.permissions_for_user(trainer).can_add_subpage()
    own = make_module(course, live=False)
    own.owner = trainer
    own.save()
    assert own.permissions_for_user(trainer).can_edit()
    assert not own.permissions_for_user(trainer).can_publish()
    assert not make_module(course).permissions_for_user(trainer).can_edit()


def test_editor_submits_and_cannot_approve_lead_approves_and_module_goes_live(make_user):
    editor, lead = make_user(Role.CURRICULUM_EDITOR), make_user(Role.CURRICULUM_LEAD)
    module = make_module(make_course(), title="Draft module", live=False)
    module.save_revision(user=editor)
    workflow = Workflow.objects.get(name=WORKFLOW_NAME)
    state = workflow.start(module, editor)
    task_state = state.current_task_state
    task = task_state.task.specific
    assert task.get_actions(module, editor) == []
    assert {name for name, *_ in task.get_actions(module, lead)} >= {"approve", "reject"}
    task.on_action(task_state, lead, "approve")
    module.refresh_from_db()
    assert module.live


def test_lead_rejects_with_a_comment_and_nothing_is_published(make_user):
    editor, lead = make_user(Role.CURRICULUM_EDITOR), make_user(Role.CURRICULUM_LEAD)
    module = make_module(make_course(), live=False)
    module.save_revision(user=editor)
    state = Workflow.objects.get(name=WORKFLOW_NAME).start(module, editor)
    task_state = state.current_task_state
    task_state.task.specific.on_action(task_state, lead, "reject", comment="Add timings to the activity.")
    task_state.refresh_from_db()
    module.refresh_from_db()
    assert task_state.status == "rejected"
    assert task_state.comment == "Add timings to the activity."
    assert not module.live


def test_editor_cannot_publish_through_the_admin(client, make_user):
    editor = make_user(Role.CURRICULUM_EDITOR)
    module = make_module(make_course(), title="Before", live=False)
    client.force_login(editor)

    data = {
        "title": "Published by editor?",
        "slug": module.slug,
        "duration_minutes": 60,
        "body-count": 0,
        "action-publish": "publish",
    }
    url = reverse("wagtailadmin_pages:edit", args=(module.pk,))
    client.post(url, data)
    module.refresh_from_db()
    assert not module.live
    # The same form submitted for review is accepted: the refusal above was about publishing.
    client.post(url, {**data, "action-publish": "", "action-submit": "submit"})
    module.refresh_from_db()
    assert module.workflow_in_progress
    assert not module.live


def test_translating_a_course_copies_all_its_modules_and_protects_the_new_catalogue():
    course = make_course()
    make_module(course, title="One")
    make_module(course, title="Two")
    russian = Locale.objects.get(language_code="ru")
    translated = course_translate(course=course, locale=russian)
    assert translated.locale == russian
    assert ModulePage.objects.child_of(translated).count() == 2
    ru_catalogue = CourseIndexPage.objects.get(locale=russian)
    assert ru_catalogue.get_workflow().name == WORKFLOW_NAME
    make_module(course, title="Three")
    course_translate(course=course, locale=russian)
    assert ModulePage.objects.child_of(translated).count() == 3
