"""Translating follows publishing rights (issue 15, item 2).

wagtail-localize's "Translate", "Sync translated pages/snippets" and the translation editor's
"Publish" write pages and snippets of another locale. For every role they must allow exactly
what editing and publishing allow: a translation made by someone who may not publish is a
draft (never live), and only instrument authors create or update instrument translations.
Denied requests answer 403 or Wagtail's redirect (to the dashboard or the sign-in page), and
the world is unchanged: no Kyrgyz page goes live, no Kyrgyz instrument appears.
"""

import pytest
from django.urls import reverse
from wagtail.models import Locale, Page
from wagtail_localize.models import StringTranslation, TranslationSource
from wagtail_localize.operations import TranslationCreator

from accounts.roles import Role
from accounts.tests.factories import user_with_role
from assessments.models import Instrument
from assessments.tests.factories import add_question, make_instrument
from curriculum.models import CoursePage, ModulePage
from curriculum.tests.factories import make_course, make_module

pytestmark = pytest.mark.django_db

ROLES = {
    "anonymous": "anonymous",
    "admin": None,
    "me_staff": Role.ME_STAFF,
    "coordinator": Role.REGIONAL_COORDINATOR,
    "editor": Role.CURRICULUM_EDITOR,
    "lead": Role.CURRICULUM_LEAD,
    "trainer": Role.TRAINER,
    "trainee": Role.TRAINEE,
}
# Who may write course content, and who may also publish it (DESIGN.md roles table).
AUTHORS = {"admin", "editor", "lead"}
PUBLISHERS = {"admin", "lead"}
# Who holds add/change on assessments.Instrument (assessments migration 0002).
INSTRUMENT_AUTHORS = {"admin", "editor", "lead"}


def sign_in(client, role_name: str):
    role = ROLES[role_name]
    if role == "anonymous":
        return None
    user = user_with_role(role)
    client.force_login(user)
    return user


def assert_denied(response) -> None:
    """403, or Wagtail's answer to a refused admin request: back to the dashboard or to sign in."""
    if response.status_code == 302:
        assert response.url.split("?")[0] in (reverse("wagtailadmin_home"), reverse("wagtailadmin_login")), (
            response.url
        )
    else:
        assert response.status_code == 403, response.status_code


@pytest.fixture
def post(client, django_capture_on_commit_callbacks):
    """POST as the signed-in client and run what wagtail-localize defers to the commit (publishing)."""

    def _post(url, data):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(url, data)

    return _post


@pytest.fixture
def kyrgyz():
    return Locale.objects.get(language_code="ky")


@pytest.fixture
def course():
    """A published English course with a published module, written by someone else."""
    course = make_course(title="Community Policing Foundations")
    make_module(course, title="Building trust")
    return course


def kyrgyz_pages(kyrgyz) -> list[Page]:
    return list(Page.objects.filter(locale=kyrgyz).exclude(alias_of__isnull=False).specific())


def live_kyrgyz_content(kyrgyz) -> list[str]:
    """Kyrgyz course and module pages that the public can open (aliases only mirror the original)."""
    return [
        page.title
        for page in Page.objects.filter(locale=kyrgyz, live=True, alias_of__isnull=True).specific()
        if isinstance(page, CoursePage | ModulePage)
    ]


def translate_as_admin(instance, locale):
    """A draft translation made by an admin, as the starting point for sync and publish."""
    TranslationCreator(user_with_role(None), [locale]).create_translations(instance)
    return instance.get_translation(locale)


# Submit a page for translation ------------------------------------------------------------------


@pytest.mark.parametrize("role_name", ROLES)
def test_submit_page_for_translation_creates_drafts_for_authors_only(client, post, role_name, course, kyrgyz):
    sign_in(client, role_name)
    url = reverse("wagtail_localize:submit_page_translation", args=(course.pk,))
    response = post(url, {"locales": [kyrgyz.pk], "include_subtree": "on"})

    assert live_kyrgyz_content(kyrgyz) == []
    translated = [page.title for page in kyrgyz_pages(kyrgyz) if isinstance(page, CoursePage | ModulePage)]
    if role_name in AUTHORS:
        assert response.status_code == 302
        assert sorted(translated) == ["Building trust", "Community Policing Foundations"]
    else:
        assert_denied(response)
        assert translated == []


