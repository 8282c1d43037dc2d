"""Reads for tests, results and certificates, in a fixed number of queries whatever the cohort size."""

import statistics
from dataclasses import dataclass, field
from datetime import datetime

from django.contrib.auth.models import AnonymousUser, User
from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from attendance.selectors import AttendanceSummary, attendance_summaries, in_reader_order
from core.collation import reader_order, reader_sort_key
from core.localtime import local_date
from courses.models import Delivery, Enrolment, Participant, Session
from courses.rules import active_enrolment_q, deliveries_managed_by
from curriculum.content_cache import content_version, kept_value

from . import rules, stats
from .models import Answer, Attempt, Certificate, Instrument, Phase, Question, QuestionType, TestWindow

# An item "almost everyone knew before training" when this share answered it right in the pre test.
KNOWN_BEFORE_FACILITY = 0.9


def instruments_for_course(course) -> QuerySet[Instrument]:
    """The course's instruments in every locale (the course page itself may be any locale's copy)."""
    return Instrument.objects.filter(course__translation_key=course.translation_key).select_related("locale")


def course_has_test(course) -> bool:
    return instruments_for_course(course).exists()


def instrument_for_delivery(delivery: Delivery) -> Instrument | None:
    """The course's instrument in the delivery's language, else the one in any other locale (oldest first).

    Kept by the process under the content version, as each test's questions are: a trainee's test
    page, first autosave and submit each asked for it (issue 18), and a change to an instrument or a
    course page replaces the version (assessments/apps.py, curriculum/signals.py).
    """
    course = delivery.course

    def read() -> tuple[Instrument | None]:
        instruments = list(instruments_for_course(course).order_by("pk"))
        for instrument in instruments:
            if instrument.locale.language_code == delivery.language:
                return (instrument,)
        return (instruments[0] if instruments else None,)

    # In a one-tuple, so that "no test" is kept too.
    key = f"assessments:instrument-for:{course.translation_key}:{delivery.language}:{content_version()}"
    return kept_value(key, read)[0]


def instrument_with_questions(instrument: Instrument) -> Instrument:
    return (
        Instrument.objects.filter(pk=instrument.pk)
        .prefetch_related(
            Prefetch(
                "questions", queryset=Question.objects.order_by("sort_order").prefetch_related("choices")
            )
        )
        .get()
    )


def questions_with_choices(instrument_id: int) -> list[Question]:
    """An instrument's questions in order, with their choices.

    Every test page, autosave and submit reads them: the process keeps them under the content
    version (curriculum.content_cache), which any change to an instrument, question or choice
    replaces in its own transaction (assessments/apps.py), so a test is never shown or scored
    from a copy older than the request. One query when kept (the version), three when read.
    """
    return kept_value(
        f"assessments:questions:{instrument_id}:{content_version()}",
        lambda: list(
            Question.objects.filter(instrument_id=instrument_id)
            .order_by("sort_order")
            .prefetch_related("choices")
        ),
    )


def courses_with_tests() -> frozenset:
    """The translation keys of the courses that have a test (an instrument in any language).

    Kept by the process under the content version, as the questions are: an instrument's change
    replaces the version, and so does a course page's (assessments/apps.py, curriculum/signals.py).
    """
    return kept_value(
        f"assessments:courses-with-tests:{content_version()}",
        lambda: frozenset(Instrument.objects.values_list("course__translation_key", flat=True).distinct()),
    )


def participant_for_user(user: User | AnonymousUser) -> Participant | None:
    if not user.is_authenticated:
        return None
    return Participant.objects.filter(user=user).first()


def test_windows(delivery: Delivery) -> dict[str, TestWindow | None]:
    windows = {window.phase: window for window in TestWindow.objects.filter(delivery=delivery)}
    return {phase: windows.get(phase) for phase in Phase.values}


def window_is_open(delivery: Delivery, phase: str) -> bool:
    return TestWindow.objects.filter(rules.window_open_q(), delivery=delivery, phase=phase).exists()


@dataclass
class MyTest:
    delivery: Delivery
    phase: str
    phase_label: str
    is_open: bool
    attempt: Attempt | None

    @property
    def can_take(self) -> bool:
        return self.is_open and not (self.attempt and self.attempt.is_submitted)


@dataclass
class MySession:
    """A session on a trainee's schedule, with where it stands in their week: past, today, next or later."""

    session: Session
    when: str


