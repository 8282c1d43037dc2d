"""The access matrix: every named URL of the project, as anonymous and as every role, against DESIGN.md.

`RULES` declares, for each named URL, the requests to make (with the object of the user's own
region or delivery and another one) and the outcome per role:

    ALLOW  an answer (2xx, or a redirect that is not to a sign-in page)
    DENY   401, 403 or 404, and the other region's participant's name nowhere in the body
    LOGIN  a redirect to a sign-in page (anonymous visitors)

A named URL without rules fails `test_every_url_has_access_rules`: adding a view means
declaring who may open it. Wagtail's own admin (`admin/`), documents and the page catch-all
are Wagtail's; `i18n/` is Django's language switch. Every request runs in a transaction that
is rolled back, so POSTs to action views leave the world as it was for the next request.
"""

from dataclasses import dataclass, field

import pytest
from django.core.files.base import ContentFile
from django.db import transaction
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from accounts.roles import Role
from accounts.tests.factories import user_with_role
from assessments.models import Answer, Attempt, Certificate, Phase, QuestionType
from assessments.tests.factories import add_question, make_instrument, open_window
from courses.models import Region
from courses.services import calendar_feed_rotate
from courses.tests.factories import DeliveryFactory, EnrolmentFactory, ParticipantFactory, SessionFactory
from jobs.models import BackgroundJob

ALLOW, DENY, LOGIN = "allow", "deny", "login"
ROLES = ("anonymous", "admin", "me_staff", "coordinator", "editor", "lead", "trainer", "trainee")
EXCLUDED_PREFIXES = ("admin/", "documents/", "i18n/")
EXCLUDED_NAMES = {"wagtail_serve", "wagtailcore_authenticate_with_password", "wagtailcore_login"}
SIGN_IN_PATHS = ("/accounts/login/", "/accounts/code/")


@dataclass(frozen=True)
class Case:
    """One request: `kwargs(world)` gives the URL arguments; `expect` maps role to outcome."""

    label: str
    kwargs: object
    expect: dict
    method: str = "get"
    data: dict = field(default_factory=dict)
    # "application/json" for the API: the data is sent as a JSON body.
    content_type: str = ""


def outcomes(anonymous=LOGIN, default=DENY, **allowed) -> dict:
    """Everyone not named is `default` (anonymous: `anonymous`); named roles get their value."""
    result = dict.fromkeys(ROLES, default)
    result["anonymous"] = anonymous
    result.update(allowed)
    return result


EVERYONE = outcomes(anonymous=ALLOW, default=ALLOW)
SIGNED_IN = outcomes(default=ALLOW)
PROGRAMME_STAFF = outcomes(admin=ALLOW, me_staff=ALLOW)
SUPERUSER = outcomes(admin=ALLOW)


def planners(own: bool) -> dict:
    """Plan deliveries, sessions, enrolments: admin, M&E staff, a coordinator in their own regions."""
    return outcomes(admin=ALLOW, me_staff=ALLOW, coordinator=ALLOW if own else DENY)


def planners_and_trainer(own: bool) -> dict:
    """Mark attendance, see participants: planners plus the delivery's own trainer."""
    return {**planners(own), "trainer": ALLOW if own else DENY}


def with_own_trainee(own: bool) -> dict:
    return {**planners_and_trainer(own), "trainee": ALLOW if own else DENY}


def own_and_other(kwargs_of, expect_of, method="get", data=None):
    return [
        Case("own", lambda world: kwargs_of(world, "own"), expect_of(True), method, data or {}),
        Case("other", lambda world: kwargs_of(world, "other"), expect_of(False), method, data or {}),
    ]


def delivery(world, which):
    return {"pk": world[which]["delivery"].pk}


def session(world, which):
    return {"pk": world[which]["session"].pk}


def delivery_session(world, which):
    return {"pk": world[which]["delivery"].pk, "session_pk": world[which]["session"].pk}


def no_args(world):
    return {}


