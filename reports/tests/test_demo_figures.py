"""The demo's /reports/ figures, recomputed by hand from the records: trained reads the decisions.

Loads the whole demo once (issue 12 asks for it): the newcomer's first report must already tell
trained (completed deliveries, decided completed) from in training (deliveries still running).
"""

import io

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone

from accounts.roles import Role
from accounts.tests.factories import user_with_role
from attendance.models import AttendanceRecord
from attendance.rules import attended_statuses
from courses import rules
from courses.models import Delivery, Enrolment
from reports.selectors import ReportScope, report_figures

pytestmark = pytest.mark.django_db


def test_demo_report_figures_match_a_count_by_hand():
    with override_settings(DEBUG=True):
        call_command("load_demo_data", stdout=io.StringIO())
    now = timezone.now()
    running_or_done = Delivery.objects.exclude(status=Delivery.Status.CANCELLED)
    held = [d.pk for d in running_or_done if d.sessions.filter(rules.held_session_q(now=now)).exists()]
    active = Enrolment.objects.filter(rules.active_enrolment_q(), delivery__in=held)
    trained = set(
        active.filter(
            status=Enrolment.Status.COMPLETED, delivery__status=Delivery.Status.COMPLETED
        ).values_list("participant_id", flat=True)
    )
    in_training = set(
        active.filter(status=Enrolment.Status.ENROLLED).values_list("participant_id", flat=True)
    )
    active_pairs = set(active.values_list("delivery_id", "participant_id"))
    reached = {
        participant_id
        for delivery_id, participant_id in AttendanceRecord.objects.filter(
            rules.held_session_q(now=now, prefix="session__"), status__in=attended_statuses()
        ).values_list("session__delivery_id", "participant_id")
        if (delivery_id, participant_id) in active_pairs
    }
    figures = report_figures(ReportScope(user=user_with_role(Role.ME_STAFF), now=now))
    assert trained and in_training, "the demo has people trained and people in training"
    assert figures.people_trained == len(trained)
    assert figures.people_in_training == len(in_training)
    assert figures.people_reached == len(reached)
    assert figures.deliveries_completed == Delivery.objects.filter(status=Delivery.Status.COMPLETED).count()
