"""Every indicator on the hand-built programme of programme.py, with the expected numbers written out."""

from datetime import date

import pytest
from django.utils import timezone

from accounts.roles import Role
from accounts.tests.factories import user_with_role
from assessments.models import Attempt, Certificate, Phase
from core.enums import Audience, OrganisationType, Sex
from courses.models import Country
from courses.tests.factories import region
from reports.filters import ReportFilterSet
from reports.selectors import ReportScope, report_figures

pytestmark = pytest.mark.django_db


def figures_for(user=None, **filters):
    return report_figures(ReportScope(user=user or user_with_role(Role.ME_STAFF), **filters))


def test_headline_figures_for_the_whole_programme(programme):
    figures = figures_for()
    assert figures.deliveries_in_scope == 3
    assert figures.deliveries_completed == 2
    assert figures.sessions_held == 7
    assert figures.training_hours == 20.0
    assert figures.participant_hours == 40.0
    assert figures.people_reached == 6
    # p1 and p2 completed; p8 attended 1 of 1 held in D3, which still runs: in training, not trained.
    assert figures.people_trained == 2
    assert figures.people_in_training == 1
    assert figures.women_trained == 1
    assert figures.trainers_active == 2
    assert (figures.first_time, figures.returning) == (6, 0)


def test_a_person_trained_twice_is_one_person_and_two_completions(programme):
    figures = figures_for()
    assert figures.people_trained == 2
    assert figures.course_completions == 3


def test_breakdown_by_sex_and_audience_uses_the_audience_attended_as(programme):
    rows = {
        (row["audience"], row["participant__sex"]): (
            row["people_reached"],
            row["people_trained"],
            row["course_completions"],
        )
        for row in figures_for().by_sex_audience
    }
    assert rows == {
        ("police", "male"): (1, 1, 2),
        ("police", "female"): (2, 1, 1),  # p2 completed D1; p8 is still in training in D3
        ("civil_society", "female"): (1, 0, 0),
        ("local_authorities", "female"): (1, 0, 0),  # p6 attended 1 of 4
        ("youth", "male"): (1, 0, 0),  # p7; p4 attends as youth but was never present
    }


def test_audience_filter_counts_people_as_they_attended(programme):
    youth = figures_for(audience=Audience.YOUTH)
    assert (youth.people_reached, youth.people_trained, youth.deliveries_in_scope) == (1, 0, 2)
    police = figures_for(audience=Audience.POLICE)
    assert (police.people_reached, police.people_trained, police.course_completions) == (3, 2, 3)


def test_breakdown_by_region(programme):
    rows = {
        row["delivery__region__iso_code"]: (
            row["people_reached"],
            row["people_trained"],
            row["course_completions"],
        )
        for row in figures_for().by_region
    }
    assert rows == {"TJ-SU": (4, 2, 2), "TJ-DU": (2, 1, 1), "KG-GB": (1, 0, 0)}


def test_regions_covered_n_of_m_per_country(programme):
    rows = {row["country__iso_code"]: (row["covered"], row["total"]) for row in figures_for().regions_covered}
    assert rows == {"TJ": (2, 5), "KG": (1, 9)}


def test_period_filter_and_returning_participants(programme):
    figures = figures_for(date_from=date(2025, 5, 1), date_to=date(2025, 12, 31))
    assert figures.deliveries_in_scope == 2
    assert figures.sessions_held == 3
    assert figures.people_reached == 3
    assert (figures.first_time, figures.returning) == (2, 1)  # p1 had attended D1 in March


def test_period_end_is_inclusive(programme):
    assert figures_for(date_from=date(2025, 9, 1), date_to=date(2025, 9, 1)).sessions_held == 1
    assert figures_for(date_from=date(2025, 9, 2), date_to=date(2025, 12, 31)).sessions_held == 0


