from django.urls import path

from . import views

app_name = "courses"

urlpatterns = [
    path("deliveries/", views.delivery_list, name="delivery_list"),
    path("deliveries/new/", views.delivery_create, name="delivery_create"),
    path("deliveries/calendar/", views.session_calendar, name="session_calendar"),
    path("deliveries/<int:pk>/", views.delivery_detail, name="delivery_detail"),
    path("deliveries/<int:pk>/edit/", views.delivery_edit, name="delivery_edit"),
    path("deliveries/<int:pk>/status/", views.delivery_status, name="delivery_status"),
    path("deliveries/<int:pk>/sessions/new/", views.session_create, name="session_create"),
    path("deliveries/<int:pk>/sessions/<int:session_pk>/edit/", views.session_edit, name="session_edit"),
    path(
        "deliveries/<int:pk>/sessions/<int:session_pk>/cancel/", views.session_cancel, name="session_cancel"
    ),
    path("deliveries/<int:pk>/enrol/", views.enrol, name="enrol"),
    path(
        "deliveries/<int:pk>/enrolments/<int:enrolment_pk>/withdraw/",
        views.enrolment_withdraw,
        name="enrolment_withdraw",
    ),
    path("deliveries/<int:pk>/calendar.ics", views.delivery_ics, name="delivery_ics"),
    path("calendar/", views.calendar_feed, name="calendar_feed"),
    path("calendar/<str:token>.ics", views.trainer_feed_ics, name="trainer_feed_ics"),
    path("participants/", views.participant_list, name="participant_list"),
    path("participants/new/", views.participant_create, name="participant_create"),
    path("participants/<int:participant_pk>/edit/", views.participant_edit, name="participant_edit"),
    path("participants/import/", views.participant_import, name="participant_import"),
    path("participants/duplicates/", views.participant_duplicates, name="participant_duplicates"),
]
