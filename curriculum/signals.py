"""Give a new translation of the catalogue the review workflow and authors' permissions.

A signal because translations are also made in the Wagtail admin (simple_translation's
"Translate" action), which calls no service of ours.
"""

from django.db.models.signals import post_save
from django.dispatch import receiver

from .models import CourseIndexPage


@receiver(post_save, sender=CourseIndexPage)
def enable_review_on_new_catalogue(sender, instance, created, raw=False, **kwargs):
    if created and not raw:
        from .services import catalogue_enable_review

        catalogue_enable_review(catalogue=instance)
