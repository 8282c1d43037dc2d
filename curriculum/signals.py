"""Receivers for changes made anywhere, the Wagtail admin included, which calls no service of ours.

- A new translation of the catalogue gets the review workflow and authors' permissions
  (wagtail-localize's "Translate" action makes it).
- Every change to what the catalogue, course and module pages show replaces their content
  version, so no process serves the content it kept before (curriculum.content_cache).
"""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from taggit.models import Tag
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Locale, Page, PageViewRestriction, Site, get_page_models
from wagtail.signals import page_unpublished, post_page_move

from .content_cache import note_content_changed
from .models import AudienceOption, CourseIndexPage, CourseTopic, TopicName


@receiver(post_save, sender=CourseIndexPage)
def enable_review_on_new_catalogue(sender, instance, created, raw=False, **kwargs):
    if created and not raw:
        from .services import catalogue_enable_review

        catalogue_enable_review(catalogue=instance)


# Moving a page rewrites its descendants' paths in raw SQL; unpublishing is also announced on its own.
@receiver(post_page_move, dispatch_uid="curriculum-page-moved")
@receiver(page_unpublished, dispatch_uid="curriculum-page-unpublished")
def curriculum_content_changed(sender, **kwargs):
    note_content_changed()


def connect_content_receivers() -> None:
    """Connect to each model the pages print, one by one (called once the models are loaded).

    A page's post_save names its own class, so every page type is named. Not one receiver for every
    sender: a post_delete receiver for all models would stop Django deleting any queryset in one
    statement (it fetches and signals each row when a model has a listener).
    """
    shown = (
        *get_page_models(),
        Page,
        PageViewRestriction,
        Locale,
        Site,
        Tag,
        CourseTopic,
        TopicName,
        AudienceOption,
        get_image_model(),
        get_document_model(),
    )
    for model in set(shown):
        uid = f"curriculum-content-{model._meta.label_lower}"
        post_save.connect(curriculum_content_changed, sender=model, dispatch_uid=f"{uid}-saved")
        post_delete.connect(curriculum_content_changed, sender=model, dispatch_uid=f"{uid}-deleted")
