"""Events the apps above attendance act on, sent by attendance's own services.

A corrected mark in a completed delivery must re-decide that person's completion, which is the
assessments app's decision (it also reads test scores); attendance may not import it, so it
announces the change inside its transaction and assessments connects the re-decision.
"""

from django.dispatch import Signal

# Sent with session=, participant_ids= (the people whose mark changed) and changed_by= after marks
# were saved for a session of a completed delivery.
marks_changed_after_completion = Signal()
