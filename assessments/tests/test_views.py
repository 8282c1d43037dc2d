"""Views: taking a test, paper entry, results, certificates and verification, with the denied cases."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.roles import Role
from courses.models import Region
from courses.tests.factories import DeliveryFactory, EnrolmentFactory, ParticipantFactory, region

from .. import services
from ..models import Answer, Attempt, Certificate, Phase
from ..services import AnswerInput
from .factories import (
    enter_paper,
    make_instrument,
    open_window,
    right_choice,
    single,
    trainee_for,
    wrong_choice,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(make_user):
    trainer = make_user(Role.TRAINER)
    delivery = DeliveryFactory(trainers=[trainer], region=region("TJ-SU"))
    instrument = make_instrument(delivery.course)
    questions = [single(instrument, f"Савол {n}") for n in range(3)]
    participant = EnrolmentFactory(
        delivery=delivery, participant=ParticipantFactory(full_name="Ҷалолова Малика")
    ).participant
    trainee = trainee_for(participant)
    open_window(delivery, Phase.PRE, trainer)
    return {
        "trainer": trainer,
        "delivery": delivery,
        "questions": questions,
        "participant": participant,
        "trainee": trainee,
    }


def take_url(world, phase="pre"):
    return reverse("assessments:take", args=[world["delivery"].pk, phase])


def answers_post(world, token="tok-1", right=True):
    data = {"token": token}
    for question in world["questions"]:
        choice = right_choice(question) if right else wrong_choice(question)
        data[f"q{question.pk}"] = str(choice.choice_ids[0])
    return data


class TestTakingATest:
    def test_my_page_lists_the_open_test(self, client, world):
        client.force_login(world["trainee"])
        response = client.get(reverse("assessments:my"))
        assert response.status_code == 200
        assert take_url(world).encode() in response.content

    def test_submit_then_retry_makes_one_attempt(self, client, world):
        client.force_login(world["trainee"])
        page = client.get(take_url(world))
        assert page.status_code == 200 and "Савол 0" in page.content.decode()
        first = client.post(take_url(world), answers_post(world))
        again = client.post(take_url(world), answers_post(world, right=False))
        assert first.status_code == again.status_code == 302
        attempt = Attempt.objects.get()
        assert attempt.is_submitted and attempt.score == 3 and attempt.source == "online"

    def test_closed_window_refuses_and_returns_what_was_typed(self, client, world):
        services.window_close(delivery=world["delivery"], phase=Phase.PRE, user=world["trainer"])
        client.force_login(world["trainee"])
        data = answers_post(world)
        response = client.post(take_url(world), data)
        assert response.status_code == 409
        content = response.content.decode()
        assert str(services.WINDOW_CLOSED) in content
        chosen = data[f"q{world['questions'][0].pk}"]
        assert f'value="{chosen}"' in content and "checked" in content
        assert not Attempt.objects.exists()

    def test_unknown_choice_is_refused_with_nothing_saved(self, client, world):
        client.force_login(world["trainee"])
        data = answers_post(world)
        data[f"q{world['questions'][0].pk}"] = "999999"
        assert client.post(take_url(world), data).status_code == 400
        assert not Attempt.objects.exists()

    def test_draft_is_saved_as_they_go(self, client, world):
        client.force_login(world["trainee"])
        response = client.post(
            reverse("assessments:save_draft", args=[world["delivery"].pk, "pre"]), answers_post(world)
        )
        assert response.json() == {"saved": True}
        assert Attempt.objects.get().status == "draft" and Answer.objects.count() == 3
        assert "checked" in client.get(take_url(world)).content.decode()

    def test_another_trainees_delivery_is_404(self, client, world):
        outsider = trainee_for(ParticipantFactory())
        client.force_login(outsider)
        assert client.get(take_url(world)).status_code == 404
        assert client.post(take_url(world), answers_post(world)).status_code == 404
        assert not Attempt.objects.exists()

    def test_pre_test_key_is_not_shown_after_submitting(self, client, world):
        client.force_login(world["trainee"])
        client.post(take_url(world), answers_post(world, right=False))
        content = client.get(reverse("assessments:my")).content.decode()
        for question in world["questions"]:
            assert question.choices.get(is_correct=True).text not in content
        assert client.get(take_url(world)).status_code == 302


class TestResults:
    def test_trainer_sees_results(self, client, world):
        enter_paper(
            world["delivery"],
            Phase.PRE,
            {world["participant"]: {q.pk: right_choice(q) for q in world["questions"]}},
        )
        client.force_login(world["trainer"])
        response = client.get(reverse("assessments:delivery_results", args=[world["delivery"].pk]))
        assert response.status_code == 200 and "Ҷалолова Малика" in response.content.decode()
        csv_response = client.get(reverse("assessments:delivery_results_csv", args=[world["delivery"].pk]))
        assert "Ҷалолова Малика" in csv_response.content.decode()
        xlsx = client.get(reverse("assessments:delivery_results_xlsx", args=[world["delivery"].pk]))
        assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"

    @pytest.mark.parametrize("who", ["other_trainer", "other_coordinator", "trainee"])
    def test_results_denied(self, client, world, make_user, who):
        if who == "trainee":
            user = world["trainee"]
        elif who == "other_trainer":
            user = make_user(Role.TRAINER)
        else:
            user = make_user(Role.REGIONAL_COORDINATOR)
            Region.objects.get(iso_code="TJ-KT").coordinators.add(user)
        client.force_login(user)
        for name in (
            "delivery_results",
            "delivery_results_csv",
            "delivery_tests",
            "paper_entry",
            "delivery_certificates",
        ):
            args = [world["delivery"].pk, "pre"] if name == "paper_entry" else [world["delivery"].pk]
            assert client.get(reverse(f"assessments:{name}", args=args)).status_code == 404, name

    def test_coordinator_of_the_region_and_staff_see_results(self, client, world, make_user):
        coordinator = make_user(Role.REGIONAL_COORDINATOR)
        Region.objects.get(iso_code="TJ-SU").coordinators.add(coordinator)
        for user in (coordinator, make_user(Role.ME_STAFF)):
            client.force_login(user)
            assert (
                client.get(reverse("assessments:delivery_results", args=[world["delivery"].pk])).status_code
                == 200
            )

    def test_course_results_for_staff_not_for_trainees(self, client, world, make_user):
        url = reverse("assessments:course_results", args=[world["delivery"].course.pk])
        client.force_login(make_user(Role.ME_STAFF))
        assert client.get(url).status_code == 200
        client.force_login(world["trainee"])
        assert client.get(url).status_code == 403

    def test_results_query_count_does_not_grow(self, client, world):
        def add_participants(count):
            rows = {}
            for _ in range(count):
                participant = EnrolmentFactory(delivery=world["delivery"]).participant
                rows[participant] = {q.pk: right_choice(q) for q in world["questions"]}
            enter_paper(world["delivery"], Phase.PRE, rows)
            enter_paper(world["delivery"], Phase.POST, rows)

        client.force_login(world["trainer"])
        url = reverse("assessments:delivery_results", args=[world["delivery"].pk])

        def count_queries():
            with CaptureQueriesContext(connection) as queries:
                assert client.get(url).status_code == 200
            return len(queries)

        add_participants(9)
        small = count_queries()
        add_participants(30)
        assert world["delivery"].enrolments.count() == 40
        assert count_queries() == small


class TestPaperEntry:
    def test_grid_saves_with_who_entered_it(self, client, world):
        client.force_login(world["trainer"])
        url = reverse("assessments:paper_entry", args=[world["delivery"].pk, "post"])
        assert client.get(url).status_code == 200
        cells = {f"p{world['participant'].pk}-q{q.pk}": "a" for q in world["questions"]}
        assert client.post(url, cells).status_code == 302
        attempt = Attempt.objects.get()
        assert (attempt.source, attempt.entered_by, attempt.phase, attempt.score) == (
            "paper",
            world["trainer"],
            "post",
            3,
        )
        assert 'value="A"' in client.get(url).content.decode()

    def test_bad_cell_names_participant_and_question_and_saves_nothing(self, client, world):
        client.force_login(world["trainer"])
        url = reverse("assessments:paper_entry", args=[world["delivery"].pk, "pre"])
        cells = {f"p{world['participant'].pk}-q{q.pk}": "A" for q in world["questions"]}
        cells[f"p{world['participant'].pk}-q{world['questions'][1].pk}"] = "Z"
        response = client.post(url, cells)
        assert response.status_code == 400
        assert "Ҷалолова Малика, question 2" in response.content.decode()
        assert not Attempt.objects.exists()


class TestCertificates:
    @pytest.fixture
    def certificate(self, world, make_user):
        return services.certificate_issue_manual(
            delivery=world["delivery"],
            participant=world["participant"],
            reason="exception",
            issued_by=make_user(None),
        )

    def test_trainee_downloads_own_certificate_only(self, client, world, certificate):
        client.force_login(world["trainee"])
        assert certificate.display_code.encode() in client.get(reverse("assessments:my")).content
        response = client.get(reverse("assessments:my_certificate_pdf", args=[certificate.display_code]))
        assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
        client.force_login(trainee_for(EnrolmentFactory(delivery=world["delivery"]).participant))
        assert (
            client.get(reverse("assessments:my_certificate_pdf", args=[certificate.display_code])).status_code
            == 404
        )

    def test_public_verification_shows_only_name_course_date_status(self, client, world, certificate):
        response = client.get(reverse("assessments:verify", args=[certificate.display_code]))
        content = response.content.decode()
        assert response.status_code == 200 and "Ҷалолова Малика" in content and "Valid certificate" in content
        assert world["participant"].phone not in content and "exception" not in content
        services.certificate_revoke(certificate=certificate, reason="fraud", revoked_by=world["trainer"])
        content = client.get(reverse("assessments:verify", args=[certificate.code.lower()])).content.decode()
        assert "revoked" in content and "fraud" not in content

    @pytest.mark.parametrize("code", ["0000-0000", "abc", "ZZZZ-ZZZZ-ZZZZ", "%3Cscript%3E"])
    def test_malformed_or_unknown_code_is_a_clear_404(self, client, code):
        response = client.get(f"/certificates/verify/{code}/")
        assert response.status_code == 404
        assert (
            "verification code" in response.content.decode().lower()
            or "no certificate" in response.content.decode().lower()
        )

    def test_lookup_form(self, client, certificate):
        response = client.get(reverse("assessments:verify_lookup"), {"code": certificate.code.lower()})
        assert response.status_code == 302 and response["Location"].endswith(f"/{certificate.code}/")
        bad = client.get(reverse("assessments:verify_lookup"), {"code": "O0O0"})
        assert bad.status_code == 400 and "8 letters and digits" in bad.content.decode()
        assert client.get(reverse("assessments:verify_lookup")).status_code == 200

    def test_trainer_issues_by_rule_but_not_by_hand(self, client, world):
        client.force_login(world["trainer"])
        url = reverse("assessments:delivery_certificates", args=[world["delivery"].pk])
        assert client.post(url, {"action": "issue"}).status_code == 302
        response = client.post(
            url, {"action": "manual", "participant": world["participant"].pk, "reason": "x"}
        )
        assert response.status_code == 403
        assert not Certificate.objects.exists()

    def test_staff_revokes_with_reason(self, client, certificate, make_user):
        client.force_login(make_user(Role.ME_STAFF))
        url = reverse("assessments:certificate_revoke", args=[certificate.pk])
        client.post(url, {"reason": ""})
        certificate.refresh_from_db()
        assert certificate.is_valid
        client.post(url, {"reason": "Duplicate"})
        certificate.refresh_from_db()
        assert not certificate.is_valid and certificate.revoke_reason == "Duplicate"

    def test_delivery_pdf(self, client, world, certificate):
        client.force_login(world["trainer"])
        response = client.get(reverse("assessments:delivery_certificates_pdf", args=[world["delivery"].pk]))
        assert response.status_code == 200 and response.content.startswith(b"%PDF")


def test_window_open_and_close_by_trainer(client, world):
    client.force_login(world["trainer"])
    url = reverse("assessments:delivery_tests", args=[world["delivery"].pk])
    client.post(url, {"phase": "post", "action": "open"})
    assert world["delivery"].test_windows.get(phase="post").is_open
    client.post(url, {"phase": "post", "action": "close"})
    assert not world["delivery"].test_windows.get(phase="post").is_open
    assert client.get(url).status_code == 200


def test_short_answer_marking(client, world):
    from .factories import add_question

    instrument = world["delivery"].course.assessment_instruments.get()
    question = add_question(instrument, "short_text", "Name a partner", points=2)
    attempt, _ = services.attempt_submit(
        delivery=world["delivery"], participant=world["participant"], phase="pre",
        answers={question.pk: AnswerInput(value="махалла")}, token="x",
    )  # fmt: skip
    client.force_login(world["trainer"])
    assert (
        "махалла" in client.get(reverse("assessments:marking", args=[world["delivery"].pk])).content.decode()
    )
    answer = attempt.answers.get(question=question)
    client.post(reverse("assessments:mark_answer", args=[answer.pk]), {"points": "2"})
    attempt.refresh_from_db()
    assert attempt.score == 2 and not attempt.needs_marking


def test_course_page_tag(world):
    from django.template import Context, Template

    template = Template(
        "{% load assessments_tags %}{% course_has_test page %}{% if page|has_pre_post_test %}yes{% endif %}"
    )
    assert "pre-test" in template.render(Context({"page": world["delivery"].course}))
    from courses.tests.factories import make_course

    assert template.render(Context({"page": make_course("No test")})).strip() == ""


def test_course_results_pool_only_the_users_deliveries(client, world):
    other = DeliveryFactory(course=world["delivery"].course)
    EnrolmentFactory(delivery=other, participant=ParticipantFactory(full_name="Бегона Одам"))
    client.force_login(world["trainer"])
    response = client.get(reverse("assessments:course_results", args=[world["delivery"].course.pk]))
    content = response.content.decode()
    assert "Ҷалолова Малика" in content and "Бегона Одам" not in content


def test_course_results_query_count_does_not_grow_with_deliveries(client, world, make_user):
    staff = make_user(Role.ME_STAFF)
    client.force_login(staff)
    url = reverse("assessments:course_results", args=[world["delivery"].course.pk])

    def add_delivery():
        delivery = DeliveryFactory(course=world["delivery"].course)
        rows = {
            EnrolmentFactory(delivery=delivery).participant: {
                q.pk: right_choice(q) for q in world["questions"]
            }
        }
        enter_paper(delivery, Phase.PRE, rows)

    def count_queries():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    add_delivery()
    small = count_queries()
    for _ in range(3):
        add_delivery()
    assert count_queries() == small


def test_signed_out_trainee_is_sent_to_the_personal_code_sign_in(client, world):
    response = client.get(take_url(world))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:code_login") + "?next=/my/tests/")
    assert client.get(reverse("assessments:my"))["Location"].startswith(reverse("accounts:code_login"))


@pytest.mark.parametrize("name", ["delivery_certificates", "paper_entry", "delivery_tests"])
def test_delivery_pages_query_count_does_not_grow(client, world, name, make_user):
    client.force_login(world["trainer"])
    args = [world["delivery"].pk, "pre"] if name == "paper_entry" else [world["delivery"].pk]
    url = reverse(f"assessments:{name}", args=args)
    staff = make_user(None)

    def add(count):
        rows = {}
        for _ in range(count):
            participant = EnrolmentFactory(delivery=world["delivery"]).participant
            rows[participant] = {q.pk: right_choice(q) for q in world["questions"]}
            services.certificate_issue_manual(
                delivery=world["delivery"], participant=participant, reason="test", issued_by=staff
            )
        enter_paper(world["delivery"], Phase.PRE, rows)

    def count_queries():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    add(2)
    small = count_queries()
    add(8)
    assert count_queries() == small
