from django.urls import path

from . import views

app_name = "core"

urlpatterns = [
    path("healthz", views.health, name="health"),
    path("sw.js", views.service_worker, name="service_worker"),
    path("manifest.webmanifest", views.web_manifest, name="web_manifest"),
    path("offline/", views.offline, name="offline"),
]