def test_country_sex_and_organisation_type_filters(programme):
    kyrgyzstan = figures_for(country=Country.objects.get(iso_code="KG"))
    assert (kyrgyzstan.deliveries_in_scope, kyrgyzstan.people_trained) == (1, 0)
    women = figures_for(sex=Sex.FEMALE)
    assert (women.people_reached, women.people_trained, women.women_trained) == (4, 1, 1)
    police_departments = figures_for(organisation_type=OrganisationType.POLICE)
    assert police_departments.people_reached == 5  # p8 has no organisation


def test_deliveries_per_month(programme):
    months = [
        (row["month"].strftime("%Y-%m"), row["deliveries"]) for row in figures_for().deliveries_per_month
    ]
    assert months == [("2025-03", 1), ("2025-06", 1), ("2025-09", 1)]


def test_empty_scope_is_all_zeros(programme):
    figures = figures_for(date_from=date(2030, 1, 1))
    assert figures.is_empty
    assert figures.people_trained == figures.training_hours == figures.participant_hours == 0
    assert figures.by_region == [] and figures.deliveries_per_month == []


def test_scope_without_tests_or_certificates_shows_none_and_zero(programme):
    figures = figures_for()
    assert figures.certificates_issued == 0
    assert figures.test_scores.mean_pre is None and figures.test_scores.paired == 0


def _attempt(delivery, participant, instrument, phase, percent, status=Attempt.Status.SUBMITTED):
    return Attempt.objects.create(
        delivery=delivery,
        participant=participant,
        instrument=instrument,
        phase=phase,
        status=status,
        score=percent,
        max_score=100,
        submitted_at=timezone.now() if status == Attempt.Status.SUBMITTED else None,
    )


def test_test_scores_and_certificates_count_only_active_enrolments_in_scope(programme):
    from assessments.tests.factories import make_instrument

    d1, d2 = programme["deliveries"][:2]
    people = programme["people"]
    instrument = make_instrument(course=programme["course"])
    _attempt(d1, people["p1"], instrument, Phase.PRE, 40)
    _attempt(d1, people["p1"], instrument, Phase.POST, 80)
    _attempt(d1, people["p2"], instrument, Phase.PRE, 50)
    _attempt(d1, people["p2"], instrument, Phase.POST, 60)
    _attempt(d1, people["p3"], instrument, Phase.PRE, 30)
    _attempt(
        d1, people["p4"], instrument, Phase.PRE, 100, status=Attempt.Status.DRAFT
    )  # a draft: not counted
    _attempt(d1, people["p5"], instrument, Phase.PRE, 90)  # withdrawn: not counted
    _attempt(d2, people["p7"], instrument, Phase.POST, 70)
    Certificate.objects.create(delivery=d1, participant=people["p1"])
    Certificate.objects.create(delivery=d2, participant=people["p1"])
    Certificate.objects.create(
        delivery=d1, participant=people["p2"], revoked_at=timezone.now(), revoke_reason="error"
    )
    Certificate.objects.create(delivery=d1, participant=people["p5"])

    figures = figures_for()
    # pre: p1 40, p2 50, p3 30 → 40; post: p1 80, p2 60, p7 70 → 70; gain over the pairs p1 +40, p2 +10 → 25.
    assert figures.test_scores.mean_pre == pytest.approx(40.0)
    assert figures.test_scores.mean_post == pytest.approx(70.0)
    assert figures.test_scores.mean_gain == pytest.approx(25.0)
    assert figures.test_scores.paired == 2
    assert figures.certificates_issued == 2
    assert figures_for(sex=Sex.FEMALE).test_scores.mean_pre == pytest.approx(40.0)  # p2 50, p3 30


def test_coordinator_sees_only_their_regions(programme):
    coordinator = user_with_role(Role.REGIONAL_COORDINATOR)
    region("TJ-SU").coordinators.add(coordinator)
    figures = figures_for(coordinator)
    assert (figures.deliveries_in_scope, figures.people_trained, figures.trainers_active) == (1, 2, 1)
    assert [row["delivery__region__iso_code"] for row in figures.by_region] == ["TJ-SU"]


