"""/api/v1/ (docs/api.md). Each app keeps its endpoints in its own api.py; this file only routes."""

from django.urls import path, re_path
from drf_spectacular.views import SpectacularAPIView

from assessments import api as assessments_api
from attendance import api as attendance_api

from . import views

app_name = "api"

urlpatterns = [
    path("me/sessions/", attendance_api.MySessionsView.as_view(), name="my_sessions"),
    path("sessions/<id:pk>/roster/", attendance_api.SessionRosterView.as_view(), name="session_roster"),
    path("attendance/batches/", attendance_api.AttendanceBatchView.as_view(), name="attendance_batch"),
    path("tests/<id:delivery_id>/<str:phase>/", assessments_api.TestView.as_view(), name="test"),
    path(
        "tests/<id:delivery_id>/<str:phase>/submit/",
        assessments_api.TestSubmitView.as_view(),
        name="test_submit",
    ),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("schema/browse/", views.schema_browse, name="schema_browse"),
    # Last: an address that matches nothing above answers JSON, not Wagtail's HTML 404.
    re_path(r"^(?P<path>.*)$", views.not_found),
]