@dataclass
class MyDelivery:
    delivery: Delivery
    enrolment: Enrolment
    tests: list[MyTest]
    certificate: Certificate | None
    post_done: bool
    sessions: list[MySession] = field(default_factory=list)
    # The sessions as the page prints them, written by the view (assessments.views._my_session_html).
    session_rows: list[str] = field(default_factory=list)
    pre_percent: float | None = None
    post_percent: float | None = None
    # None until a post-test is submitted and fully marked; then the course's pass rule.
    passed: bool | None = None

    @property
    def change(self) -> float | None:
        """Percentage points gained from the pre to the post test."""
        if self.pre_percent is None or self.post_percent is None:
            return None
        return self.post_percent - self.pre_percent


def _schedule(sessions: list[Session], *, region, now: datetime) -> list[MySession]:
    """Each session marked past, today, next (the first one after today) or later, in the region's days."""
    today = local_date(now, region)
    rows, next_found = [], False
    for session in sessions:
        day = local_date(session.starts_at, region)
        if day < today:
            when = "past"
        elif day == today:
            when = "today"
        elif not next_found and session.status != Session.Status.CANCELLED:
            when, next_found = "next", True
        else:
            when = "later"
        rows.append(MySession(session, when))
    return rows


def _submitted_percent(attempt: Attempt | None) -> float | None:
    if attempt is None or not attempt.is_submitted or attempt.needs_marking:
        return None
    return attempt.percent


# What /my/ prints of each enrolment: a course is a Wagtail page of ~40 columns, and building them all
# (and the delivery's) was ~0.5 ms of the page's ORM time (issue 18).
MY_ENROLMENT_FIELDS = (
    *(field.name for field in Enrolment._meta.concrete_fields),
    *("delivery__course_id", "delivery__region_id", "delivery__venue_id"),
    *("delivery__course__title", "delivery__course__translation_key", "delivery__course__pass_mark_percent"),
    *("delivery__region__name", "delivery__region__name_ru", "delivery__region__name_tg"),
    *("delivery__region__name_ky", "delivery__region__timezone", "delivery__venue__name"),
)


# The page's heading names the participant, who comes with their enrolments (my_participant_and_training).
MY_PARTICIPANT_FIELDS = tuple(f"participant__{field.name}" for field in Participant._meta.concrete_fields)


def _my_enrolments(*, with_participant: bool = False, **lookup) -> list[Enrolment]:
    enrolments = Enrolment.objects.filter(**lookup).select_related(
        "delivery__course", "delivery__region", "delivery__venue"
    )
    fields = MY_ENROLMENT_FIELDS
    if with_participant:
        enrolments, fields = enrolments.select_related("participant"), fields + MY_PARTICIPANT_FIELDS
    return list(enrolments.only(*fields).order_by("-delivery__created_at"))


def my_participant_and_training(
    user: User, *, now: datetime | None = None
) -> tuple[Participant | None, list[MyDelivery]]:
    """/my/: the user's participant record and `my_training`, in one query fewer: the participant comes
    with their enrolments; it is read on its own only for someone enrolled nowhere (issue 18)."""
    enrolments = _my_enrolments(participant__user=user, with_participant=True)
    if not enrolments:
        return participant_for_user(user), []
    participant = enrolments[0].participant
    return participant, _training(participant, enrolments, now=now)


def my_training(participant: Participant, *, now: datetime | None = None) -> list[MyDelivery]:
    """A trainee's deliveries with their sessions, tests, results and certificates (six queries)."""
    return _training(participant, _my_enrolments(participant=participant), now=now)


