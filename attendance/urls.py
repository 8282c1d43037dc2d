from django.urls import path

from . import views

app_name = "attendance"

urlpatterns = [
    path("sessions/<int:pk>/attendance/", views.session_attendance, name="session"),
    path("sessions/<int:pk>/attendance/walk-in/", views.walk_in, name="walk_in"),
    path("sessions/<int:pk>/attendance/history/", views.session_history_view, name="history"),
    path("sessions/<int:pk>/attendance/paper/", views.paper_entry, name="paper"),
    path("sessions/<int:pk>/attendance/check-in-qr.svg", views.check_in_qr, name="check_in_qr"),
    path("sessions/<int:pk>/sign-in-sheet.pdf", views.session_sheet, name="session_sheet"),
    path("deliveries/<int:pk>/attendance/", views.delivery_attendance_view, name="delivery"),
    path("deliveries/<int:pk>/attendance.<str:fmt>", views.delivery_export, name="delivery_export"),
    path("deliveries/<int:pk>/sign-in-sheet.pdf", views.delivery_sheet, name="delivery_sheet"),
    path("check-in/", views.check_in, name="check_in"),
]
