from django.urls import path

from . import views

app_name = "attendance"

urlpatterns = [
    path("today/", views.today, name="today"),
    path("sessions/<id:pk>/attendance/", views.session_attendance, name="session"),
    path("sessions/<id:pk>/attendance/walk-in/", views.walk_in, name="walk_in"),
    path("sessions/<id:pk>/attendance/history/", views.session_history_view, name="history"),
    path("sessions/<id:pk>/attendance/paper/", views.paper_entry, name="paper"),
    path("sessions/<id:pk>/attendance/check-in-qr.svg", views.check_in_qr, name="check_in_qr"),
    path("sessions/<id:pk>/sign-in-sheet.pdf", views.session_sheet, name="session_sheet"),
    path("deliveries/<id:pk>/attendance/", views.delivery_attendance_view, name="delivery"),
    path("deliveries/<id:pk>/attendance.<str:fmt>", views.delivery_export, name="delivery_export"),
    path("deliveries/<id:pk>/sign-in-sheet.pdf", views.delivery_sheet, name="delivery_sheet"),
    path("check-in/", views.check_in, name="check_in"),
]
