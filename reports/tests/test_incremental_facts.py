"""Incremental facts: a write rewrites only the facts it concerns, the result equals a full rebuild, readers never wait.

Every kind of write the facts copy is made here through its usual path (a service, a
queryset update, bulk_update, a workbook import, a merge, an erasure, a delete); the
triggers note it, the next report rewrites the rows concerned, and a full rebuild then
finds exactly the same rows.
"""

import threading
from datetime import timedelta

import pytest
from django.db import connection, connections
from django.db.models import Q
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from accounts.tests.factories import user_with_role
from assessments import services as assessment_services
from assessments.models import Phase
from assessments.tests.factories import enter_paper, make_instrument, right_choice, single
from attendance.models import AttendanceRecord, AttendanceStatus
from attendance.services import Mark, attendance_marks_save
from core.enums import Audience, OrganisationType, Sex
from courses import workbook
from courses.models import Delivery, Enrolment, Participant, Session
from courses.services import enrolment_withdraw, participant_merge, session_cancel
from courses.tests.factories import (
    DeliveryFactory,
    EnrolmentFactory,
    OrganisationFactory,
    ParticipantFactory,
    SessionFactory,
    region,
)
from courses.tests.test_workbook import two_past_deliveries
from privacy.services import participant_erase
from reports import facts, triggers
from reports.facts import facts_ensure_fresh, facts_freshen, facts_refresh
from reports.models import EnrolmentFact, FactChange, ReportRefresh
from reports.selectors import ReportScope, report_figures

pytestmark = pytest.mark.django_db

FACT_FIELDS = [
    field.attname for field in EnrolmentFact._meta.concrete_fields if field.attname != "generation"
]


def facts_now() -> dict[int, tuple]:
    return {row[0]: row for row in EnrolmentFact.objects.values_list(*FACT_FIELDS)}


def generations() -> dict[int, int]:
    return dict(EnrolmentFact.objects.values_list("pk", "generation"))


def figures():
    return report_figures(ReportScope(user=user_with_role(Role.ME_STAFF, username="facts-staff")))


def fresh() -> dict[int, int]:
    """Bring the facts up to date (the first time a full build) and return each row's generation."""
    facts_ensure_fresh()
    assert not FactChange.objects.exists()
    return generations()


def assert_rewritten_only(before: dict[int, int], allowed: Q) -> set[int]:
    """The rows a refresh rewrote (new generation, or new rows) all match `allowed`; returns their ids."""
    after = generations()
    rewritten = {pk for pk, generation in after.items() if before.get(pk) != generation}
    allowed_ids = set(EnrolmentFact.objects.filter(allowed).values_list("pk", flat=True))
    assert rewritten <= allowed_ids, f"rewritten beyond the change: {rewritten - allowed_ids}"
    return rewritten


def assert_same_as_full_rebuild() -> None:
    incremental, incremental_figures = facts_now(), figures()
    facts_refresh()
    assert facts_now() == incremental
    assert figures() == incremental_figures


def test_one_changed_mark_rewrites_only_its_enrolment_and_equals_a_full_rebuild(programme):
    before = fresh()
    rows_before = facts_now()
    d1 = programme["deliveries"][0]
    p3 = programme["people"]["p3"]
    fourth = d1.sessions.exclude(status=Session.Status.CANCELLED).order_by("starts_at")[3]
    attendance_marks_save(
        session=fourth,
        marks=[Mark(participant_id=p3.pk, status=AttendanceStatus.PRESENT)],
        recorded_by=None,
        source="web",
    )
    assert facts_ensure_fresh() is True
    p3_fact = Enrolment.objects.get(delivery=d1, participant=p3).pk
    # Only that enrolment's row changed …
    rows_after = facts_now()
    assert {pk for pk in rows_after if rows_after[pk] != rows_before.get(pk)} == {p3_fact}
    assert rows_after[p3_fact][FACT_FIELDS.index("attended_sessions")] == 3
    # … only rows of its delivery were rewritten, and the other deliveries' rows not at all.
    rewritten = assert_rewritten_only(before, Q(delivery=d1))
    assert p3_fact in rewritten
    others = {pk: generation for pk, generation in before.items() if pk not in rewritten}
    assert {pk: generations()[pk] for pk in others} == others
    assert EnrolmentFact.objects.exclude(delivery=d1).exists()
    assert_same_as_full_rebuild()


