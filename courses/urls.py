from django.urls import path

from . import views, workbook_views

app_name = "courses"

urlpatterns = [
    path("deliveries/", views.delivery_list, name="delivery_list"),
    path("deliveries/new/", views.delivery_create, name="delivery_create"),
    path("deliveries/calendar/", views.session_calendar, name="session_calendar"),
    path("deliveries/<id:pk>/", views.delivery_detail, name="delivery_detail"),
    path("deliveries/<id:pk>/edit/", views.delivery_edit, name="delivery_edit"),
    path("deliveries/<id:pk>/status/", views.delivery_status, name="delivery_status"),
    path("deliveries/<id:pk>/sessions/new/", views.session_create, name="session_create"),
    path("deliveries/<id:pk>/sessions/<id:session_pk>/edit/", views.session_edit, name="session_edit"),
    path("deliveries/<id:pk>/sessions/<id:session_pk>/cancel/", views.session_cancel, name="session_cancel"),
    path("deliveries/<id:pk>/enrol/", views.enrol, name="enrol"),
    path(
        "deliveries/<id:pk>/enrolments/<id:enrolment_pk>/withdraw/",
        views.enrolment_withdraw,
        name="enrolment_withdraw",
    ),
    path("deliveries/<id:pk>/calendar.ics", views.delivery_ics, name="delivery_ics"),
    path("calendar/", views.calendar_feed, name="calendar_feed"),
    path("calendar/<str:token>.ics", views.trainer_feed_ics, name="trainer_feed_ics"),
    path("participants/", views.participant_list, name="participant_list"),
    path("participants/new/", views.participant_create, name="participant_create"),
    path("participants/<id:participant_pk>/edit/", views.participant_edit, name="participant_edit"),
    path("participants/import/", views.participant_import, name="participant_import"),
    path("import/", workbook_views.import_workbook, name="import_workbook"),
    path("import/confirm/", workbook_views.import_workbook_confirm, name="import_workbook_confirm"),
    path("import/template.xlsx", workbook_views.import_template, name="import_template"),
    path("import/template/<slug:sheet>.csv", workbook_views.import_template_csv, name="import_template_csv"),
    path("import/export.xlsx", workbook_views.export_workbook, name="export_workbook"),
    path("deliveries/<id:pk>/import/", workbook_views.delivery_import, name="delivery_import"),
    path(
        "deliveries/<id:pk>/import/confirm/",
        workbook_views.delivery_import_confirm,
        name="delivery_import_confirm",
    ),
    path("participants/duplicates/", views.participant_duplicates, name="participant_duplicates"),
]
