from django.apps import AppConfig


class AssessmentsConfig(AppConfig):
    name = "assessments"

    def ready(self):
        from core import audit

        from .models import Answer, Attempt, Certificate

        audit.register(Attempt)
        # A short-text answer is the person's own words: recorded as changed, never its value.
        audit.register(Answer, redact=("value",), participant_of=lambda answer: answer.attempt.participant_id)
        audit.register(Certificate)