def _training(
    participant: Participant, enrolments: list[Enrolment], *, now: datetime | None
) -> list[MyDelivery]:
    now = now or timezone.now()
    delivery_ids = [enrolment.delivery_id for enrolment in enrolments]
    windows = {
        (window.delivery_id, window.phase): window
        for window in TestWindow.objects.filter(delivery_id__in=delivery_ids)
    }
    attempts = {
        (attempt.delivery_id, attempt.phase): attempt
        for attempt in Attempt.objects.filter(participant=participant, delivery_id__in=delivery_ids)
    }
    certificates = {
        certificate.delivery_id: certificate
        for certificate in Certificate.objects.filter(participant=participant, delivery_id__in=delivery_ids)
    }
    with_tests = courses_with_tests()
    sessions: dict[int, list[Session]] = {}
    for session in (
        Session.objects.filter(delivery_id__in=delivery_ids)
        .select_related("venue")
        .order_by("starts_at", "pk")
    ):
        sessions.setdefault(session.delivery_id, []).append(session)
    result = []
    for enrolment in enrolments:
        delivery = enrolment.delivery
        tests = []
        if delivery.course.translation_key in with_tests:
            for phase, label in Phase.choices:
                window = windows.get((delivery.pk, phase))
                tests.append(
                    MyTest(
                        delivery,
                        phase,
                        label,
                        bool(window and window.is_open),
                        attempts.get((delivery.pk, phase)),
                    )
                )
        post = attempts.get((delivery.pk, Phase.POST))
        post_percent = _submitted_percent(post)
        result.append(
            MyDelivery(
                delivery,
                enrolment,
                tests,
                certificates.get(delivery.pk),
                bool(post and post.is_submitted),
                sessions=_schedule(sessions.get(delivery.pk, []), region=delivery.region, now=now),
                pre_percent=_submitted_percent(attempts.get((delivery.pk, Phase.PRE))),
                post_percent=post_percent,
                passed=(
                    None
                    if post_percent is None
                    else rules.passes(percent=post_percent, pass_mark=delivery.course.pass_mark_percent)
                ),
            )
        )
    return result


# --- results ---------------------------------------------------------------------------------------


@dataclass
class ParticipantResult:
    participant: Participant
    delivery_id: int
    pre: float | None = None
    post: float | None = None
    pre_source: str = ""
    post_source: str = ""
    needs_marking: bool = False
    passed: bool | None = None

    @property
    def change(self) -> float | None:
        if self.pre is None or self.post is None:
            return None
        return self.post - self.pre


@dataclass
class ItemStat:
    number: int
    text: str
    type: str
    n_pre: int = 0
    n_post: int = 0
    facility_pre: float | None = None
    facility_post: float | None = None
    discrimination: float | None = None
    flags: list[str] = field(default_factory=list)


@dataclass
class LikertStat:
    number: int
    text: str
    n_pre: int = 0
    n_post: int = 0
    mean_pre: float | None = None
    mean_post: float | None = None


@dataclass
class Summary:
    participants: int
    n_pre: int
    n_post: int
    paired_n: int
    mean_pre: float | None
    mean_post: float | None
    mean_change: float | None
    ci_low: float | None
    ci_high: float | None
    normalized_gain: float | None
    share_improved: float | None
    share_passed: float | None
    pass_mark: int


@dataclass
class Results:
    rows: list[ParticipantResult]
    summary: Summary
    items: list[ItemStat]
    likert: list[LikertStat]


FLAG_KNOWN_BEFORE = "known_before"
FLAG_NEGATIVE = "negative_discrimination"


def _mean(values: list[float]) -> float | None:
    return statistics.fmean(values) if values else None


def compute_results(
    *,
    enrolments: list[Enrolment],
    attempts: list[Attempt],
    answers: list[Answer],
    questions: list[Question],
    pass_mark: int,
) -> Results:
    """Every figure of the results page from rows already fetched; pure, so tests can check it by hand."""
    rows: dict[tuple[int, int], ParticipantResult] = {
        (enrolment.delivery_id, enrolment.participant_id): ParticipantResult(
            enrolment.participant, enrolment.delivery_id
        )
        for enrolment in enrolments
    }
    for attempt in attempts:
        row = rows.get((attempt.delivery_id, attempt.participant_id))
        if row is None:
            continue
        setattr(row, attempt.phase, attempt.percent)
        setattr(row, f"{attempt.phase}_source", attempt.source)
        row.needs_marking = row.needs_marking or attempt.needs_marking
        if attempt.phase == Phase.POST and attempt.percent is not None:
            row.passed = rules.passes(percent=attempt.percent, pass_mark=pass_mark)
    ordered_rows = sorted(
        rows.values(), key=lambda row: (reader_sort_key(row.participant.name_sort_key), row.delivery_id)
    )

    pre_values = [row.pre for row in ordered_rows if row.pre is not None]
    post_values = [row.post for row in ordered_rows if row.post is not None]
    paired = [row for row in ordered_rows if row.change is not None]
    changes = [row.change for row in paired]
    mean_pre = _mean([row.pre for row in paired])
    mean_post = _mean([row.post for row in paired])
    interval = stats.mean_ci_95(changes)
    passed = [row.passed for row in ordered_rows if row.passed is not None]
    summary = Summary(
        participants=len(ordered_rows),
        n_pre=len(pre_values),
        n_post=len(post_values),
        paired_n=len(paired),
        mean_pre=mean_pre,
        mean_post=mean_post,
        mean_change=_mean(changes),
        ci_low=interval[0] if interval else None,
        ci_high=interval[1] if interval else None,
        normalized_gain=stats.normalized_gain(mean_pre, mean_post) if paired else None,
        share_improved=(sum(change > 0 for change in changes) / len(paired)) if paired else None,
        share_passed=(sum(passed) / len(passed)) if passed else None,
        pass_mark=pass_mark,
    )
    items, likert = _item_analysis(attempts, answers, questions, set(rows))
    return Results(rows=ordered_rows, summary=summary, items=items, likert=likert)


