from django.urls import path

from . import views

app_name = "assessments"

urlpatterns = [
    path("my/", views.my, name="my"),
    path("my/tests/<id:delivery_id>/<str:phase>/", views.take_test, name="take"),
    path("my/tests/<id:delivery_id>/<str:phase>/draft/", views.save_draft, name="save_draft"),
    path("my/certificates/<str:code>.pdf", views.my_certificate_pdf, name="my_certificate_pdf"),
    path("deliveries/<id:delivery_id>/tests/", views.delivery_tests, name="delivery_tests"),
    path("deliveries/<id:delivery_id>/tests/marking/", views.marking, name="marking"),
    path("deliveries/<id:delivery_id>/tests/<str:phase>/paper/", views.paper_entry, name="paper_entry"),
    path("answers/<id:answer_id>/mark/", views.mark_answer, name="mark_answer"),
    path("deliveries/<id:delivery_id>/results/", views.delivery_results, name="delivery_results"),
    path(
        "deliveries/<id:delivery_id>/results.csv",
        views.delivery_results,
        {"export": "csv"},
        name="delivery_results_csv",
    ),
    path(
        "deliveries/<id:delivery_id>/results.xlsx",
        views.delivery_results,
        {"export": "xlsx"},
        name="delivery_results_xlsx",
    ),
    path("results/courses/<id:course_id>/", views.course_results, name="course_results"),
    path(
        "results/courses/<id:course_id>.csv",
        views.course_results,
        {"export": "csv"},
        name="course_results_csv",
    ),
    path(
        "results/courses/<id:course_id>.xlsx",
        views.course_results,
        {"export": "xlsx"},
        name="course_results_xlsx",
    ),
    path(
        "deliveries/<id:delivery_id>/certificates/",
        views.delivery_certificates,
        name="delivery_certificates",
    ),
    path(
        "deliveries/<id:delivery_id>/certificates.pdf",
        views.delivery_certificates_pdf,
        name="delivery_certificates_pdf",
    ),
    path(
        "deliveries/<id:delivery_id>/certificates/background/",
        views.delivery_certificates_background,
        name="delivery_certificates_background",
    ),
    path("certificates/<id:certificate_id>/revoke/", views.certificate_revoke, name="certificate_revoke"),
    path("certificates/verify/", views.verify_lookup, name="verify_lookup"),
    path("certificates/verify/<str:code>/", views.verify, name="verify"),
]