RULES: dict[str, list[Case]] = {
    "accounts:login": [Case("", no_args, EVERYONE)],
    "accounts:code_login": [Case("", no_args, EVERYONE)],
    "accounts:logout": [Case("", no_args, EVERYONE, method="post")],
    "core:health": [Case("", no_args, EVERYONE)],
    # The field kit's worker, manifest and offline page hold nothing personal (docs/field-kit.md).
    "core:service_worker": [Case("", no_args, EVERYONE)],
    "core:web_manifest": [Case("", no_args, EVERYONE)],
    "core:offline": [Case("", no_args, EVERYONE)],
    "curriculum:catalogue": [Case("", no_args, EVERYONE)],
    "curriculum:page_pdf": [
        Case("print", lambda world: {"page_path": world["course_path"], "document": "print"}, EVERYONE),
        Case(
            "facilitator guide",
            lambda world: {"page_path": world["course_path"], "document": "facilitator-guide"},
            outcomes(default=ALLOW, trainee=DENY),
        ),
    ],
    # Attendance: planners and the delivery's own trainer.
    "attendance:session": own_and_other(session, planners_and_trainer),
    "attendance:walk_in": own_and_other(session, planners_and_trainer, method="post"),
    "attendance:history": own_and_other(session, planners_and_trainer),
    "attendance:paper": own_and_other(session, planners_and_trainer),
    "attendance:check_in_qr": own_and_other(session, planners_and_trainer),
    "attendance:session_sheet": own_and_other(session, planners_and_trainer),
    "attendance:delivery": own_and_other(delivery, planners_and_trainer),
    "attendance:delivery_export": own_and_other(
        lambda world, which: {**delivery(world, which), "fmt": "csv"}, planners_and_trainer
    ),
    "attendance:delivery_sheet": own_and_other(delivery, planners_and_trainer),
    "attendance:check_in": [Case("", no_args, outcomes(trainee=ALLOW))],
    # Today lists the user's own sessions as trainer; planners get their (possibly empty) list.
    "attendance:today": [
        Case("", no_args, outcomes(admin=ALLOW, me_staff=ALLOW, coordinator=ALLOW, trainer=ALLOW))
    ],
    # /api/v1/ (docs/api.md): the pages' scopes; an anonymous request is answered 401, not redirected.
    "api:my_sessions": [
        Case(
            "",
            no_args,
            outcomes(anonymous=DENY, admin=ALLOW, me_staff=ALLOW, coordinator=ALLOW, trainer=ALLOW),
        )
    ],
    "api:session_roster": own_and_other(
        session, lambda own: {**planners_and_trainer(own), "anonymous": DENY}
    ),
    "api:attendance_batch": [
        Case(
            "",
            no_args,
            outcomes(anonymous=DENY, admin=ALLOW, me_staff=ALLOW, coordinator=ALLOW, trainer=ALLOW),
            method="post",
            data={"idempotency_key": "matrix-batch", "marks": []},
            content_type="application/json",
        )
    ],
    "api:test": own_and_other(
        lambda world, which: {"delivery_id": world[which]["delivery"].pk, "phase": "pre"},
        lambda own: outcomes(anonymous=DENY, trainee=ALLOW if own else DENY),
    ),
    "api:test_submit": [
        Case(
            which,
            lambda world, which=which: {"delivery_id": world[which]["delivery"].pk, "phase": "pre"},
            outcomes(anonymous=DENY, trainee=ALLOW if which == "own" else DENY),
            method="post",
            data={"token": "matrix-token", "answers": {}},
            content_type="application/json",
        )
        for which in ("own", "other")
    ],
    "api:schema": [Case("", no_args, outcomes(anonymous=DENY, default=ALLOW))],
    "api:schema_browse": [Case("", no_args, PROGRAMME_STAFF)],
    # Personal codes: whoever may see the participant.
    "personal_codes:participant": own_and_other(
        lambda world, which: {"participant_id": world[which]["participant"].pk}, planners_and_trainer
    ),
    "personal_codes:delivery": own_and_other(
        lambda world, which: {"delivery_id": world[which]["delivery"].pk}, planners_and_trainer
    ),
    # Scheduling.
    # Lists are scoped, not refused: an editor or a trainee sees only what is theirs (maybe nothing).
    "courses:delivery_list": [Case("", no_args, SIGNED_IN)],
    "courses:delivery_create": [Case("", no_args, planners(True))],
    "courses:session_calendar": [Case("", no_args, SIGNED_IN)],
    # A trainee sees their own delivery (with their own enrolment only; see the peer check below).
    "courses:delivery_detail": own_and_other(delivery, with_own_trainee),
    "courses:delivery_edit": own_and_other(delivery, planners),
    "courses:delivery_status": own_and_other(delivery, planners),
    "courses:session_create": own_and_other(delivery, planners),
    "courses:session_edit": own_and_other(delivery_session, planners),
    "courses:session_cancel": own_and_other(delivery_session, planners, method="post"),
    "courses:enrol": own_and_other(delivery, planners),
    "courses:enrolment_withdraw": own_and_other(
        lambda world, which: {
            "pk": world[which]["delivery"].pk,
            "enrolment_pk": world[which]["enrolment"].pk,
        },
        planners,
        method="post",
    ),
    "courses:delivery_ics": own_and_other(delivery, with_own_trainee),
    "courses:calendar_feed": [
        Case("", no_args, outcomes(admin=ALLOW, me_staff=ALLOW, coordinator=ALLOW, trainer=ALLOW))
    ],
    # The token is the credential: anyone holding it may read the feed; a wrong token is not found.
    "courses:trainer_feed_ics": [
        Case("token", lambda world: {"token": world["feed_token"]}, EVERYONE),
        Case("wrong token", lambda world: {"token": "not-a-token"}, outcomes(anonymous=DENY)),
    ],
    # Participants' personal data.
    "courses:participant_list": [Case("", no_args, planners(True))],
    "courses:participant_create": [Case("", no_args, planners(True))],
    "courses:participant_import": [Case("", no_args, planners(True))],
    # Programme records from a workbook (docs/imports.md): planners import, only staff export.
    "courses:import_workbook": [Case("", no_args, planners(True))],
    "courses:import_workbook_confirm": [Case("", no_args, planners(True), method="post")],
    "courses:import_template": [Case("", no_args, planners(True))],
    "courses:import_template_csv": [Case("", lambda world: {"sheet": "participants"}, planners(True))],
    "courses:export_workbook": [Case("", no_args, PROGRAMME_STAFF)],
    "courses:delivery_import": own_and_other(delivery, planners),
    "courses:delivery_import_confirm": own_and_other(delivery, planners, method="post"),
    "courses:participant_duplicates": [Case("", no_args, planners(True))],
    "courses:participant_edit": own_and_other(
        lambda world, which: {"participant_pk": world[which]["participant"].pk}, planners
    ),
    # Tests and certificates: a trainee's own pages; a delivery's tests and results for those who run it.
    # Scoped, not refused: a signed-in user with no participant record sees that they have no training.
    "assessments:my": [Case("", no_args, SIGNED_IN)],
    "assessments:take": own_and_other(
        lambda world, which: {"delivery_id": world[which]["delivery"].pk, "phase": "pre"},
        lambda own: outcomes(trainee=ALLOW if own else DENY),
    ),
    "assessments:save_draft": own_and_other(
        lambda world, which: {"delivery_id": world[which]["delivery"].pk, "phase": "pre"},
        lambda own: outcomes(trainee=ALLOW if own else DENY),
        method="post",
    ),
    # Another trainee's certificate answers 404, even on the same delivery.
    "assessments:my_certificate_pdf": [
        Case("own", lambda world: {"code": world["own"]["certificate"].code}, outcomes(trainee=ALLOW)),
        Case("peer's", lambda world: {"code": world["peer_certificate"].code}, outcomes()),
    ],
    "assessments:delivery_tests": own_and_other(
        lambda world, which: {"delivery_id": world[which]["delivery"].pk}, planners_and_trainer
    ),
    "assessments:marking": own_and_other(
        lambda world, which: {"delivery_id": world[which]["delivery"].pk}, planners_and_trainer
    ),
    "assessments:paper_entry": own_and_other(
        lambda world, which: {"delivery_id": world[which]["delivery"].pk, "phase": "pre"},
        planners_and_trainer,
    ),
    "assessments:mark_answer": own_and_other(
        lambda world, which: {"answer_id": world[which]["answer"].pk}, planners_and_trainer, method="post"
    ),
    "assessments:delivery_results": own_and_other(
        lambda world, which: {"delivery_id": world[which]["delivery"].pk}, planners_and_trainer
    ),
    "assessments:delivery_results_csv": own_and_other(
        lambda world, which: {"delivery_id": world[which]["delivery"].pk}, planners_and_trainer
    ),
    "assessments:delivery_results_xlsx": own_and_other(
        lambda world, which: {"delivery_id": world[which]["delivery"].pk}, planners_and_trainer
    ),
    # Course-wide results pool only the deliveries the user runs or plans: scoped, not refused.
    "assessments:course_results": [
        Case("", lambda world: {"course_id": world["own"]["delivery"].course_id}, planners_and_trainer(True))
    ],
    "assessments:course_results_csv": [
        Case("", lambda world: {"course_id": world["own"]["delivery"].course_id}, planners_and_trainer(True))
    ],
    "assessments:course_results_xlsx": [
        Case("", lambda world: {"course_id": world["own"]["delivery"].course_id}, planners_and_trainer(True))
    ],
    "assessments:delivery_certificates": own_and_other(
        lambda world, which: {"delivery_id": world[which]["delivery"].pk}, planners_and_trainer
    ),
    "assessments:delivery_certificates_pdf": own_and_other(
        lambda world, which: {"delivery_id": world[which]["delivery"].pk}, planners_and_trainer
    ),
    "assessments:delivery_certificates_background": own_and_other(
        lambda world, which: {"delivery_id": world[which]["delivery"].pk}, planners_and_trainer, method="post"
    ),
    # Revoking is for planners; a trainer issues by the completion rule only.
    "assessments:certificate_revoke": own_and_other(
        lambda world, which: {"certificate_id": world[which]["certificate"].pk}, planners, method="post"
    ),
    # Public verification: anyone, showing only name, course, date and validity.
    "assessments:verify_lookup": [Case("", no_args, EVERYONE)],
    "assessments:verify": [Case("", lambda world: {"code": world["own"]["certificate"].code}, EVERYONE)],
    # Reports and exports: programme staff, and coordinators for their own regions (scoped in SQL).
    "reports:dashboard": [Case("", no_args, planners(True))],
    "reports:export_xlsx": [Case("", no_args, planners(True))],
    "reports:export_pdf": [Case("", no_args, planners(True))],
    "reports:export_csv": [Case("", no_args, planners(True))],
    "reports:export_csv_background": [Case("", no_args, planners(True), method="post")],
    # The full rebuild touches every region's figures: programme staff only.
    "reports:rebuild_tables": [Case("", no_args, PROGRAMME_STAFF, method="post")],
    # Background jobs: a list of one's own (maybe empty); a job and its file for its owner only —
    # the admin included, since the file holds what its owner was allowed to see.
    "jobs:list": [Case("", no_args, SIGNED_IN)],
    "jobs:detail": [Case("M&E staff's", lambda world: {"job_id": world["job"].pk}, outcomes(me_staff=ALLOW))],
    "jobs:status": [Case("M&E staff's", lambda world: {"job_id": world["job"].pk}, outcomes(me_staff=ALLOW))],
    "jobs:download": [
        Case("M&E staff's", lambda world: {"job_id": world["job"].pk}, outcomes(me_staff=ALLOW))
    ],
    # Data-subject requests and the audit trail.
    "privacy:audit": [Case("", no_args, SUPERUSER)],
    "privacy:participant": own_and_other(
        lambda world, which: {"pk": world[which]["participant"].pk}, lambda own: PROGRAMME_STAFF
    ),
    "privacy:export_json": own_and_other(
        lambda world, which: {"pk": world[which]["participant"].pk}, lambda own: PROGRAMME_STAFF
    ),
    "privacy:export_pdf": own_and_other(
        lambda world, which: {"pk": world[which]["participant"].pk}, lambda own: PROGRAMME_STAFF
    ),
}