def _item_analysis(
    attempts: list[Attempt], answers: list[Answer], questions: list[Question], enrolled: set[tuple[int, int]]
) -> tuple[list[ItemStat], list[LikertStat]]:
    # Questions are pooled across locales by translation key, numbered as in the first instrument seen.
    first_instrument = min((question.instrument_id for question in questions), default=None)
    ordered = sorted(
        questions, key=lambda question: (question.instrument_id != first_instrument, question.sort_order or 0)
    )
    keys: dict = {}
    for question in ordered:
        keys.setdefault(question.translation_key, question)
    key_of = {question.pk: question.translation_key for question in questions}
    numbered = {key: (number, question) for number, (key, question) in enumerate(keys.items(), start=1)}
    points_of = {question.pk: float(question.points) for question in questions}

    counted = {
        attempt.pk: attempt
        for attempt in attempts
        if (attempt.delivery_id, attempt.participant_id) in enrolled
    }
    # item scores per attempt: {attempt_id: {key: points earned}}; a missing answer earns 0.
    earned: dict[int, dict] = {attempt_id: {} for attempt_id in counted}
    likert_values: dict[tuple, list[float]] = {}
    for answer in answers:
        attempt = counted.get(answer.attempt_id)
        key = key_of.get(answer.question_id)
        if attempt is None or key is None:
            continue
        question = numbered[key][1]
        if question.type == QuestionType.LIKERT:
            if answer.value.isdigit():
                likert_values.setdefault((key, attempt.phase), []).append(float(answer.value))
        elif answer.score is not None:
            earned[attempt.pk][key] = float(answer.score)

    items, likert = [], []
    for key, (number, question) in numbered.items():
        if question.type == QuestionType.LIKERT:
            pre, post = likert_values.get((key, Phase.PRE), []), likert_values.get((key, Phase.POST), [])
            likert.append(LikertStat(number, question.text, len(pre), len(post), _mean(pre), _mean(post)))
            continue
        points = points_of[question.pk]
        item = ItemStat(number, question.text, question.type)
        for phase in Phase.values:
            phase_attempts = [attempt for attempt in counted.values() if attempt.phase == phase]
            shares = [earned[attempt.pk].get(key, 0.0) / points for attempt in phase_attempts if points]
            setattr(item, f"n_{phase}", len(phase_attempts))
            setattr(item, f"facility_{phase}", _mean(shares))
        # Discrimination on the post test (what training aims at); the pre test when there is no post yet.
        phase = Phase.POST if item.n_post else Phase.PRE
        phase_attempts = [attempt for attempt in counted.values() if attempt.phase == phase]
        item_scores = [earned[attempt.pk].get(key, 0.0) for attempt in phase_attempts]
        rest_scores = [
            sum(earned[attempt.pk].values()) - earned[attempt.pk].get(key, 0.0) for attempt in phase_attempts
        ]
        item.discrimination = stats.pearson(item_scores, rest_scores)
        if item.facility_pre is not None and item.facility_pre >= KNOWN_BEFORE_FACILITY:
            item.flags.append(FLAG_KNOWN_BEFORE)
        if item.discrimination is not None and item.discrimination < 0:
            item.flags.append(FLAG_NEGATIVE)
        items.append(item)
    return items, likert


