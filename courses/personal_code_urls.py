from django.urls import path

from . import personal_code_views

app_name = "personal_codes"

urlpatterns = [
    path(
        "participants/<int:participant_id>/personal-code/",
        personal_code_views.participant_personal_code,
        name="participant",
    ),
    path(
        "deliveries/<int:delivery_id>/personal-codes/",
        personal_code_views.delivery_personal_codes,
        name="delivery",
    ),
]
