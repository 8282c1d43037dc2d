from django.conf import settings
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

# Registers the <id:…> converter every app's URL patterns use for database ids; before the includes.
import core.converters  # noqa: F401

urlpatterns = [
    # Before Wagtail's admin: wagtail-localize's translate, sync and convert-to-alias views with
    # the edit and publish checks it lacks (same paths, so its links and names lead here).
    path("admin/localize/", include("core.localize_urls")),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("accounts/", include("accounts.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/", include("api.urls", namespace="api")),
    path("", include("attendance.urls")),
    path("", include("core.urls")),
    path("", include("courses.personal_code_urls")),
    path("", include("curriculum.urls")),
    path("", include("courses.urls")),
    path("", include("assessments.urls")),
    path("reports/", include("reports.urls")),
    path("jobs/", include("jobs.urls")),
    path("", include("privacy.urls")),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

# Wagtail's page routing catches everything else, so it comes last.
urlpatterns += [path("", include(wagtail_urls))]

# Error pages in the site's layout, translated, with a way back (templates/403.html and friends).
handler403 = "core.views.permission_denied"
handler404 = "core.views.page_not_found"
handler500 = "core.views.server_error"
