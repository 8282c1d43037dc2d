"""Receivers for changes made anywhere, the Wagtail admin included, which calls no service of ours.

- A new translation of the catalogue gets the review workflow and authors' permissions
  (wagtail-localize's "Translate" action makes it).
- Every change to what the catalogue, course and module pages show replaces their content
  version, so no process serves the content it kept before (curriculum.content_cache).
"""

from django.db.models.signals import post_save
from django.dispatch import receiver
from taggit.models import Tag
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Locale, Page, PageViewRestriction, Site, get_page_models
from wagtail.signals import page_unpublished, post_page_move

from .content_cache import content_changed, replace_version_on_changes_to
from .models import AudienceOption, CourseIndexPage, CourseTopic, TopicName


@receiver(post_save, sender=CourseIndexPage)
def enable_review_on_new_catalogue(sender, instance, created, raw=False, **kwargs):
    if created and not raw:
        from .services import catalogue_enable_review

        catalogue_enable_review(catalogue=instance)


# Moving a page rewrites its descendants' paths in raw SQL; unpublishing is also announced on its own.
post_page_move.connect(content_changed, dispatch_uid="curriculum-page-moved")
page_unpublished.connect(content_changed, dispatch_uid="curriculum-page-unpublished")


def connect_content_receivers() -> None:
    """What the catalogue, course and module pages print (called once the models are loaded)."""
    replace_version_on_changes_to(
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
