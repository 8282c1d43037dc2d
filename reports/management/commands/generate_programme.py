"""Generate a deterministic programme of ten years for measuring reports at scale.

    manage.py generate_programme                       # 100,000 people, 5,000 deliveries, 20,000 sessions, ~1M marks
    manage.py generate_programme --participants 2000 --deliveries 100 --sessions 400 --attendance 20000

The same options and seed always make the same records. It adds to what is in
the database (it does not delete anything), so run it on an empty database
made for the purpose, never on a live one.

For a share of enrolments (--tested, 70 % by default) it makes a submitted pre-test
and, for most of those, a post-test with a realistic gain; it issues certificates to
a share of the people trained (--certified, 80 %). The report tables are refreshed at
the end, as `refresh_report_tables` would.
"""

import random
import time
from datetime import UTC, datetime, timedelta

from django.contrib.auth.models import Group, User
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone

from accounts.roles import Role
from assessments.models import CODE_ALPHABET, Attempt, Certificate, Instrument, Phase
from assessments.rules import decide_completion
from attendance.models import AttendanceRecord, AttendanceStatus
from attendance.rules import is_attended
from core.enums import Audience, OrganisationType, Sex
from courses.models import Delivery, Enrolment, Organisation, Participant, Project, Region, Session

FIRST_NAMES = {
    Sex.MALE: [
        "Ҷамшед",
        "Фирӯз",
        "Бахтиёр",
        "Алишер",
        "Нурлан",
        "Айбек",
        "Үмүтбек",
        "Қодир",
        "Эркин",
        "Суҳроб",
    ],
    Sex.FEMALE: [
        "Гулнора",
        "Мадина",
        "Зарина",
        "Айгүл",
        "Нургүл",
        "Ширин",
        "Малика",
        "Жаңыл",
        "Меҳрона",
        "Дилноза",
    ],
}
LAST_NAMES = [
    "Раҳимов",
    "Қодиров",
    "Назаров",
    "Ҷалолов",
    "Асанов",
    "Токтогулов",
    "Өмүров",
    "Шарипов",
    "Ғафуров",
]
AUDIENCE_WEIGHTS = [
    (Audience.POLICE, 45),
    (Audience.CIVIL_SOCIETY, 20),
    (Audience.LOCAL_AUTHORITIES, 15),
    (Audience.YOUTH, 15),
    (Audience.COMMUNITY, 5),
]
MARK_WEIGHTS = [
    (AttendanceStatus.PRESENT, 78),
    (AttendanceStatus.LATE, 6),
    (AttendanceStatus.LEFT_EARLY, 3),
    (AttendanceStatus.EXCUSED, 4),
    (AttendanceStatus.ABSENT, 9),
]
YEARS = 10
MAX_SCORE = 20


def _weighted(rng: random.Random, weights):
    values, counts = zip(*weights, strict=True)
    return rng.choices(values, counts)[0]


