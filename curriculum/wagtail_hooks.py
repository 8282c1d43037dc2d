"""Admin conveniences for authors: a Curriculum menu item that opens the catalogue in the page explorer.

Wagtail's dashboard already lists an author's drafts ("Your most recent edits"),
their pages in review and what awaits the lead's review; the explorer's "Sort
menu order" reorders a course's modules. A translated page's menu offers "Submit
translation for review", which wagtail-localize's translation editor lacks.
"""

from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets.button import Button

from accounts.roles import Role, has_role
from core.localize_permissions import can_submit_translation_for_review, translation_of_page

from .models import CourseIndexPage, TopicName


def open_catalogue(request):
    """The catalogue in the author's admin language if it exists, else the English one."""
    catalogues = CourseIndexPage.objects.select_related("locale").order_by("pk")
    language = getattr(request, "LANGUAGE_CODE", "en")
    catalogue = catalogues.filter(locale__language_code=language).first() or catalogues.first()
    if catalogue is None:
        return redirect("wagtailadmin_explore_root")
    return redirect("wagtailadmin_explore", catalogue.pk)


class CatalogueMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.is_superuser or has_role(
            request.user, Role.CURRICULUM_EDITOR, Role.CURRICULUM_LEAD, Role.TRAINER
        )


@hooks.register("register_admin_urls")
def register_curriculum_admin_urls():
    return [path("curriculum/", open_catalogue, name="curriculum_open_catalogue")]


@hooks.register("register_admin_menu_item")
def register_curriculum_menu_item():
    return CatalogueMenuItem(
        _("Curriculum"), reverse("curriculum_open_catalogue"), icon_name="list-ul", order=150
    )


def submit_translation_for_review_button(page, user, next_url=None, view_name=None):
    """Shown where the author could submit the page itself: a synced translation they may edit."""
    if translation_of_page(page) is not None and can_submit_translation_for_review(user, page):
        yield Button(
            _("Submit translation for review"),
            reverse("submit_translation_for_review", args=(page.pk,)),
            icon_name="resubmit",
            priority=61,
        )


hooks.register("register_page_listing_more_buttons", submit_translation_for_review_button)
hooks.register("register_page_header_buttons", submit_translation_for_review_button)


class TopicNameViewSet(ModelViewSet):
    """Topic names per language; the tag's own name is the English one (who may: curriculum/permissions.py)."""

    model = TopicName
    icon = "tag"
    menu_label = _("Topic names")
    menu_order = 160
    add_to_admin_menu = True
    list_display = ["tag", "language", "name"]
    list_filter = ["language"]
    search_fields = ["name", "tag__name"]
    form_fields = ["tag", "language", "name"]


@hooks.register("register_admin_viewset")
def register_topic_names():
    return TopicNameViewSet("topic_names")