def _withdraw_p8(programme):
    d3 = programme["deliveries"][2]
    enrolment_withdraw(enrolment=Enrolment.objects.get(delivery=d3, participant=programme["people"]["p8"]))
    return Q(delivery=d3)


def _cancel_a_held_session(programme):
    d1 = programme["deliveries"][0]
    session_cancel(session=d1.sessions.exclude(status=Session.Status.CANCELLED).order_by("starts_at")[0])
    return Q(delivery=d1)


def _change_sex(programme):
    p1 = programme["people"]["p1"]
    p1.sex = Sex.FEMALE
    p1.save()
    return Q(participant=p1)


def _change_organisation(programme):
    p2 = programme["people"]["p2"]
    p2.organisation = OrganisationFactory(type=OrganisationType.SCHOOL)
    p2.save()
    return Q(participant=p2)


def _change_organisation_type(programme):
    organisation = programme["people"]["p1"].organisation
    organisation.type = OrganisationType.SCHOOL
    organisation.save()
    return Q(participant__organisation=organisation)


def _submit_a_test(programme):
    d3, p8 = programme["deliveries"][2], programme["people"]["p8"]
    question = single(make_instrument(course=programme["course"]))
    assert enter_paper(d3, Phase.PRE, {p8: {question.pk: right_choice(question)}}) == 1
    return Q(delivery=d3, participant=p8)


def _issue_and_revoke_a_certificate(programme):
    d1 = programme["deliveries"][0]
    staff = user_with_role(Role.ME_STAFF, username="certifier")
    issued = assessment_services.certificates_issue(delivery=d1, issued_by=staff)
    assert issued
    assessment_services.certificate_revoke(
        certificate=issued[0], reason="Issued by mistake", revoked_by=staff
    )
    return Q(delivery=d1)


def _delete_the_first_delivery(programme):
    # p1's first delivery was D1: afterwards her D2 row is her first (a flag changed, no rewrite).
    programme["deliveries"][0].delete()
    return Q(pk__in=[])


def _erase_a_participant(programme):
    participant_erase(
        participant=programme["people"]["p3"],
        actor=user_with_role(Role.ME_STAFF, username="privacy-officer"),
        reason="Written request",
    )
    return Q(pk__in=[])  # sex, audience, organisation and records stay: nothing to rewrite


def _merge_people(programme):
    participant_merge(keep=programme["people"]["p8"], duplicate=programme["people"]["p7"])
    return Q(participant=programme["people"]["p8"])


def _bulk_update_audiences(programme):
    d2 = programme["deliveries"][1]
    enrolments = list(Enrolment.objects.filter(delivery=d2))
    for enrolment in enrolments:
        enrolment.audience = Audience.COMMUNITY
    Enrolment.objects.bulk_update(enrolments, ["audience"])
    return Q(delivery=d2)


def _import_a_workbook(programme):
    staff = user_with_role(Role.ME_STAFF, username="importer")
    sheets = two_past_deliveries(programme["course"].title)
    plan = workbook.import_workbook(data=workbook.workbook_bytes(sheets), user=staff, commit=True)
    assert plan.ok, plan.errors
    existing = [delivery.pk for delivery in programme["deliveries"]]
    return ~Q(delivery__in=existing)


def _queryset_update_of_marks(programme):
    d2 = programme["deliveries"][1]
    AttendanceRecord.objects.filter(session__delivery=d2, participant=programme["people"]["p7"]).update(
        status=AttendanceStatus.PRESENT
    )
    return Q(delivery=d2)


def _lower_the_course_minimum(programme):
    course = programme["course"]
    type(course).objects.filter(pk=course.pk).update(minimum_attendance_percent=50)
    return Q(delivery__course=course)


def _move_a_delivery(programme):
    d3 = programme["deliveries"][2]
    d3.country, d3.region, d3.venue = region("TJ-KT").country, region("TJ-KT"), None
    d3.save()
    return Q(delivery=d3)


@pytest.mark.parametrize(
    "change",
    [
        _withdraw_p8,
        _cancel_a_held_session,
        _change_sex,
        _change_organisation,
        _change_organisation_type,
        _submit_a_test,
        _issue_and_revoke_a_certificate,
        _delete_the_first_delivery,
        _erase_a_participant,
        _merge_people,
        _bulk_update_audiences,
        _import_a_workbook,
        _queryset_update_of_marks,
        _lower_the_course_minimum,
        _move_a_delivery,
    ],
)
def test_every_kind_of_change_rewrites_only_its_facts_and_equals_a_full_rebuild(programme, change):
    before = fresh()
    allowed = change(programme)
    facts_ensure_fresh()
    assert not FactChange.objects.exists()
    assert_rewritten_only(before, allowed)
    assert_same_as_full_rebuild()


