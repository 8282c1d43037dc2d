"""wagtail-localize's views with our permission checks, mounted in front of its own URLs.

config/urls.py includes these under /admin/localize/ before Wagtail's admin, so the same paths
(and wagtail-localize's `reverse()` names, which resolve to them) reach the checked views of
core/localize_permissions.py. They are decorated as Wagtail decorates its admin URLs.
"""

from django.urls import path
from django.views.decorators.cache import never_cache
from wagtail.admin.auth import require_admin_access
from wagtail.admin.urls import display_custom_404
from wagtail.utils.urlpatterns import decorate_urlpatterns

from .localize_permissions import (
    SubmitPageTranslationView,
    SubmitSnippetTranslationView,
    SubmitTranslationForReviewView,
    UpdateTranslationsView,
    convert_to_alias,
)

urlpatterns = [
    path("submit/page/<id:page_id>/", SubmitPageTranslationView.as_view()),
    path(
        "submit/snippet/<slug:app_label>/<slug:model_name>/<str:pk>/",
        SubmitSnippetTranslationView.as_view(),
    ),
    path("update/<id:translation_source_id>/", UpdateTranslationsView.as_view()),
    path("page/<id:page_id>/convert_to_alias/", convert_to_alias),
    # Ours, beside them: the review path that wagtail-localize's editor lacks.
    path(
        "review/page/<id:page_id>/",
        SubmitTranslationForReviewView.as_view(),
        name="submit_translation_for_review",
    ),
]
urlpatterns = decorate_urlpatterns(urlpatterns, require_admin_access)
urlpatterns = decorate_urlpatterns(urlpatterns, display_custom_404)
urlpatterns = decorate_urlpatterns(urlpatterns, never_cache)