def test_an_editors_translation_is_a_draft_that_can_go_to_review(client, post, course, kyrgyz):
    sign_in(client, "editor")
    url = reverse("wagtail_localize:submit_page_translation", args=(course.pk,))
    post(url, {"locales": [kyrgyz.pk], "include_subtree": "on"})
    translation = course.get_translation(kyrgyz)
    assert not translation.live
    assert translation.has_unpublished_changes
    # The Kyrgyz catalogue it sits in carries the same review workflow as the English one.
    assert translation.get_workflow() is not None
    assert translation.get_workflow() == course.get_workflow()


def test_a_trainer_translates_their_own_draft_course_into_a_draft(client, post, kyrgyz):
    trainer = sign_in(client, "trainer")
    own = make_course(title="Trainer's course", live=False)
    Page.objects.filter(pk=own.pk).update(owner=trainer)
    url = reverse("wagtail_localize:submit_page_translation", args=(own.pk,))
    response = post(url, {"locales": [kyrgyz.pk]})
    assert response.status_code == 302
    translation = own.get_translation(kyrgyz)
    assert not translation.live


def test_an_editor_cannot_overwrite_a_live_page_by_translating_it(client, post, course, kyrgyz):
    """A live Kyrgyz alias turned into a translation changes what the public sees: publishers only."""
    alias = course.copy_for_translation(kyrgyz, copy_parents=True, alias=True)
    assert alias.live
    sign_in(client, "editor")
    url = reverse("wagtail_localize:submit_page_translation", args=(course.pk,))
    response = post(url, {"locales": [kyrgyz.pk]})
    assert_denied(response)
    alias.refresh_from_db()
    assert alias.alias_of_id == course.pk


# Submit an instrument for translation ----------------------------------------------------------


@pytest.mark.parametrize("role_name", ROLES)
def test_submit_instrument_for_translation_needs_instrument_permissions(
    client, post, role_name, course, kyrgyz
):
    instrument = make_instrument(course=course, title="Pre and post test")
    add_question(instrument, choices=[("Yes", True), ("No", False)])
    sign_in(client, role_name)
    url = reverse(
        "wagtail_localize:submit_snippet_translation", args=("assessments", "instrument", instrument.pk)
    )
    response = post(url, {"locales": [kyrgyz.pk]})

    kyrgyz_instruments = Instrument.objects.filter(locale=kyrgyz)
    if role_name in INSTRUMENT_AUTHORS:
        assert response.status_code == 302
        assert kyrgyz_instruments.count() == 1
    else:
        assert_denied(response)
        assert not kyrgyz_instruments.exists()
    assert live_kyrgyz_content(kyrgyz) == []


# Update (sync) translations --------------------------------------------------------------------


@pytest.mark.parametrize("role_name", ROLES)
def test_sync_and_publish_translated_pages_needs_publish_permission(client, post, role_name, course, kyrgyz):
    translation = translate_as_admin(course, kyrgyz)
    assert not translation.live
    source = TranslationSource.objects.get_for_instance(course)
    sign_in(client, role_name)
    url = reverse("wagtail_localize:update_translations", args=(source.pk,))
    response = post(url, {"publish_translations": "on"})

    translation.refresh_from_db()
    if role_name in PUBLISHERS:
        assert response.status_code == 302
        assert translation.live
    else:
        assert not translation.live
        if role_name in AUTHORS:
            # An editor may bring the new text in; the publish box is not theirs to tick.
            assert response.status_code in (200, 302)
        else:
            assert_denied(response)


@pytest.mark.parametrize("role_name", ROLES)
def test_sync_without_publishing_is_for_those_who_may_edit_the_original(
    client, post, role_name, course, kyrgyz
):
    translate_as_admin(course, kyrgyz)
    source = TranslationSource.objects.get_for_instance(course)
    sign_in(client, role_name)
    url = reverse("wagtail_localize:update_translations", args=(source.pk,))
    response = post(url, {})
    if role_name in AUTHORS:
        assert response.status_code == 302
    else:
        assert_denied(response)
    assert live_kyrgyz_content(kyrgyz) == []


