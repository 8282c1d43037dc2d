from django.apps import AppConfig


class AssessmentsConfig(AppConfig):
    name = "assessments"

    def ready(self):
        from core import audit
        from curriculum.content_cache import replace_version_on_changes_to

        from .models import Answer, Attempt, Certificate, Choice, Instrument, Question

        audit.register(Attempt)
        # A short-text answer is the person's own words: recorded as changed, never its value.
        audit.register(Answer, redact=("value",), participant_of=lambda answer: answer.attempt.participant_id)
        audit.register(Certificate)

        # Kept under the content version (curriculum.content_cache): the course page says whether
        # the course has a test, and selectors.questions_with_choices keeps each test's questions.
        replace_version_on_changes_to(Instrument, Question, Choice)

        # The completion decision needs attendance and post-test scores, which courses and
        # attendance may not import: they announce the events and this app decides, in their
        # transaction (courses.signals, attendance.signals).
        from attendance.signals import marks_changed_after_completion
        from courses.signals import completed_delivery_sessions_changed, delivery_completed

        delivery_completed.connect(_decide_completed_delivery, dispatch_uid="assessments-completion")
        completed_delivery_sessions_changed.connect(
            _decide_after_session_correction, dispatch_uid="assessments-redecide-sessions"
        )
        marks_changed_after_completion.connect(
            _decide_after_mark_correction, dispatch_uid="assessments-redecide"
        )


def _decide_completed_delivery(sender, *, delivery, decided_by=None, **kwargs):
    from .services import completion_decide

    completion_decide(delivery=delivery, decided_by=decided_by)


def _decide_after_mark_correction(sender, *, session, participant_ids, changed_by=None, **kwargs):
    from .services import completion_decide

    completion_decide(delivery=session.delivery, participant_ids=participant_ids, decided_by=changed_by)


def _decide_after_session_correction(sender, *, delivery, changed_by=None, **kwargs):
    from .services import completion_decide

    completion_decide(delivery=delivery, decided_by=changed_by)
