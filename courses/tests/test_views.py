"""The /deliveries/ workspace: scoping, filters, bad input, forms, and a fixed number of queries."""

import datetime
from datetime import UTC, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from accounts.tests.factories import user_with_role
from courses.models import Delivery, Enrolment, Session
from courses.tests.factories import (
    DeliveryFactory,
    EnrolmentFactory,
    ParticipantFactory,
    ProjectFactory,
    SessionFactory,
    make_course,
    region,
)
from curriculum.content_cache import note_content_changed

pytestmark = pytest.mark.django_db


@pytest.fixture
def coordinator():
    user = user_with_role(Role.REGIONAL_COORDINATOR, username="coord")
    region("TJ-SU").coordinators.add(user)
    return user


@pytest.fixture
def staff():
    return user_with_role(Role.ME_STAFF, username="mestaff")


def _login(client, user):
    client.force_login(user)
    return client


# Scoping ----------------------------------------------------------------------------------------------


def test_list_requires_login(client):
    response = client.get("/deliveries/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_coordinator_lists_only_their_regions(client, coordinator):
    mine = DeliveryFactory(region=region("TJ-SU"), course=make_course("Хуҷанд курс"))
    other = DeliveryFactory(region=region("KG-O"), course=make_course("Ош курсу"))
    response = _login(client, coordinator).get("/deliveries/")
    assert response.status_code == 200
    assert list(response.context["page"].object_list) == [mine]
    assert f"/deliveries/{other.pk}/" not in response.content.decode()


@pytest.mark.parametrize(
    "path",
    [
        "/deliveries/{pk}/",
        "/deliveries/{pk}/edit/",
        "/deliveries/{pk}/status/",
        "/deliveries/{pk}/sessions/new/",
        "/deliveries/{pk}/enrol/",
        "/deliveries/{pk}/calendar.ics",
    ],
)
def test_coordinator_gets_404_for_another_regions_delivery(client, coordinator, path):
    other = DeliveryFactory(region=region("KG-O"))
    assert _login(client, coordinator).get(path.format(pk=other.pk)).status_code == 404


def test_trainer_gets_404_for_another_trainers_delivery(client):
    trainer, other_trainer = user_with_role(Role.TRAINER), user_with_role(Role.TRAINER)
    mine, theirs = DeliveryFactory(trainers=[trainer]), DeliveryFactory(trainers=[other_trainer])
    _login(client, trainer)
    assert client.get(f"/deliveries/{mine.pk}/").status_code == 200
    assert client.get(f"/deliveries/{theirs.pk}/").status_code == 404
    assert client.get(f"/deliveries/{theirs.pk}/calendar.ics").status_code == 404


def test_trainer_cannot_plan_even_their_own_delivery(client):
    trainer = user_with_role(Role.TRAINER)
    mine = DeliveryFactory(trainers=[trainer])
    _login(client, trainer)
    assert client.get(f"/deliveries/{mine.pk}/edit/").status_code == 404
    assert client.get("/deliveries/new/").status_code == 403
    assert client.get("/participants/").status_code == 403


def test_trainee_sees_own_delivery_without_the_others_on_the_roster(client):
    trainee = user_with_role(Role.TRAINEE)
    delivery = DeliveryFactory()
    EnrolmentFactory(delivery=delivery, participant=ParticipantFactory(user=trainee, full_name="Ман худам"))
    EnrolmentFactory(delivery=delivery, participant=ParticipantFactory(full_name="Шахси дигар"))
    other = DeliveryFactory()
    _login(client, trainee)
    page = client.get(f"/deliveries/{delivery.pk}/").content.decode()
    assert "Ман худам" in page and "Шахси дигар" not in page
    assert client.get(f"/deliveries/{other.pk}/").status_code == 404


def test_unknown_delivery_id_is_404(client, staff):
    assert _login(client, staff).get("/deliveries/999999/").status_code == 404


def test_withdraw_on_another_regions_enrolment_is_404(client, coordinator):
    enrolment = EnrolmentFactory(delivery=DeliveryFactory(region=region("KG-O")))
    response = _login(client, coordinator).post(
        f"/deliveries/{enrolment.delivery_id}/enrolments/{enrolment.pk}/withdraw/"
    )
    assert response.status_code == 404
    assert Enrolment.objects.get(pk=enrolment.pk).status == "enrolled"


# Filters ----------------------------------------------------------------------------------------------


def test_filters_by_iso_codes_status_and_dates(client, staff):
    sughd = DeliveryFactory(region=region("TJ-SU"), status="open")
    SessionFactory(
        delivery=sughd,
        starts_at=datetime.datetime(2026, 3, 2, 4, tzinfo=UTC),
        ends_at=datetime.datetime(2026, 3, 2, 7, tzinfo=UTC),
    )
    osh = DeliveryFactory(region=region("KG-O"), status="planned")
    SessionFactory(
        delivery=osh,
        starts_at=datetime.datetime(2026, 6, 2, 3, tzinfo=UTC),
        ends_at=datetime.datetime(2026, 6, 2, 6, tzinfo=UTC),
    )
    _login(client, staff)

    def rows(query):
        return list(client.get("/deliveries/?" + query).context["page"].object_list)

    assert rows("country=TJ") == [sughd]
    assert rows("region=KG-O") == [osh]
    assert rows("status=planned") == [osh]
    assert rows("start_after=2026-05-01") == [osh]
    assert rows("start_before=2026-05-01") == [sughd]


def test_filters_by_trainer_course_project_audience_and_language(client, staff):
    trainer = user_with_role(Role.TRAINER)
    project = ProjectFactory(code="SC-77")
    course = make_course("Гендер ва милитсия")
    target = DeliveryFactory(trainers=[trainer], project=project, course=course, language="tg")
    EnrolmentFactory(delivery=target, audience="youth")
    DeliveryFactory()
    _login(client, staff)
    for query in (
        f"trainer={trainer.pk}",
        "project=SC-77",
        f"course={course.pk}",
        "audience=youth",
        "language=tg",
    ):
        assert list(client.get("/deliveries/?" + query).context["page"].object_list) == [target], query


@pytest.mark.parametrize(
    "query",
    [
        "country=XX",
        "region=nowhere",
        "course=abc",
        "course=99999",
        "status=lost",
        "start_after=2026-13-45",
        "start_before=yesterday",
        "trainer=-1",
        "audience=aliens",
        "page=zzz",
        "page=9999",
        "project=%00",
    ],
)
def test_bad_filter_values_are_ignored_not_500(client, staff, query):
    DeliveryFactory()
    response = _login(client, staff).get("/deliveries/?" + query)
    assert response.status_code == 200


# The number of queries does not grow with the data ---------------------------------------------------


def _build(count, trainer, project, course):
    for index in range(count):
        delivery = DeliveryFactory(
            region=region("TJ-SU" if index % 2 else "KG-O"),
            trainers=[trainer],
            project=project,
            course=course,
        )
        SessionFactory.create_batch(2, delivery=delivery)
        EnrolmentFactory(delivery=delivery)


def _count_queries(client, path):
    # Every count prints the deliveries filter's options, not the copy a previous request kept.
    note_content_changed()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize(
    "path", ["/deliveries/", "/deliveries/?country=TJ&status=open", "/deliveries/calendar/"]
)
def test_list_query_count_is_the_same_for_5_and_40_deliveries(client, staff, path, monkeypatch):
    # Both sizes over one page: a list that fits on its first page is counted from its rows, one
    # query fewer (core.pagination.page_of, tested in core/tests/test_pagination.py).
    monkeypatch.setattr("courses.views.PAGE_SIZE", 1)
    trainer = user_with_role(Role.TRAINER)
    project = ProjectFactory()
    course = make_course("Курси умумӣ")
    _login(client, staff)
    _build(5, trainer, project, course)
    small = _count_queries(client, path)
    _build(35, trainer, project, course)
    large = _count_queries(client, path)
    assert small == large


def test_participant_list_query_count_is_fixed(client, staff):
    _login(client, staff)
    ParticipantFactory.create_batch(3)
    small = _count_queries(client, "/participants/")
    ParticipantFactory.create_batch(30)
    assert _count_queries(client, "/participants/") == small


# Detail shows local time ----------------------------------------------------------------------------


def test_detail_shows_sessions_in_the_regions_local_time(client, staff, settings):
    settings.TIME_ZONE = "America/New_York"
    delivery = DeliveryFactory(region=region("KG-O"))
    SessionFactory(
        delivery=delivery,
        starts_at=datetime.datetime(2026, 12, 1, 3, tzinfo=UTC),
        ends_at=datetime.datetime(2026, 12, 1, 6, tzinfo=UTC),
    )
    page = _login(client, staff).get(f"/deliveries/{delivery.pk}/").content.decode()
    assert "09:00–12:00" in page
    assert "Bishkek time, UTC+6" in page and "Asia/Bishkek" not in page


# Forms ---------------------------------------------------------------------------------------------


def test_coordinator_plans_a_delivery_in_their_region_with_a_session(client, coordinator):
    course = make_course("Полиция ва ҷомеа")
    _login(client, coordinator)
    response = client.post(
        "/deliveries/new/",
        {"course": course.pk, "region": region("TJ-SU").pk, "language": "tg", "capacity": "20"},
    )
    delivery = Delivery.objects.get()
    assert response.status_code == 302 and delivery.country.iso_code == "TJ"
    response = client.post(
        f"/deliveries/{delivery.pk}/sessions/new/", {"date": "2026-12-01", "starts": "09:00", "ends": "12:00"}
    )
    assert response.status_code == 302
    assert Session.objects.get().starts_at == datetime.datetime(2026, 12, 1, 4, tzinfo=UTC)


def test_coordinator_cannot_plan_in_another_region(client, coordinator):
    course = make_course()
    response = _login(client, coordinator).post(
        "/deliveries/new/",
        {"course": course.pk, "region": region("KG-O").pk, "language": "ky", "capacity": "20"},
    )
    assert response.status_code == 200
    assert "region" in response.context["form"].errors
    assert not Delivery.objects.exists()


def test_bad_delivery_form_keeps_input_and_names_the_field(client, staff):
    response = _login(client, staff).post(
        "/deliveries/new/",
        {"course": "nope", "region": region("TJ-SU").pk, "language": "tg", "capacity": "-3"},
    )
    form = response.context["form"]
    assert response.status_code == 200
    assert set(form.errors) >= {"course", "capacity"}
    assert 'value="-3"' in response.content.decode()
    assert not Delivery.objects.exists()


def test_session_conflict_is_shown_on_the_form_and_nothing_saved(client, staff):
    trainer = user_with_role(Role.TRAINER)
    first = DeliveryFactory(trainers=[trainer], region=region("TJ-SU"))
    second = DeliveryFactory(trainers=[trainer], region=region("TJ-SU"))
    _login(client, staff)
    client.post(
        f"/deliveries/{first.pk}/sessions/new/", {"date": "2026-12-01", "starts": "09:00", "ends": "12:00"}
    )
    response = client.post(
        f"/deliveries/{second.pk}/sessions/new/", {"date": "2026-12-01", "starts": "10:00", "ends": "11:00"}
    )
    assert response.status_code == 200
    assert f"#{first.pk}" in response.content.decode()
    assert not second.sessions.exists()
    response = client.post(
        f"/deliveries/{second.pk}/sessions/new/",
        {
            "date": "2026-12-01",
            "starts": "10:00",
            "ends": "11:00",
            "override_reason": "Co-teaching by design",
        },
    )
    assert response.status_code == 302
    assert second.sessions.get().conflict_override_reason == "Co-teaching by design"


def test_session_date_out_of_range_is_a_form_error(client, staff):
    delivery = DeliveryFactory()
    response = _login(client, staff).post(
        f"/deliveries/{delivery.pk}/sessions/new/", {"date": "0001-01-01", "starts": "09:00", "ends": "10:00"}
    )
    assert response.status_code == 200 and "date" in response.context["form"].errors
    assert not delivery.sessions.exists()


def test_bad_session_date_is_a_form_error(client, staff):
    delivery = DeliveryFactory()
    response = _login(client, staff).post(
        f"/deliveries/{delivery.pk}/sessions/new/", {"date": "2026-02-30", "starts": "25:00", "ends": "x"}
    )
    assert response.status_code == 200
    assert set(response.context["form"].errors) >= {"date", "starts", "ends"}


def test_enrol_many_at_once_honours_capacity(client, coordinator):
    delivery = DeliveryFactory(region=region("TJ-SU"), capacity=3)
    people = ParticipantFactory.create_batch(5, region=region("TJ-SU"))
    _login(client, coordinator)
    search = client.get(f"/deliveries/{delivery.pk}/enrol/?q=Қодиров")
    assert len(search.context["results"]) == 5
    response = client.post(f"/deliveries/{delivery.pk}/enrol/", {"participants": [p.pk for p in people]})
    assert response.status_code == 302
    assert (
        sorted(delivery.enrolments.values_list("status", flat=True)) == ["enrolled"] * 3 + ["waitlisted"] * 2
    )


def test_coordinator_cannot_enrol_someone_from_another_region(client, coordinator):
    delivery = DeliveryFactory(region=region("TJ-SU"))
    outsider = ParticipantFactory(region=region("KG-O"))
    response = _login(client, coordinator).post(
        f"/deliveries/{delivery.pk}/enrol/", {"participants": [outsider.pk]}
    )
    assert response.status_code == 200
    assert not delivery.enrolments.exists()


def test_status_form_refuses_completion_with_future_sessions(client, staff):
    delivery = DeliveryFactory()
    SessionFactory(
        delivery=delivery,
        starts_at=timezone.now() + timedelta(days=1),
        ends_at=timezone.now() + timedelta(days=1, hours=2),
    )
    response = _login(client, staff).post(f"/deliveries/{delivery.pk}/status/", {"status": "completed"})
    assert response.status_code == 200
    assert "status" in response.context["form"].errors


def test_cancelling_from_the_form_needs_a_reason(client, staff):
    delivery = DeliveryFactory()
    _login(client, staff)
    response = client.post(f"/deliveries/{delivery.pk}/status/", {"status": "cancelled", "reason": ""})
    assert "reason" in response.context["form"].errors
    response = client.post(f"/deliveries/{delivery.pk}/status/", {"status": "cancelled", "reason": "Барф"})
    assert response.status_code == 302
    assert Delivery.objects.get(pk=delivery.pk).cancellation_reason == "Барф"


def test_calendar_month_shows_sessions_filtered_by_region_and_trainer(client, staff):
    trainer = user_with_role(Role.TRAINER)
    mine = DeliveryFactory(region=region("TJ-SU"), trainers=[trainer], course=make_course("Курси Суғд"))
    other = DeliveryFactory(region=region("KG-O"), course=make_course("Ош курсу"))
    for delivery, hour in ((mine, 4), (other, 3)):
        SessionFactory(
            delivery=delivery,
            starts_at=datetime.datetime(2026, 12, 3, hour, tzinfo=UTC),
            ends_at=datetime.datetime(2026, 12, 3, hour + 2, tzinfo=UTC),
        )
    _login(client, staff)
    page = client.get("/deliveries/calendar/?month=2026-12").content.decode()
    assert "09:00 Курси Суғд" in page and "09:00 Ош курсу" in page
    page = client.get(f"/deliveries/calendar/?month=2026-12&trainer={trainer.pk}").content.decode()
    assert "Курси Суғд" in page and "Ош курсу" not in page
    page = client.get("/deliveries/calendar/?month=2026-12&region=KG-O").content.decode()
    assert "Курси Суғд" not in page and "Ош курсу" in page
    for query in ("month=2026-99&region=zz&trainer=x", "month=0000-01", "month=9999-12", "month=%00"):
        assert client.get("/deliveries/calendar/?" + query).status_code == 200, query


def test_participant_create_form_names_bad_fields(client, coordinator):
    response = _login(client, coordinator).post(
        "/participants/new/", {"full_name": "", "sex": "x", "audience": "police", "region": region("KG-O").pk}
    )
    assert response.status_code == 200
    assert set(response.context["form"].errors) >= {"full_name", "sex", "region"}


def test_duplicates_page_merges_two_records(client, staff):
    first = ParticipantFactory(full_name="Қодиров Ҷамшед", year_of_birth=1990)
    second = ParticipantFactory(
        full_name="  қодиров  ҷамшед ", year_of_birth=1990, organisation=first.organisation
    )
    EnrolmentFactory(participant=second)
    _login(client, staff)
    groups = client.get("/participants/duplicates/").context["groups"]
    assert [[p.pk for p in group] for group in groups] == [[first.pk, second.pk]]
    response = client.post("/participants/duplicates/", {"keep": first.pk, "duplicate": second.pk})
    assert response.status_code == 302
    assert first.enrolments.count() == 1


def test_nav_links_the_delivery_list():
    assert reverse("courses:delivery_list") == "/deliveries/"


def test_the_workspace_speaks_tajik_and_kyrgyz(client, coordinator):
    _login(client, coordinator)
    client.cookies["django_language"] = "tg"
    assert "Ба нақша гирифтани курс" in client.get("/deliveries/", HTTP_ACCEPT_LANGUAGE="tg").content.decode()
    client.cookies["django_language"] = "ky"
    assert "Курсту пландоо" in client.get("/deliveries/", HTTP_ACCEPT_LANGUAGE="ky").content.decode()


def test_coordinator_edits_own_regions_participant_but_not_anothers(client, coordinator):
    mine = ParticipantFactory(region=region("TJ-SU"))
    theirs = ParticipantFactory(region=region("KG-O"))
    _login(client, coordinator)
    assert client.get(f"/participants/{theirs.pk}/edit/").status_code == 404
    response = client.post(
        f"/participants/{mine.pk}/edit/",
        {
            "full_name": "Назарова Дилором",
            "sex": "female",
            "audience": "police",
            "region": region("TJ-SU").pk,
        },
    )
    assert response.status_code == 302
    mine.refresh_from_db()
    assert (mine.full_name, mine.name_key) == ("Назарова Дилором", "назарова дилором")


def test_session_records_the_modules_it_covers(client, staff):
    from curriculum.models import ModulePage

    course = make_course("Курс бо модулҳо")
    module = course.add_child(instance=ModulePage(title="Модули 1", slug="module-1"))
    delivery = DeliveryFactory(course=course)
    response = _login(client, staff).post(
        f"/deliveries/{delivery.pk}/sessions/new/",
        {"date": "2026-12-01", "starts": "09:00", "ends": "12:00", "modules": [module.pk]},
    )
    assert response.status_code == 302
    assert list(delivery.sessions.get().modules.all()) == [module]


@pytest.mark.parametrize("suffix", ["", "calendar.ics"])
def test_delivery_page_and_feed_query_count_is_fixed(client, staff, suffix):
    delivery = DeliveryFactory()
    SessionFactory.create_batch(2, delivery=delivery)
    EnrolmentFactory.create_batch(2, delivery=delivery)
    _login(client, staff)
    small = _count_queries(client, f"/deliveries/{delivery.pk}/{suffix}")
    SessionFactory.create_batch(10, delivery=delivery)
    EnrolmentFactory.create_batch(15, delivery=delivery)
    assert _count_queries(client, f"/deliveries/{delivery.pk}/{suffix}") == small
