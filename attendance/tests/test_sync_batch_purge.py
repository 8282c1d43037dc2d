"""Stored answers to offline sync batches are deleted after HAMKORI_SYNC_BATCH_KEEP_DAYS; the marks stay."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from accounts.roles import Role
from accounts.tests.factories import user_with_role
from attendance.models import AttendanceRecord, AttendanceSource, AttendanceStatus, SyncBatch
from attendance.services import Mark, attendance_marks_save, sync_batches_purge

from .factories import make_roster

pytestmark = pytest.mark.django_db


def _batch(user, key: str, age_days: int) -> SyncBatch:
    batch = SyncBatch.objects.create(
        user=user, idempotency_key=key, request_digest="d" * 64, response={"saved": 1}
    )
    SyncBatch.objects.filter(pk=batch.pk).update(created_at=timezone.now() - timedelta(days=age_days))
    return batch


def test_old_batches_go_recent_ones_and_the_marks_stay():
    trainer = user_with_role(Role.TRAINER)
    roster = make_roster(2, trainers=[trainer])
    session = roster.session
    attendance_marks_save(
        session=session,
        marks=[Mark(participant_id=roster.participants[0].pk, status=AttendanceStatus.PRESENT)],
        recorded_by=trainer,
        source=AttendanceSource.OFFLINE,
    )
    old, recent = _batch(trainer, "old-batch-key", 31), _batch(trainer, "new-batch-key", 2)

    assert sync_batches_purge(older_than_days=30) == 1

    assert list(SyncBatch.objects.values_list("pk", flat=True)) == [recent.pk]
    assert not SyncBatch.objects.filter(pk=old.pk).exists()
    assert AttendanceRecord.objects.filter(session=session).count() == 1


def test_the_command_uses_the_setting_and_says_what_it_did(settings):
    settings.HAMKORI_SYNC_BATCH_KEEP_DAYS = 10
    trainer = user_with_role(Role.TRAINER)
    _batch(trainer, "eleven-days-old", 11)
    _batch(trainer, "nine-days-old-x", 9)
    out = StringIO()
    call_command("purge_sync_batches", stdout=out)
    assert "Deleted 1 offline sync batch(es) older than 10 day(s)" in out.getvalue()
    assert SyncBatch.objects.count() == 1


def test_the_command_refuses_to_delete_todays_batches():
    with pytest.raises(CommandError):
        call_command("purge_sync_batches", days=0)
