"""Translating follows the same rights as editing and publishing (issue 15, item 2).

wagtail-localize lets anyone with its one global permission, "Can submit translations", open
its "Translate", "Sync translated pages/snippets" and "Convert to alias" views for any object:
it checks neither whether the user may edit that page or snippet, nor whether they may publish
what those views write. A trainer could so create live Kyrgyz pages and a new test instrument,
and an editor publish Tajik pages. These subclasses of its views add the missing checks, and
core/localize_urls.py mounts them in front of wagtail-localize's own URLs (same paths, so its links
and `reverse()` names still lead here):

- translating (creating or updating a translation) needs the right to edit the original: a page
  the user may edit, or a snippet whose model they may add and change (for instruments, the
  assessments.Instrument permissions, which only curriculum editors and leads hold);
- anything that makes a translation public needs the right to publish it: the "Publish
  immediately" box of a sync, converting a translation back into a (live) alias, and turning an
  existing live page of the target language into a translation.

New translated pages are drafts for everyone (`WAGTAILLOCALIZE_SYNC_LIVE_STATUS_ON_TRANSLATE =
False` in settings): a publisher publishes them from the translation editor, whose "Publish"
wagtail-localize already refuses to those who may not publish the page. Everyone else submits
them to the review workflow like any page ("Submit translation for review", below), which the
translation editor itself does not offer.
"""

from django.contrib import messages
from django.contrib.auth.models import AnonymousUser, User
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Model
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView
from wagtail.models import DraftStateMixin, Locale, Page
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail_localize.models import Translation
from wagtail_localize.views import convert, submit_translations, update_translations

SUBMIT_TRANSLATION_PERMISSION = "wagtail_localize.submit_translation"
PUBLISH_NOT_ALLOWED = _("Only those who may publish the translations can publish them from here.")
SUBMITTED_FOR_REVIEW = _("The translation '%(title)s' was submitted for review.")
TRANSLATION_NOT_VALID = _(
    "The translation could not be submitted: %(errors)s Correct it in the translation editor and try again."
)


def _permission_policy(instance: Model):
    """The snippet viewset's own policy, so that any per-instance rule it has applies here too."""
    viewset = getattr(type(instance), "snippet_viewset", None)
    return viewset.permission_policy if viewset is not None else ModelPermissionPolicy(type(instance))


def can_translate(user: User | AnonymousUser, instance: Model) -> bool:
    """May the user create or update translations of `instance`, a page or a snippet?

    Translating is writing: a page the user may edit (the translated drafts land in the same
    catalogue structure, with the same permissions), or a snippet whose model they may add to
    and change (a snippet without drafts is saved as it is translated).
    """
    if not user.is_authenticated or not user.has_perm(SUBMIT_TRANSLATION_PERMISSION):
        return False
    if isinstance(instance, Page):
        return instance.permissions_for_user(user).can_edit()
    policy = _permission_policy(instance)
    return policy.user_has_permission(user, "add") and policy.user_has_permission_for_instance(
        user, "change", instance
    )


def can_publish_translation(user: User | AnonymousUser, target: Model) -> bool:
    """May the user make this translation public: publish the page, or save the snippet?

    Saving a snippet without drafts (an instrument) is publishing it, so "change" suffices there.
    """
    if not user.is_authenticated:
        return False
    if isinstance(target, Page):
        return target.permissions_for_user(user).can_publish()
    action = "publish" if isinstance(target, DraftStateMixin) else "change"
    return _permission_policy(target).user_has_permission_for_instance(user, action, target)


def refuse_overwriting_live_pages(*, user: User, pages: list[Page], locales: list[Locale]) -> None:
    """Translating into a language where a page is already live rewrites the public page.

    wagtail-localize saves the translated fields onto the page itself, so even its "draft"
    changes what visitors of a live page (such as a live alias) see: publishers only.
    """
    for page in pages:
        for locale in locales:
            existing = page.get_translation_or_none(locale)
            if existing is not None and existing.live and not can_publish_translation(user, existing):
                raise PermissionDenied


class SubmitPageTranslationView(submit_translations.SubmitPageTranslationView):
    def get_object(self):
        page = super().get_object()
        if not can_translate(self.request.user, page):
            raise PermissionDenied
        return page

    def form_valid(self, form):
        pages = [self.object]
        if form.cleaned_data["include_subtree"]:
            descendants = list(self.object.get_descendants().specific())
            if not all(can_translate(self.request.user, page) for page in descendants):
                raise PermissionDenied
            pages += descendants
        refuse_overwriting_live_pages(
            user=self.request.user, pages=pages, locales=list(form.cleaned_data["locales"])
        )
        return super().form_valid(form)


