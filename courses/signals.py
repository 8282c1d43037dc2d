"""Events the apps above courses act on, sent by courses' own services (never by model signals).

Why signals: dependencies point one way (curriculum ← courses ← attendance ← assessments ←
reports), yet completing a delivery must decide its enrolments, which needs attendance and
test scores. courses announces the event inside its transaction; assessments connects the
decision to it in its AppConfig.ready, so both commit or neither does.
"""

from django.dispatch import Signal

# Sent with delivery= and decided_by= (a User or None) once a delivery's status became completed.
delivery_completed = Signal()

# Sent with delivery= and changed_by= when a session of a completed delivery was cancelled or
# changed: the held sessions moved, so every enrolment is decided again.
completed_delivery_sessions_changed = Signal()
