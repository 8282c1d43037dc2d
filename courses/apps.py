from django.apps import AppConfig


class CoursesConfig(AppConfig):
    name = "courses"

    def ready(self):
        from core import audit

        from .models import Enrolment, Participant
        from .option_lists import connect_option_receivers
        from .permissions import register_policies

        register_policies()
        connect_option_receivers()
        # Names, phone, year of birth and position are recorded as changed, never their values.
        audit.register(
            Participant,
            redact=("full_name", "latin_name", "phone", "year_of_birth", "position", "name_key"),
        )
        audit.register(Enrolment)
