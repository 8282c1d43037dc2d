from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("export.xlsx", views.export_xlsx, name="export_xlsx"),
    path("export.pdf", views.export_pdf, name="export_pdf"),
    path("participants.csv", views.export_csv, name="export_csv"),
    path("participants-csv/background/", views.export_csv_background, name="export_csv_background"),
    path("rebuild/", views.rebuild_tables, name="rebuild_tables"),
]
