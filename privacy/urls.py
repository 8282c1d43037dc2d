from django.urls import path

from . import views

app_name = "privacy"

urlpatterns = [
    path("privacy/audit/", views.audit_list, name="audit"),
    path("privacy/participants/<id:pk>/", views.participant_privacy, name="participant"),
    path("privacy/participants/<id:pk>/export.json", views.participant_export_json, name="export_json"),
    path("privacy/participants/<id:pk>/export.pdf", views.participant_export_pdf, name="export_pdf"),
]