def test_coordinator_cannot_widen_scope_by_url_parameter(programme):
    coordinator = user_with_role(Role.REGIONAL_COORDINATOR)
    region("TJ-SU").coordinators.add(coordinator)
    filterset = ReportFilterSet({"region": "TJ-DU", "country": "TJ"}, user=coordinator)
    scope = filterset.to_scope()
    assert scope.region is None and scope.country.iso_code == "TJ"
    assert report_figures(scope).people_trained == 2


def test_unknown_filter_values_are_ignored_and_the_rest_kept(programme):
    filterset = ReportFilterSet(
        {"country": "XX", "sex": "robot", "audience": "police", "date_from": "not-a-date"},
        user=user_with_role(Role.ME_STAFF),
    )
    scope = filterset.to_scope()
    assert (scope.country, scope.sex, scope.date_from, scope.audience) == (None, "", None, "police")
    assert set(filterset.form.errors) == {"country", "sex", "date_from"}


def test_trainer_and_trainee_report_on_nothing(programme):
    for role in (Role.TRAINER, Role.TRAINEE, Role.CURRICULUM_EDITOR):
        assert figures_for(user_with_role(role)).is_empty


@pytest.mark.parametrize(
    "filters",
    [
        {},
        {"date_from": date(2025, 6, 1)},
        {"audience": Audience.POLICE},
        {"country": "TJ", "sex": Sex.FEMALE},
    ],
    ids=["everything", "from June", "police", "Tajik women"],
)
@pytest.mark.parametrize(
    "short_list",
    # 2: the three deliveries in scope are "many", the one out of scope (D4) is the short list;
    # 0: both lists are "long", so the scope goes to the database as a subquery.
    [2, 0],
    ids=["out-of-scope list", "subquery"],
)
def test_every_way_of_handing_the_scope_to_the_database_gives_the_same_figures(
    programme, monkeypatch, filters, short_list
):
    from reports import selectors

    if "country" in filters:
        filters = {**filters, "country": Country.objects.get(iso_code=filters["country"])}
    user = user_with_role(Role.ME_STAFF)
    now = timezone.now()
    by_list = report_figures(ReportScope(user=user, now=now, **filters))
    monkeypatch.setattr(selectors, "SHORT_LIST", short_list)
    assert report_figures(ReportScope(user=user, now=now, **filters)) == by_list


def test_staff_figures_are_computed_once_over_unchanged_tables_and_anew_after_a_change(
    programme, django_assert_num_queries
):
    from attendance.models import AttendanceRecord, AttendanceStatus

    staff = user_with_role(Role.ME_STAFF)
    first = figures_for(staff)
    # Unchanged tables: one query (are they up to date?) and the figures kept by the process.
    with django_assert_num_queries(1):
        again = figures_for(staff)
    assert again == first
    # Another filter is other figures.
    assert figures_for(staff, audience=Audience.YOUTH).people_reached != first.people_reached
    # A mark changed (p4 absent → present everywhere in D1): new facts, new figures at once.
    record = AttendanceRecord.objects.filter(participant=programme["people"]["p4"]).first()
    AttendanceRecord.objects.filter(pk=record.pk).update(status=AttendanceStatus.PRESENT)
    changed = figures_for(staff)
    assert changed.participant_hours > first.participant_hours


def test_a_coordinators_figures_are_not_kept(programme):
    from reports import facts
    from reports.selectors import _figures_cache_key

    coordinator = user_with_role(Role.REGIONAL_COORDINATOR)
    freshness = facts.facts_freshen()
    assert freshness.version is not None
    assert _figures_cache_key(ReportScope(user=coordinator), freshness) is None
    assert _figures_cache_key(ReportScope(user=user_with_role(Role.ME_STAFF)), freshness) is not None