def test_the_sync_form_offers_publishing_only_to_publishers(client, course, kyrgyz):
    translate_as_admin(course, kyrgyz)
    source = TranslationSource.objects.get_for_instance(course)
    url = reverse("wagtail_localize:update_translations", args=(source.pk,))
    sign_in(client, "editor")
    assert client.get(url).context["form"].fields["publish_translations"].disabled
    sign_in(client, "lead")
    assert not client.get(url).context["form"].fields["publish_translations"].disabled


@pytest.mark.parametrize("role_name", ROLES)
def test_sync_instrument_translations_needs_instrument_permissions(client, post, role_name, course, kyrgyz):
    instrument = make_instrument(course=course, title="Pre and post test")
    translated = translate_as_admin(instrument, kyrgyz)
    Instrument.objects.filter(pk=instrument.pk).update(title="Changed key")
    source = TranslationSource.objects.get_for_instance(instrument)
    sign_in(client, role_name)
    url = reverse("wagtail_localize:update_translations", args=(source.pk,))
    response = post(url, {"publish_translations": "on"})

    translated.refresh_from_db()
    if role_name in INSTRUMENT_AUTHORS:
        assert response.status_code == 302
        assert translated.title == "Changed key"
    else:
        assert_denied(response)
        assert translated.title == "Pre and post test"


# The translation editor's "Publish" ------------------------------------------------------------


@pytest.mark.parametrize("role_name", ROLES)
def test_translation_editor_publish_needs_publish_permission(client, post, role_name, course, kyrgyz):
    translation = translate_as_admin(course, kyrgyz)
    sign_in(client, role_name)
    url = reverse("wagtailadmin_pages:edit", args=(translation.pk,))
    response = post(url, {"action": "publish"})

    translation.refresh_from_db()
    if role_name in PUBLISHERS:
        assert response.status_code == 302
        assert translation.live
    else:
        assert_denied(response)
        assert not translation.live


@pytest.mark.parametrize("role_name", ROLES)
def test_translation_editor_of_an_instrument_needs_instrument_permissions(
    client, post, role_name, course, kyrgyz
):
    instrument = make_instrument(course=course, title="Pre and post test")
    translated = translate_as_admin(instrument, kyrgyz)
    Instrument.objects.filter(pk=instrument.pk).update(title="Changed key")
    TranslationSource.objects.get_for_instance(instrument).update_from_db()
    sign_in(client, role_name)
    url = reverse("wagtailsnippets_assessments_instrument:edit", args=(translated.pk,))
    get_response = client.get(url)
    response = post(url, {"action": "publish"})

    translated.refresh_from_db()
    if role_name in INSTRUMENT_AUTHORS:
        assert get_response.status_code == 200
        assert translated.title == "Changed key"
    else:
        assert_denied(get_response)
        assert_denied(response)
        assert translated.title == "Pre and post test"


def test_an_editor_cannot_publish_by_converting_a_translation_back_to_an_alias(client, post, course, kyrgyz):
    translation = translate_as_admin(course, kyrgyz)
    sign_in(client, "editor")
    url = reverse("wagtail_localize:convert_to_alias", args=(translation.pk,))
    response = post(url, {})
    assert_denied(response)
    translation.refresh_from_db()
    assert not translation.live
    assert translation.alias_of_id is None


def test_a_lead_may_convert_a_translation_back_to_an_alias(client, post, course, kyrgyz):
    translation = translate_as_admin(course, kyrgyz)
    sign_in(client, "lead")
    post(reverse("wagtail_localize:convert_to_alias", args=(translation.pk,)), {})
    translation.refresh_from_db()
    assert translation.alias_of_id == course.pk


# Submit a translation for review ---------------------------------------------------------------


def translate_title(page, locale, title: str) -> None:
    """What the translation editor stores when a translator translates the page's title."""
    source = TranslationSource.objects.get_for_instance(page)
    segment = source.stringsegment_set.select_related("string", "context").get(context__path="title")
    StringTranslation.objects.create(
        translation_of=segment.string,
        locale=locale,
        context=segment.context,
        data=title,
        translation_type=StringTranslation.TRANSLATION_TYPE_MANUAL,
    )


