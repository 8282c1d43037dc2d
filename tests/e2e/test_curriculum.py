"""An author writes a module in the Wagtail admin and submits it; the lead approves; readers find it.

Wagtail's own admin screens are outside our accessibility and HTML checks;
every page of ours that the test visits goes through check_page.
"""

from django.conf import settings

from accounts.roles import Role
from accounts.tests.factories import user_with_role
from curriculum.models import ModulePage
from curriculum.tests.factories import NOTE_TEXT, make_course, make_module, translate

NEW_MODULE = "Mediation in neighbour disputes"


def _open_more_actions(page) -> None:
    page.get_by_role("button", name="More actions").last.click()


def test_author_submits_a_module_lead_approves_and_it_appears_in_the_catalogue(
    live_server, page, check_page, login
):
    user_with_role(Role.CURRICULUM_EDITOR, username="editor1")
    user_with_role(Role.CURRICULUM_LEAD, username="lead1")
    course = make_course(title="Community Policing Foundations", audiences=("police",))
    make_module(course, title="What community policing is", minutes=90)

    login(page, "editor1")
    page.goto(f"{live_server.url}/admin/pages/add/curriculum/modulepage/{course.pk}/")
    page.locator("#id_title").fill(NEW_MODULE)
    page.locator("#id_duration_minutes").fill("75")
    _open_more_actions(page)
    page.locator("button[name='action-submit']").click()
    page.wait_for_load_state("load")
    module = ModulePage.objects.get(title=NEW_MODULE)
    assert module.workflow_in_progress
    assert not module.live

    page.goto(f"{live_server.url}/courses/{course.slug}/")
    assert NEW_MODULE not in page.content()

    page.context.clear_cookies()
    login(page, "lead1")
    page.goto(f"{live_server.url}/admin/pages/{module.pk}/edit/")
    _open_more_actions(page)
    page.get_by_role("button", name="Approve and Publish", exact=True).click()
    page.wait_for_load_state("load")
    module.refresh_from_db()
    assert module.live

    page.context.clear_cookies()
    page.goto(f"{live_server.url}/courses/")
    check_page(page, "curriculum-catalogue")
    page.get_by_role("link", name="Community Policing Foundations").click()
    page.wait_for_load_state("load")
    assert page.get_by_role("link", name=NEW_MODULE).is_visible()
    assert "2 hours 45 minutes" in page.locator("main").inner_text()  # 90 + 75 minutes, read as hours
    check_page(page, "curriculum-course")
    page.get_by_role("link", name=NEW_MODULE).click()
    page.wait_for_load_state("load")
    assert page.locator("h1").inner_text() == NEW_MODULE
    assert page.get_by_role("link", name="Previous: What community policing is").is_visible()
    check_page(page, "curriculum-module")


def test_trainer_sees_notes_trainee_does_not_and_filters_work_without_javascript(
    live_server, page, check_page, login
):
    user_with_role(Role.TRAINER, username="trainer1")
    user_with_role(Role.TRAINEE, username="trainee1")
    course = make_course(
        title="Responding to Violence", audiences=("police", "civil_society"), topics=("gender",)
    )
    module = make_module(course, title="Responding to a call")
    make_course(title="Safe Schools", audiences=("youth",), topics=("school safety",))

    page.goto(f"{live_server.url}/courses/")
    page.get_by_label("Audience").select_option("youth")
    page.get_by_role("button", name="Show courses").click()
    page.wait_for_load_state("load")
    assert "audience=youth" in page.url
    assert page.get_by_role("link", name="Safe Schools").is_visible()
    assert page.get_by_role("link", name="Responding to Violence").count() == 0
    check_page(page, "curriculum-catalogue-filtered")

    login(page, "trainer1")
    page.goto(f"{live_server.url}{module.url}")
    assert NOTE_TEXT in page.content()
    check_page(page, "curriculum-module-trainer")

    page.context.clear_cookies()
    login(page, "trainee1")
    page.goto(f"{live_server.url}{module.url}")
    assert NOTE_TEXT not in page.content()
    check_page(page, "curriculum-module-trainee")


def test_russian_reader_sees_the_translation_or_the_original_with_a_notice(live_server, page, check_page):
    course = make_course(title="Community Policing Foundations")
    translated_module = make_module(course, title="Building trust")
    untranslated = make_module(course, title="Human rights in everyday policing")
    translate(course, "ru", title="Основы общественной полиции")
    translate(translated_module, "ru", title="Доверие через общение")

    page.context.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME, "value": "ru", "url": live_server.url}])
    page.goto(f"{live_server.url}/courses/{course.slug}/")
    assert page.locator("h1").inner_text() == "Основы общественной полиции"
    check_page(page, "curriculum-course-ru")
    page.goto(f"{live_server.url}{untranslated.url}")
    assert page.locator("h1").inner_text() == "Human rights in everyday policing"
    assert page.locator(".language-notice").is_visible()
    check_page(page, "curriculum-module-fallback-ru")
