from django.urls import path

from . import personal_code_views

app_name = "personal_codes"

urlpatterns = [
    path(
        "participants/<id:participant_id>/personal-code/",
        personal_code_views.participant_personal_code,
        name="participant",
    ),
    path(
        "deliveries/<id:delivery_id>/personal-codes/",
        personal_code_views.delivery_personal_codes,
        name="delivery",
    ),
]