@pytest.mark.parametrize("role_name", ROLES)
def test_submit_translation_for_review_is_for_those_who_may_edit_it(client, post, role_name, course, kyrgyz):
    translation = translate_as_admin(course, kyrgyz)
    sign_in(client, role_name)
    response = post(reverse("submit_translation_for_review", args=(translation.pk,)), {})

    translation.refresh_from_db()
    assert not translation.live
    if role_name in AUTHORS:
        assert response.status_code == 302
        assert translation.workflow_in_progress
    else:
        assert_denied(response)
        assert not translation.workflow_in_progress


def test_an_editors_translation_goes_through_review_and_the_lead_publishes_it(client, post, course, kyrgyz):
    sign_in(client, "editor")
    post(reverse("wagtail_localize:submit_page_translation", args=(course.pk,)), {"locales": [kyrgyz.pk]})
    translation = course.get_translation(kyrgyz)
    translate_title(course, kyrgyz, "Коомдук тартипти сактоонун негиздери")
    explorer = client.get(reverse("wagtailadmin_explore", args=(translation.get_parent().pk,)))
    review_url = reverse("submit_translation_for_review", args=(translation.pk,))
    assert review_url in explorer.content.decode()
    assert client.get(review_url).status_code == 200
    post(review_url, {})

    translation.refresh_from_db()
    assert translation.workflow_in_progress
    assert not translation.live
    task_state = translation.current_workflow_task_state
    sign_in(client, "lead")
    approve = reverse("wagtailadmin_pages:workflow_action", args=(translation.pk, "approve", task_state.pk))
    post(approve, {})
    translation.refresh_from_db()
    assert translation.live
    assert translation.title == "Коомдук тартипти сактоонун негиздери"


def test_a_live_translation_keeps_its_public_text_while_in_review(client, post, course, kyrgyz):
    translation = translate_as_admin(course, kyrgyz)
    translation.save_revision().publish()
    translate_title(course, kyrgyz, "Жаңы аталыш")
    sign_in(client, "editor")
    post(reverse("submit_translation_for_review", args=(translation.pk,)), {})
    translation.refresh_from_db()
    assert translation.workflow_in_progress
    assert translation.title == "Community Policing Foundations"
    assert translation.get_latest_revision_as_object().title == "Жаңы аталыш"


def test_only_translations_can_be_submitted_as_translations(client, post, course):
    sign_in(client, "editor")
    response = client.get(reverse("submit_translation_for_review", args=(course.pk,)))
    assert response.status_code == 404


# Other ways of making translations -------------------------------------------------------------


def test_wagtails_own_copy_for_translation_is_not_installed(settings):
    """wagtail.contrib.simple_translation's "Translate" would copy pages without these checks."""
    assert "wagtail.contrib.simple_translation" not in settings.INSTALLED_APPS


@pytest.mark.parametrize("role_name", ROLES)
def test_only_admins_may_make_a_locale_sync_from_another(client, role_name, kyrgyz):
    """A locale that syncs from another gets a live alias of every page: that is publishing."""
    sign_in(client, role_name)
    response = client.get(reverse("wagtaillocales:edit", args=(kyrgyz.pk,)))
    if role_name == "admin":
        assert response.status_code == 200
    else:
        assert_denied(response)


@pytest.mark.parametrize("view_name", ["edit", "copy", "delete", "history"])
@pytest.mark.parametrize("role_name", ROLES)
def test_instrument_admin_views_open_an_instrument_by_id_only_for_instrument_authors(
    client, role_name, view_name, course
):
    """The trap of DESIGN.md: the snippet's own views must check the model permission per object."""
    instrument = make_instrument(course=course, title="Pre and post test")
    sign_in(client, role_name)
    response = client.get(
        reverse(f"wagtailsnippets_assessments_instrument:{view_name}", args=(instrument.pk,))
    )
    if role_name in INSTRUMENT_AUTHORS:
        assert response.status_code == 200
    else:
        assert_denied(response)