def test_a_change_the_facts_do_not_copy_notes_nothing(programme):
    fresh()
    p1 = programme["people"]["p1"]
    p1.phone = "+992 90 000 00 01"
    p1.save()
    record = AttendanceRecord.objects.filter(participant=p1).first()
    record.note = "came by bus"
    record.save()
    assert not FactChange.objects.exists()
    assert facts_ensure_fresh() is False


def _deliveries_with_marks(count: int) -> list[Delivery]:
    deliveries = []
    start = timezone.now() - timedelta(days=30)
    for _ in range(count):
        delivery = DeliveryFactory()
        sessions = [
            SessionFactory(
                delivery=delivery,
                starts_at=start + timedelta(days=day),
                ends_at=start + timedelta(days=day, hours=2),
            )
            for day in range(2)
        ]
        for _ in range(3):
            participant = ParticipantFactory()
            EnrolmentFactory(delivery=delivery, participant=participant)
            for session in sessions:
                AttendanceRecord.objects.create(
                    session=session,
                    participant=participant,
                    status="present",
                    source="web",
                    recorded_at=start,
                )
        deliveries.append(delivery)
    return deliveries


def _drain_queries(change) -> int:
    change()
    with CaptureQueriesContext(connection) as queries:
        assert facts_ensure_fresh() is True
    return len(queries)


def test_a_drain_takes_the_same_statements_for_one_changed_delivery_as_for_five(db):
    deliveries = _deliveries_with_marks(6)
    fresh()

    def absent_in(chosen):
        def change():
            for delivery in chosen:
                record = AttendanceRecord.objects.filter(session__delivery=delivery, status="present").first()
                AttendanceRecord.objects.filter(pk=record.pk).update(status="absent")

        return change

    def cancel_in(chosen):
        def change():
            for delivery in chosen:
                session_cancel(session=delivery.sessions.exclude(status="cancelled").first())

        return change

    marks_one, marks_five = (
        _drain_queries(absent_in(deliveries[:1])),
        _drain_queries(absent_in(deliveries[1:])),
    )
    assert marks_one == marks_five
    assert marks_one <= 14  # 12 statements and a savepoint
    cancel_one, cancel_five = (
        _drain_queries(cancel_in(deliveries[:1])),
        _drain_queries(cancel_in(deliveries[1:])),
    )
    assert cancel_one == cancel_five
    assert cancel_one <= 20  # and the held counts moved
    assert_same_as_full_rebuild()


def test_nothing_changed_is_one_query(programme):
    fresh()
    with CaptureQueriesContext(connection) as queries:
        assert facts_ensure_fresh() is False
    assert len(queries) == 1


def test_a_report_during_a_rebuild_serves_the_last_tables_with_their_time_and_starts_no_refresh(
    client, programme
):
    fresh()
    stamp = ReportRefresh.objects.get(pk=1)
    ReportRefresh.objects.filter(pk=1).update(rebuild_started_at=timezone.now())
    p1 = programme["people"]["p1"]
    p1.sex = Sex.FEMALE
    p1.save()
    freshness = facts_freshen()
    assert freshness == facts.Freshness(refreshed=False, as_of=stamp.refreshed_at)
    assert FactChange.objects.exists()  # left for the refresh that runs
    assert figures().women_trained == 1  # the last complete figures
    client.force_login(user_with_role(Role.ME_STAFF))
    html = client.get(reverse("reports:dashboard")).content.decode()
    assert "Figures as of" in html

    ReportRefresh.objects.filter(pk=1).update(rebuild_started_at=timezone.now() - timedelta(hours=1))
    assert facts_freshen().refreshed is True  # a rebuild that died an hour ago holds nobody up
    assert figures().women_trained == 2
    assert "Figures as of" not in client.get(reverse("reports:dashboard")).content.decode()