def _results_for(deliveries: QuerySet[Delivery], pass_mark: int) -> Results:
    enrolments = list(
        Enrolment.objects.filter(active_enrolment_q(), delivery__in=deliveries).select_related("participant")
    )
    attempts = list(Attempt.objects.filter(delivery__in=deliveries, status=Attempt.Status.SUBMITTED))
    answers = list(
        Answer.objects.filter(
            attempt__delivery__in=deliveries, attempt__status=Attempt.Status.SUBMITTED
        ).only("attempt_id", "question_id", "value", "score")
    )
    instrument_ids = {attempt.instrument_id for attempt in attempts}
    questions = list(Question.objects.filter(instrument_id__in=instrument_ids))
    return compute_results(
        enrolments=enrolments, attempts=attempts, answers=answers, questions=questions, pass_mark=pass_mark
    )


def delivery_results(delivery: Delivery) -> Results:
    """Results of one delivery in five queries (the delivery's course is already loaded by the view)."""
    return _results_for(Delivery.objects.filter(pk=delivery.pk), delivery.course.pass_mark_percent)


def course_results(course, user: User) -> Results:
    """The same figures pooled over the deliveries of a course (in any locale) that the user may see."""
    deliveries = results_deliveries_for(user).filter(course__translation_key=course.translation_key)
    return _results_for(deliveries, course.pass_mark_percent)


def results_deliveries_for(user: User | AnonymousUser) -> QuerySet[Delivery]:
    """Deliveries whose results a user may read: trainers of it, coordinators of its region, staff.

    A trainee reads only their own scores on /my/, never a delivery's results.
    """
    return deliveries_managed_by(user)


# --- certificates ----------------------------------------------------------------------------------


@dataclass
class CertificateCandidate:
    """An active participant of the delivery, their figures, and the stored completion decision."""

    participant: Participant
    enrolment: Enrolment
    attendance: AttendanceSummary | None
    post_percent: float | None
    pass_mark: int
    certificate: Certificate | None

    @property
    def meets_attendance(self) -> bool:
        return bool(self.attendance and self.attendance.meets_rule)

    @property
    def passed_post(self) -> bool:
        return rules.passes(percent=self.post_percent, pass_mark=self.pass_mark)

    @property
    def eligible(self) -> bool:
        """A certificate by rule follows the decision, never the raw figures."""
        return self.enrolment.status == Enrolment.Status.COMPLETED


def certificate_candidates(*, delivery: Delivery) -> list[CertificateCandidate]:
    """Each active participant of the delivery with the two halves of the completion rule.

    The enrolments are read once, for the rows and for their attendance, and sorted here as the
    roster's are (attendance.selectors.in_reader_order; issue 18: building that ORDER BY, and a second read of the
    enrolments for the attendance, were ~2 ms of the certificates page).
    """
    enrolments = sorted(
        Enrolment.objects.filter(active_enrolment_q(), delivery=delivery)
        .select_related("participant")
        .order_by(),
        key=in_reader_order,
    )
    summaries = attendance_summaries(
        delivery=delivery, participant_ids=[enrolment.participant_id for enrolment in enrolments]
    )
    posts = {
        attempt.participant_id: attempt
        for attempt in Attempt.objects.filter(
            delivery=delivery, phase=Phase.POST, status=Attempt.Status.SUBMITTED
        )
    }
    certificates = {
        certificate.participant_id: certificate
        for certificate in Certificate.objects.filter(delivery=delivery)
    }
    pass_mark = delivery.course.pass_mark_percent
    return [
        CertificateCandidate(
            participant=enrolment.participant,
            enrolment=enrolment,
            attendance=summaries.get(enrolment.participant_id),
            post_percent=posts[enrolment.participant_id].percent
            if enrolment.participant_id in posts
            else None,
            pass_mark=pass_mark,
            certificate=certificates.get(enrolment.participant_id),
        )
        for enrolment in enrolments
    ]


def certificates_for_print(deliveries=None) -> QuerySet[Certificate]:
    queryset = Certificate.objects.select_related(
        "participant", "delivery__course", "delivery__region", "delivery__country"
    ).order_by(*reader_order("participant__"), "pk")
    if deliveries is not None:
        queryset = queryset.filter(delivery__in=deliveries)
    return queryset


def certificate_by_code(code: str) -> Certificate | None:
    return Certificate.objects.select_related("participant", "delivery__course").filter(code=code).first()