class SubmitSnippetTranslationView(submit_translations.SubmitSnippetTranslationView):
    def get_object(self):
        instance = super().get_object()
        if not can_translate(self.request.user, instance):
            raise PermissionDenied
        return instance


class UpdateTranslationsView(update_translations.UpdateTranslationsView):
    """Sync: bring the original's changes in. Publishing them at once is for publishers only."""

    def get_object(self):
        source = super().get_object()
        try:
            instance = source.get_source_instance()
        except ObjectDoesNotExist:
            raise PermissionDenied from None
        if not can_translate(self.request.user, instance):
            raise PermissionDenied
        return source

    @cached_property
    def may_publish(self) -> bool:
        user = self.request.user
        source_instance = self.object.get_source_instance()
        for translation in self.object.translations.filter(enabled=True).select_related("target_locale"):
            try:
                target = translation.get_target_instance()
            except ObjectDoesNotExist:
                # Publishing re-creates a deleted translation, live: judge by the original's rights.
                target = source_instance
            if not can_publish_translation(user, target):
                return False
        return True

    def get_form(self):
        form = super().get_form()
        if not self.may_publish:
            # A disabled field ignores what is posted for it: the box stays unticked.
            field = form.fields["publish_translations"]
            field.disabled = True
            field.help_text = PUBLISH_NOT_ALLOWED
        return form

    def form_valid(self, form):
        if form.cleaned_data.get("publish_translations") and not self.may_publish:
            raise PermissionDenied
        return super().form_valid(form)


def convert_to_alias(request, page_id: int):
    """An alias shows the original's published content, live: converting one is publishing."""
    page = get_object_or_404(Page, id=page_id, alias_of_id__isnull=True)
    if not can_publish_translation(request.user, page.specific):
        raise PermissionDenied
    return convert.convert_to_alias(request, page_id)


def translation_of_page(page: Page) -> Translation | None:
    """The synced wagtail-localize translation whose target is `page`, if it is one."""
    return (
        Translation.objects.filter(
            source__object_id=page.translation_key, target_locale_id=page.locale_id, enabled=True
        )
        .select_related("source", "target_locale")
        .first()
    )


def can_submit_translation_for_review(user: User | AnonymousUser, page: Page) -> bool:
    """As for any page: the user may edit it, it has a review workflow and is not in review yet."""
    if not user.is_authenticated:
        return False
    permissions = page.permissions_for_user(user)
    return permissions.can_edit() and permissions.can_submit_for_moderation()


@transaction.atomic
def translation_submit_for_review(*, translation: Translation, user: User) -> Page:
    """Save the translated text as the page's newest revision and start its review workflow.

    wagtail-localize's translation editor offers only "Publish", and only to those who may
    publish; this is how everyone else sends a translation through the same review as any page.
    The text goes into a revision only (`save_revision` writes just the page's revision fields),
    so a live translation shows visitors what it showed before until a lead approves it.
    """
    draft = translation.source.get_ephemeral_translated_instance(translation.target_locale, fallback=True)
    draft.save_revision(user=user, log_action=True)
    draft.get_workflow().start(draft, user)
    return draft


class SubmitTranslationForReviewView(TemplateView):
    """Confirm, then submit a translated page for review (the explorer's "more" menu links here)."""

    template_name = "core/admin/submit_translation_for_review.html"

    def dispatch(self, request, *args, **kwargs):
        self.page = get_object_or_404(Page, id=kwargs["page_id"]).specific
        self.translation = translation_of_page(self.page)
        if self.translation is None:
            raise Http404
        if not can_submit_translation_for_review(request.user, self.page):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(page=self.page, translation=self.translation, **kwargs)

    def post(self, request, *args, **kwargs):
        try:
            translation_submit_for_review(translation=self.translation, user=request.user)
        except ValidationError as error:
            messages.error(request, TRANSLATION_NOT_VALID % {"errors": " ".join(error.messages)})
            return redirect("wagtailadmin_pages:edit", self.page.pk)
        messages.success(request, SUBMITTED_FOR_REVIEW % {"title": self.page.get_admin_display_title()})
        return redirect("wagtailadmin_explore", self.page.get_parent().pk)