class Command(BaseCommand):
    help = "Generate a deterministic ten-year programme (participants, deliveries, sessions, attendance) for benchmarks."

    def add_arguments(self, parser):
        parser.add_argument("--participants", type=int, default=100_000)
        parser.add_argument("--deliveries", type=int, default=5_000)
        parser.add_argument(
            "--sessions", type=int, default=20_000, help="Sessions in all (spread over deliveries)."
        )
        parser.add_argument("--attendance", type=int, default=1_000_000, help="Attendance records, about.")
        parser.add_argument("--courses", type=int, default=12)
        parser.add_argument("--trainers", type=int, default=80)
        parser.add_argument("--seed", type=int, default=2016)
        parser.add_argument("--batch-size", type=int, default=5_000)
        parser.add_argument(
            "--tested",
            type=float,
            default=0.7,
            help="Share of enrolments in past deliveries with a pre-test.",
        )
        parser.add_argument(
            "--certified", type=float, default=0.8, help="Share of the people trained given a certificate."
        )

    def handle(self, *args, **options):
        if options["deliveries"] < 1 or options["sessions"] < options["deliveries"]:
            raise CommandError("Give at least one delivery and at least as many sessions as deliveries.")
        self.rng = random.Random(options["seed"])
        self.batch = options["batch_size"]
        self.started = time.monotonic()
        self.tested, self.certified = options["tested"], options["certified"]
        self.certificate_number = Certificate.objects.count()
        self.now = timezone.now().replace(hour=0, minute=0, second=0, microsecond=0)
        with transaction.atomic():
            courses = self.make_courses(options["courses"])
            self.instruments = self.make_instruments(courses)
            organisations = self.make_organisations()
            projects = self.make_projects()
            trainers = self.make_trainers(options["trainers"])
        with transaction.atomic():
            people_by_region = self.make_participants(options["participants"], organisations)
        with transaction.atomic():
            totals = self.make_deliveries(options, courses, projects, trainers, people_by_region)
        from reports.facts import facts_ensure_fresh

        # Planner statistics for the tables just filled: without them PostgreSQL planned the
        # facts' first build as nested loops over 250,000 enrolments (more than 15 minutes
        # instead of seconds) before autovacuum got round to them.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        facts_ensure_fresh()
        self.progress("report tables refreshed")
        elapsed = time.monotonic() - self.started
        self.stdout.write(
            self.style.SUCCESS(
                f"Generated {options['participants']:,} participants, {totals['deliveries']:,} deliveries, "
                f"{totals['sessions']:,} sessions, {totals['enrolments']:,} enrolments, "
                f"{totals['attendance']:,} attendance records, {totals['attempts']:,} test attempts and "
                f"{totals['certificates']:,} certificates in {elapsed:.0f} s."
            )
        )

    def progress(self, message: str) -> None:
        self.stdout.write(f"[{time.monotonic() - self.started:6.1f} s] {message}")
        self.stdout.flush()

    def make_courses(self, count: int) -> list:
        from core.models import HomePage
        from curriculum.models import CourseIndexPage, CoursePage

        home = HomePage.objects.filter(locale__language_code="en").first()
        if home is None:
            raise CommandError("No English home page: run migrate first.")
        index = CourseIndexPage.objects.filter(locale=home.locale).first()
        if index is None:
            index = home.add_child(instance=CourseIndexPage(title="Courses", slug="courses"))
        courses = []
        for number in range(1, count + 1):
            slug = f"programme-course-{number}"
            course = CoursePage.objects.filter(slug=slug).first()
            if course is None:
                course = index.add_child(
                    instance=CoursePage(
                        title=f"Programme course {number}", slug=slug, minimum_attendance_percent=75
                    )
                )
            courses.append(course)
        self.progress(f"{len(courses)} courses")
        return courses

    def make_instruments(self, courses) -> dict[int, Instrument]:
        instruments = {}
        for course in courses:
            instrument = Instrument.objects.filter(course=course, locale=course.locale).first()
            if instrument is None:
                instrument = Instrument.objects.create(
                    course=course, locale=course.locale, title=f"{course.title} test"
                )
            instruments[course.pk] = instrument
        return instruments

    def _attempts(self, delivery, participant_id: int, when: datetime, trained: bool) -> list[Attempt]:
        """A submitted pre-test and usually a post-test: the trained gain more than the others."""
        rng = self.rng
        if rng.random() >= self.tested:
            return []
        instrument = self.instruments[delivery.course_id]
        pre = min(MAX_SCORE, max(0, round(rng.gauss(9, 3))))
        attempts = [
            Attempt(
                delivery_id=delivery.pk,
                participant_id=participant_id,
                instrument=instrument,
                phase=Phase.PRE,
                status=Attempt.Status.SUBMITTED,
                score=pre,
                max_score=MAX_SCORE,
                submitted_at=when,
            )
        ]
        if rng.random() < 0.85:
            gain = rng.gauss(5 if trained else 2, 2.5)
            attempts.append(
                Attempt(
                    delivery_id=delivery.pk,
                    participant_id=participant_id,
                    instrument=instrument,
                    phase=Phase.POST,
                    status=Attempt.Status.SUBMITTED,
                    score=min(MAX_SCORE, max(0, round(pre + gain))),
                    max_score=MAX_SCORE,
                    submitted_at=when + timedelta(days=5),
                )
            )
        return attempts

    def _certificate_code(self) -> str:
        """Deterministic and unique: the running number written in the certificate alphabet."""
        self.certificate_number += 1
        number, digits = self.certificate_number, []
        for _ in range(8):
            number, digit = divmod(number, len(CODE_ALPHABET))
            digits.append(CODE_ALPHABET[digit])
        return "G" + "".join(reversed(digits))[1:]

    def make_organisations(self) -> dict[int, list[Organisation]]:
        types = list(OrganisationType)
        for region in Region.objects.select_related("country"):
            Organisation.objects.bulk_create(
                [
                    Organisation(
                        name=f"{region.name} organisation {number}",
                        type=types[number % len(types)],
                        country=region.country,
                        region=region,
                    )
                    for number in range(1, 21)
                ],
                ignore_conflicts=True,
            )
        by_region: dict[int, list[Organisation]] = {}
        for organisation in Organisation.objects.filter(region__isnull=False).order_by("pk"):
            by_region.setdefault(organisation.region_id, []).append(organisation)
        self.progress(f"{sum(map(len, by_region.values()))} organisations")
        return by_region

    def make_projects(self) -> list[Project]:
        projects = []
        for number in range(1, 6):
            start = (self.now - timedelta(days=365 * YEARS)).date() + timedelta(days=730 * (number - 1))
            project, _created = Project.objects.get_or_create(
                code=f"GEN-{number:02d}",
                defaults={
                    "name": f"Generated project {number}",
                    "donor": "Donor",
                    "starts_on": start,
                    "ends_on": start + timedelta(days=729),
                },
            )
            projects.append(project)
        return projects

    def make_trainers(self, count: int) -> list[User]:
        group = Group.objects.get(name=Role.TRAINER)
        trainers = []
        for number in range(1, count + 1):
            user, created = User.objects.get_or_create(username=f"gen-trainer-{number}")
            if created:
                user.set_unusable_password()
                user.save()
                user.groups.add(group)
            trainers.append(user)
        self.progress(f"{len(trainers)} trainers")
        return trainers

    def make_participants(self, count: int, organisations: dict) -> dict[int, list[int]]:
        rng = self.rng
        regions = list(Region.objects.order_by("iso_code").values_list("pk", flat=True))
        first_new = (Participant.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1
        buffer = []
        for number in range(count):
            sex = Sex.FEMALE if rng.random() < 0.38 else Sex.MALE
            region_id = regions[number % len(regions)]
            buffer.append(
                Participant(
                    full_name=f"{rng.choice(LAST_NAMES)}{'а' if sex == Sex.FEMALE else ''} {rng.choice(FIRST_NAMES[sex])}",
                    sex=sex,
                    year_of_birth=rng.randint(1960, 2006),
                    audience=_weighted(rng, AUDIENCE_WEIGHTS),
                    organisation=rng.choice(organisations[region_id]) if region_id in organisations else None,
                    region_id=region_id,
                    phone=f"+992 9{rng.randint(0, 9)} {rng.randint(100, 999)} {rng.randint(10, 99)} {rng.randint(10, 99)}",
                )
            )
            if len(buffer) >= self.batch:
                Participant.objects.bulk_create(buffer)
                buffer = []
                self.progress(f"participants {number + 1:,} / {count:,}")
        Participant.objects.bulk_create(buffer)
        by_region: dict[int, list[int]] = {}
        for pk, region_id in Participant.objects.filter(pk__gte=first_new).values_list("pk", "region_id"):
            by_region.setdefault(region_id, []).append(pk)
        self.progress(f"participants {count:,} / {count:,}")
        return by_region

    def make_deliveries(self, options, courses, projects, trainers, people_by_region) -> dict:
        rng = self.rng
        count = options["deliveries"]
        per_delivery = options["sessions"] // count
        extra_sessions = options["sessions"] - per_delivery * count
        cohort = max(1, round(options["attendance"] / options["sessions"]))
        regions = list(Region.objects.order_by("iso_code"))
        span = timedelta(days=365 * YEARS)
        start_of_programme = self.now - span
        totals = {
            "deliveries": 0,
            "sessions": 0,
            "enrolments": 0,
            "attendance": 0,
            "attempts": 0,
            "certificates": 0,
        }
        marks, enrolments, attempts, certificates = [], [], [], []
        trainer_links = []
        Through = Delivery.trainers.through
        for batch_start in range(0, count, 500):
            deliveries, plans = [], []
            for number in range(batch_start, min(count, batch_start + 500)):
                region = regions[rng.randrange(len(regions))]
                # 3 % are still to come; the rest are spread evenly over ten years.
                if rng.random() < 0.03:
                    first_day = self.now + timedelta(days=rng.randint(7, 120))
                else:
                    first_day = (
                        start_of_programme + span * (number / count) + timedelta(days=rng.randint(0, 3))
                    )
                sessions = per_delivery + (1 if number < extra_sessions else 0)
                past = first_day + timedelta(days=sessions) < self.now
                deliveries.append(
                    Delivery(
                        course=courses[number % len(courses)],
                        country_id=region.country_id,
                        region=region,
                        language=rng.choice(["ru", "tg", "ky", "en"]),
                        capacity=max(cohort, 25),
                        status=Delivery.Status.COMPLETED if past else Delivery.Status.PLANNED,
                        project=projects[min(len(projects) - 1, int(5 * number / count))],
                    )
                )
                plans.append((first_day, sessions, past))
            Delivery.objects.bulk_create(deliveries)
            session_objects = []
            for delivery, (first_day, sessions, _past) in zip(deliveries, plans, strict=True):
                for day in range(sessions):
                    starts = datetime.combine(
                        (first_day + timedelta(days=day)).date(), datetime.min.time(), UTC
                    )
                    starts += timedelta(hours=4)
                    session_objects.append(
                        Session(delivery=delivery, starts_at=starts, ends_at=starts + timedelta(hours=3))
                    )
                for trainer in rng.sample(trainers, k=min(2, len(trainers))):
                    trainer_links.append(Through(delivery_id=delivery.pk, user_id=trainer.pk))
            Session.objects.bulk_create(session_objects, batch_size=self.batch)
            sessions_by_delivery: dict[int, list[Session]] = {}
            for session in session_objects:
                sessions_by_delivery.setdefault(session.delivery_id, []).append(session)
            for delivery, (_first_day, _sessions, past) in zip(deliveries, plans, strict=True):
                pool = people_by_region.get(delivery.region_id, [])
                people = rng.sample(pool, k=min(cohort, len(pool)))
                for participant_id in people:
                    attended = 0
                    if past:
                        for session in sessions_by_delivery[delivery.pk]:
                            mark = _weighted(rng, MARK_WEIGHTS)
                            attended += is_attended(mark)
                            marks.append(
                                AttendanceRecord(
                                    session=session,
                                    participant_id=participant_id,
                                    status=mark,
                                    source="import",
                                    recorded_at=session.ends_at,
                                )
                            )
                    # A past delivery is completed, so each enrolment carries its decision, taken
                    # by the one rule (assessments.rules) when the last session ended.
                    status, decided_at, basis = Enrolment.Status.ENROLLED, None, {}
                    sessions_here = sessions_by_delivery[delivery.pk]
                    if past:
                        decision = decide_completion(
                            attended=attended,
                            held=len(sessions_here),
                            minimum_percent=delivery.course.minimum_attendance_percent,
                            requires_post_test=False,
                            post_percent=None,
                            pass_mark=delivery.course.pass_mark_percent,
                        )
                        status = (
                            Enrolment.Status.COMPLETED
                            if decision.completed
                            else Enrolment.Status.NOT_COMPLETED
                        )
                        decided_at, basis = sessions_here[-1].ends_at, decision.basis
                    if rng.random() < 0.02:
                        status, decided_at, basis = Enrolment.Status.WITHDRAWN, None, {}
                    elif past:
                        trained = status == Enrolment.Status.COMPLETED
                        attempts.extend(
                            self._attempts(delivery, participant_id, sessions_here[0].starts_at, trained)
                        )
                        if trained and rng.random() < self.certified:
                            certificates.append(
                                Certificate(
                                    delivery_id=delivery.pk,
                                    participant_id=participant_id,
                                    code=self._certificate_code(),
                                    completed_on=sessions_here[-1].ends_at.date(),
                                )
                            )
                    participant_audience = None if rng.random() < 0.95 else _weighted(rng, AUDIENCE_WEIGHTS)
                    enrolments.append(
                        (delivery.pk, participant_id, status, participant_audience, decided_at, basis)
                    )
                if len(marks) >= self.batch * 4:
                    totals["attendance"] += self._flush_marks(marks)
                    marks = []
            totals["enrolments"] += self._flush_enrolments(enrolments)
            enrolments = []
            Attempt.objects.bulk_create(attempts, batch_size=self.batch)
            Certificate.objects.bulk_create(certificates, batch_size=self.batch)
            totals["attempts"] += len(attempts)
            totals["certificates"] += len(certificates)
            attempts, certificates = [], []
            Through.objects.bulk_create(trainer_links, batch_size=self.batch)
            trainer_links = []
            totals["deliveries"] += len(deliveries)
            totals["sessions"] += len(session_objects)
            self.progress(
                f"deliveries {totals['deliveries']:,} / {count:,}, sessions {totals['sessions']:,}, "
                f"attendance {totals['attendance']:,}, attempts {totals['attempts']:,}, "
                f"certificates {totals['certificates']:,}"
            )
        totals["attendance"] += self._flush_marks(marks)
        return totals

    def _flush_marks(self, marks: list[AttendanceRecord]) -> int:
        AttendanceRecord.objects.bulk_create(marks, batch_size=self.batch)
        return len(marks)

    def _flush_enrolments(self, enrolments: list[tuple]) -> int:
        audiences = dict(
            Participant.objects.filter(pk__in={row[1] for row in enrolments}).values_list("pk", "audience")
        )
        Enrolment.objects.bulk_create(
            [
                Enrolment(
                    delivery_id=delivery_id,
                    participant_id=participant_id,
                    status=status,
                    audience=audience or audiences[participant_id],
                    decided_at=decided_at,
                    decision_basis=basis,
                )
                for delivery_id, participant_id, status, audience, decided_at, basis in enrolments
            ],
            batch_size=self.batch,
        )
        return len(enrolments)