def named_urls(patterns=None, prefix="", namespace=None):
    """(route, name) of every named URL pattern, namespaces included."""
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            inner = namespace
            if pattern.namespace:
                inner = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
            yield from named_urls(pattern.url_patterns, route, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield route, f"{namespace}:{pattern.name}" if namespace else pattern.name


def checked_names() -> set[str]:
    return {
        name
        for route, name in named_urls()
        if not route.lstrip("^").startswith(EXCLUDED_PREFIXES) and name not in EXCLUDED_NAMES
    }


def test_every_url_has_access_rules():
    missing = sorted(checked_names() - set(RULES))
    assert not missing, f"Declare who may open these URLs in tests/test_access_matrix.py RULES: {missing}"
    stale = sorted(set(RULES) - checked_names())
    assert not stale, f"RULES names URLs that no longer exist: {stale}"
    for name, cases in RULES.items():
        for case in cases:
            assert set(case.expect) == set(ROLES), f"{name} {case.label}: give an outcome for every role"


@pytest.fixture
def world(db):
    own_region, other_region = Region.objects.get(iso_code="TJ-SU"), Region.objects.get(iso_code="KG-O")
    users = {
        "admin": user_with_role(None),
        "me_staff": user_with_role(Role.ME_STAFF),
        "coordinator": user_with_role(Role.REGIONAL_COORDINATOR),
        "editor": user_with_role(Role.CURRICULUM_EDITOR),
        "lead": user_with_role(Role.CURRICULUM_LEAD),
        "trainer": user_with_role(Role.TRAINER),
        "trainee": user_with_role(Role.TRAINEE),
    }
    own_region.coordinators.add(users["coordinator"])
    other_trainer = user_with_role(Role.TRAINER)
    data = {"users": users}
    for which, region, trainer in (
        ("own", own_region, users["trainer"]),
        ("other", other_region, other_trainer),
    ):
        the_delivery = DeliveryFactory(region=region, trainers=[trainer])
        participant = ParticipantFactory(region=region, full_name=f"Участник {which} Ғуломов")
        data[which] = {
            "delivery": the_delivery,
            "session": SessionFactory(delivery=the_delivery),
            "participant": participant,
            "enrolment": EnrolmentFactory(delivery=the_delivery, participant=participant),
        }
    # Someone else on the trainee's own delivery: the trainee must never see their name.
    data["peer"] = EnrolmentFactory(
        delivery=data["own"]["delivery"], participant=ParticipantFactory(full_name="Сосед Ҷӯраев")
    ).participant
    data["own"]["participant"].user = users["trainee"]
    data["own"]["participant"].save()
    for which in ("own", "other"):
        the_delivery, participant = data[which]["delivery"], data[which]["participant"]
        instrument = make_instrument(course=the_delivery.course)
        question = add_question(instrument, type=QuestionType.SHORT_TEXT)
        attempt = Attempt.objects.create(
            delivery=the_delivery, participant=participant, instrument=instrument, phase=Phase.PRE
        )
        data[which]["answer"] = Answer.objects.create(attempt=attempt, question=question, value="…")
        data[which]["certificate"] = Certificate.objects.create(
            delivery=the_delivery, participant=participant
        )
        open_window(the_delivery, Phase.PRE, users["admin"])
    data["peer_certificate"] = Certificate.objects.create(
        delivery=data["own"]["delivery"], participant=data["peer"]
    )
    data["course_path"] = data["own"]["delivery"].course.url_path.split("/", 2)[2]
    data["feed_token"] = calendar_feed_rotate(user=users["trainer"]).token
    data["job"] = BackgroundJob.objects.create(
        owner=users["me_staff"],
        kind=BackgroundJob.Kind.CERTIFICATES,
        title="x",
        status="done",
        finished_at=timezone.now(),
        result=ContentFile(b"%PDF-1.4", name="certificates.pdf"),
        result_name="certificates.pdf",
    )
    return data


def outcome_of(response) -> str:
    if response.status_code in (401, 403, 404):  # 401: the API's answer to a request without a session
        return DENY
    if response.status_code in (301, 302, 303) and response["Location"].split("?")[0].endswith(SIGN_IN_PATHS):
        return LOGIN
    # 400: an allowed user's empty POST was refused as a bad form, after the access check.
    if response.status_code < 400 or response.status_code == 400:
        return ALLOW
    return f"status {response.status_code}"


@pytest.mark.parametrize("role", ROLES)
def test_access_matrix(client, world, role):
    if role != "anonymous":
        client.force_login(world["users"][role])
    other_name = world["other"]["participant"].full_name
    wrong = []
    # Logging out ends the client's session, so it goes last.
    for name, cases in sorted(RULES.items(), key=lambda item: item[0] == "accounts:logout"):
        for case in cases:
            url = reverse(name, kwargs=case.kwargs(world))
            extra = {"content_type": case.content_type} if case.content_type else {}
            with transaction.atomic():
                response = getattr(client, case.method)(url, case.data, **extra)
                transaction.set_rollback(True)
            got, expected = outcome_of(response), case.expect[role]
            if got != expected:
                wrong.append(
                    f"{case.method.upper()} {url} ({name} {case.label}): expected {expected}, got {got}"
                )
            body = response.content.decode(errors="replace") if not response.streaming else ""
            if got == DENY and other_name in body:
                wrong.append(f"{url} ({name} {case.label}): denied but shows the other participant's name")
            if role == "trainee" and world["peer"].full_name in body:
                wrong.append(f"{url} ({name} {case.label}): shows another trainee's name to a trainee")
    assert not wrong, f"As {role}:\n" + "\n".join(wrong)