def test_a_full_rebuild_clears_its_mark_and_the_changes(programme):
    fresh()
    FactChange.objects.create(delivery_id=programme["deliveries"][0].pk, participant_id=0)
    rows = facts_refresh()
    assert rows == EnrolmentFact.objects.count() == 9
    stamp = ReportRefresh.objects.get(pk=1)
    assert stamp.rebuild_started_at is None
    assert not FactChange.objects.exists()
    assert set(generations().values()) == {stamp.generation}


def test_a_lost_stamp_means_a_full_build(programme):
    fresh()
    ReportRefresh.objects.all().delete()  # what a TransactionTestCase flush leaves
    EnrolmentFact.objects.all().delete()
    assert facts_ensure_fresh() is True
    assert EnrolmentFact.objects.count() == 9


def test_every_trigger_is_installed():
    assert set(triggers.trigger_names()) <= triggers.installed_trigger_names(connection)


@pytest.mark.skipif(
    connection.vendor != "sqlite", reason="only SQLite drops triggers when it rebuilds a table"
)
def test_a_trigger_dropped_by_a_table_rebuild_is_recreated_and_a_full_rebuild_queued(db):
    FactChange.objects.all().delete()
    name = "reports_fact_change_attendance_attendancerecord_update"
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TRIGGER {name}")
    assert triggers.triggers_ensure(connection) == [name]
    assert name in triggers.installed_trigger_names(connection)
    assert FactChange.objects.filter(delivery_id=0, participant_id=0).exists()
    assert triggers.triggers_ensure(connection) == []


def _in_another_thread(
    work, ready: threading.Event, release: threading.Event
) -> tuple[threading.Thread, list]:
    errors = []

    def run():
        try:
            work()
        except Exception as error:  # reported in the main thread
            errors.append(error)
            ready.set()
        finally:
            connections.close_all()

    thread = threading.Thread(target=run)
    thread.start()
    assert ready.wait(timeout=30)
    return thread, errors


POSTGRESQL_ONLY = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="row locks and concurrent readers: PostgreSQL"
)


@POSTGRESQL_ONLY
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_readers_do_not_wait_for_a_rebuild_in_progress(monkeypatch):
    from reports.tests.programme import build_programme

    programme = build_programme()
    facts_ensure_fresh()
    trained_before, women_before = figures().people_trained, figures().women_trained
    rebuilt, release = threading.Event(), threading.Event()
    original_rebuild = facts._rebuild

    def slow_rebuild(now, generation):
        result = original_rebuild(now, generation)
        rebuilt.set()  # every row deleted and inserted again, not committed: hold the lock here
        release.wait(timeout=30)
        return result

    monkeypatch.setattr(facts, "_rebuild", slow_rebuild)
    thread, errors = _in_another_thread(facts_refresh, rebuilt, release)
    try:
        # A change meanwhile (its writer does not wait either); the report neither waits nor
        # starts a second refresh, and shows the last complete figures with their time.
        p1 = Participant.objects.get(pk=programme["people"]["p1"].pk)
        p1.sex = Sex.FEMALE
        p1.save()
        started = timezone.now()
        report = figures()
        assert timezone.now() - started < timedelta(seconds=3)
        assert (report.people_trained, report.women_trained) == (trained_before, women_before)
        assert report.as_of is not None
    finally:
        release.set()
        thread.join(timeout=60)
    assert not errors
    assert facts_freshen().refreshed is True  # the change noted during the rebuild
    report = figures()
    assert report.as_of is None and report.women_trained == women_before + 1


@POSTGRESQL_ONLY
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_reader_finding_the_refresh_lock_taken_does_not_wait():
    from django.db import transaction

    from reports.tests.programme import build_programme

    programme = build_programme()
    facts_ensure_fresh()
    locked, release = threading.Event(), threading.Event()

    def hold_the_lock():
        with transaction.atomic():
            ReportRefresh.objects.select_for_update().get(pk=1)
            locked.set()
            release.wait(timeout=30)

    thread, errors = _in_another_thread(hold_the_lock, locked, release)
    try:
        p1 = Participant.objects.get(pk=programme["people"]["p1"].pk)
        p1.sex = Sex.FEMALE
        p1.save()
        started = timezone.now()
        freshness = facts_freshen()
        assert timezone.now() - started < timedelta(seconds=3)
        assert freshness.refreshed is False and freshness.as_of is not None
        assert FactChange.objects.exists()
    finally:
        release.set()
        thread.join(timeout=60)
    assert not errors
    assert facts_freshen().refreshed is True
