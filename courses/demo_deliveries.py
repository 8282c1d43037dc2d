"""Demo deliveries in both countries and every state, with venues, projects, sessions and enrolments.

Runs after the curriculum loader and uses its courses; on its own it makes one
minimal course. Dates are relative to today so the demo always has past,
current and coming sessions. A delivery is found again by (course, region,
language, project), so a second run creates nothing.

The delivery in progress ends with two sessions timed from the moment the loader runs: one in
progress now and one a few hours later, so check-in can be tried at any hour of the day. A second
run, on any day, moves these same two sessions to its own "now" instead of adding more.
"""

import datetime

from django.db import transaction
from django.utils import timezone

from core.enums import OrganisationType

from . import services
from .models import Country, Delivery, Organisation, Participant, Project, Region, Session, Venue

PROJECTS = [
    # (code, name, donor, start offset days, end offset days)
    ("SC-TJ-26", "Safer communities in Tajikistan", "OSCE", -400, 400),
    ("CP-KG-25", "Community policing in Kyrgyzstan", "European Union", -300, 500),
]

VENUES = [
    # (region, name, address, seats)
    ("TJ-SU", "Толори Раёсати ВКД дар вилояти Суғд", "Хуҷанд, кӯчаи Ленин 12", 40),
    ("TJ-DU", "Маркази таълимии Академияи ВКД", "Душанбе, кӯчаи Рӯдакӣ 30", 60),
    ("TJ-KT", "Маркази ҷамоатии Бохтар", "Бохтар, кӯчаи Айнӣ 5", 30),
    ("KG-O", "Ош облустук ИИБ окуу залы", "Ош, Курманжан Датка көч. 221", 35),
    ("KG-GB", "Бишкек шаардык ИИББ залы", "Бишкек, Фрунзе көч. 469", 50),
    ("KG-C", "Чүй облустук жаштар борбору", "Токмок, Ленин көч. 80", 25),
]

# (region, language, project, status, first day offset, daily sessions, daily hours, capacity, enrol,
#  the demo trainee takes part). The delivery in progress has two more sessions timed from now
# (_live_sessions); the first open one is full, with a waiting list, the demo trainee holding a seat.
DELIVERIES = [
    ("TJ-SU", "tg", "SC-TJ-26", Delivery.Status.COMPLETED, -40, 5, (9, 13), 20, 14, False),
    ("KG-C", "ru", "CP-KG-25", Delivery.Status.COMPLETED, -80, 3, (10, 16), 20, 12, False),
    ("TJ-DU", "ru", "SC-TJ-26", Delivery.Status.IN_PROGRESS, -2, 2, (9, 13), 25, 16, True),
    ("TJ-SU", "ru", "SC-TJ-26", Delivery.Status.OPEN, 5, 5, (9, 13), 12, 15, True),
    ("KG-O", "ky", "CP-KG-25", Delivery.Status.OPEN, 10, 2, (9, 16), 20, 10, False),
    ("KG-GB", "ru", "CP-KG-25", Delivery.Status.PLANNED, 30, 3, (14, 18), 25, 0, False),
    ("TJ-KT", "tg", "SC-TJ-26", Delivery.Status.CANCELLED, 20, 2, (9, 13), 20, 6, False),
]
# The sessions of the delivery in progress timed from now: (start after now, length).
LIVE_SESSIONS = [
    (datetime.timedelta(0), datetime.timedelta(hours=3)),  # in progress: check in at once
    (datetime.timedelta(hours=4), datetime.timedelta(hours=2)),  # later today
]
# Moving the live sessions to now may overlap the demo trainer's other sessions on a later day.
LIVE_SESSION_OVERRIDE = "Demo: timed from when the demo data were loaded, so that check-in can be tried."

CANCELLATION_REASON = "Мост дар роҳ ба Бохтар вайрон шуд; курс ба баҳор гузаронида мешавад."


def _courses(log):
    from curriculum.models import CourseIndexPage, CoursePage

    courses = list(CoursePage.objects.live().order_by("path"))
    if courses:
        return courses
    from core.models import HomePage

    home = HomePage.objects.filter(locale__language_code="en").first()
    index = CourseIndexPage.objects.first() or home.add_child(
        instance=CourseIndexPage(title="Courses", slug="courses")
    )
    log("no courses found; creating one minimal course")
    return [
        index.add_child(
            instance=CoursePage(title="Community policing basics", slug="community-policing-basics")
        )
    ]


def _local(region: Region, day: datetime.date, hour: int) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour), tzinfo=region.zone)


def _live_sessions(*, delivery: Delivery, fixed: int, staff, now: datetime.datetime) -> list[Session]:
    """Create, or move to `now`, the sessions after the delivery's `fixed` daily ones.

    They are found by position (the loader creates a delivery's sessions in order), so a re-run
    moves them instead of adding more, and leaves them alone within the same five minutes.
    """
    start = now.replace(second=0, microsecond=0) - datetime.timedelta(minutes=now.minute % 5)
    existing = list(delivery.sessions.order_by("pk")[fixed : fixed + len(LIVE_SESSIONS)])
    sessions = []
    for number, (after, length) in enumerate(LIVE_SESSIONS):
        starts_at, ends_at = start + after, start + after + length
        if number >= len(existing):
            session = services.session_create(
                delivery=delivery,
                starts_at=starts_at,
                ends_at=ends_at,
                title=f"{delivery.course.title} — {fixed + number + 1}",
                user=staff,
                override_reason=LIVE_SESSION_OVERRIDE,
            )
        else:
            session = existing[number]
            if (session.starts_at, session.ends_at, session.status) != (
                starts_at,
                ends_at,
                Session.Status.SCHEDULED,
            ):
                session = services.session_update(
                    session=session,
                    user=staff,
                    starts_at=starts_at,
                    ends_at=ends_at,
                    status=Session.Status.SCHEDULED,
                    override_reason=LIVE_SESSION_OVERRIDE,
                )
        sessions.append(session)
    return sessions


def _enrol_trainee(delivery: Delivery, participant: Participant | None) -> int:
    """Give the demo trainee a seat (before the others, so a full delivery keeps it for them)."""
    if participant is None or delivery.enrolments.filter(participant=participant).exists():
        return 0
    if delivery.status in services.CLOSED_STATUSES:
        return 0
    services.enrolment_create(delivery=delivery, participant=participant)
    return 1


@transaction.atomic
def load(*, log, context: dict) -> dict:
    users = context.get("users", {})
    trainer = users.get("trainer")
    staff = users.get("mestaff") or users.get("admin")
    now = timezone.now()
    today = timezone.localdate(now)
    trainee = Participant.objects.filter(user=users["trainee"]).first() if "trainee" in users else None
    regions = {region.iso_code: region for region in Region.objects.select_related("country")}

    projects = {}
    for code, name, donor, start, end in PROJECTS:
        projects[code], _created = Project.objects.get_or_create(
            code=code,
            defaults={
                "name": name,
                "donor": donor,
                "starts_on": today + datetime.timedelta(days=start),
                "ends_on": today + datetime.timedelta(days=end),
            },
        )
    venues = {}
    for iso_code, name, address, seats in VENUES:
        venues[iso_code], _created = Venue.objects.get_or_create(
            region=regions[iso_code], name=name, defaults={"address": address, "capacity": seats}
        )
    partners = {
        country.iso_code: list(
            Organisation.objects.filter(country=country, type=OrganisationType.CIVIL_SOCIETY).order_by("pk")[
                :1
            ]
        )
        for country in Country.objects.all()
    }

    courses = _courses(log)
    created_deliveries = sessions_created = enrolments_created = 0
    deliveries = []
    live_sessions: list[Session] = []
    for index, row in enumerate(DELIVERIES):
        iso_code, language, project_code, status, offset, days, hours, capacity, enrol, with_trainee = row
        region = regions[iso_code]
        course = courses[index % len(courses)]
        project = projects[project_code]
        delivery = Delivery.objects.filter(
            course=course, region=region, language=language, project=project
        ).first()
        created = delivery is None
        if created:
            delivery = services.delivery_create(
                created_by=staff,
                course=course,
                region=region,
                language=language,
                capacity=capacity,
                venue=venues.get(iso_code),
                project=project,
                status=Delivery.Status.OPEN,
                trainers=[trainer] if trainer else [],
                partner_organisations=partners.get(region.country.iso_code, []),
            )
            created_deliveries += 1
            for day_number in range(days):
                day = today + datetime.timedelta(days=offset + day_number)
                services.session_create(
                    delivery=delivery,
                    starts_at=_local(region, day, hours[0]),
                    ends_at=_local(region, day, hours[1]),
                    title=f"{course.title} — {day_number + 1}",
                    user=staff,
                )
                sessions_created += 1
            if with_trainee:
                enrolments_created += _enrol_trainee(delivery, trainee)
            people = (
                Participant.objects.filter(region__country=region.country)
                .exclude(pk=trainee.pk if trainee else None)
                .order_by("region_id", "pk")
            )
            for participant in people[index * 3 : index * 3 + enrol]:
                services.enrolment_create(delivery=delivery, participant=participant)
                enrolments_created += 1
            if status != Delivery.Status.OPEN:
                reason = CANCELLATION_REASON if status == Delivery.Status.CANCELLED else ""
                delivery = services.delivery_set_status(delivery=delivery, status=status, reason=reason)
        elif with_trainee:
            enrolments_created += _enrol_trainee(delivery, trainee)
        # Only while it is still in progress: someone trying the demo may have completed it since.
        if delivery.status == Delivery.Status.IN_PROGRESS:
            before = delivery.sessions.count()
            live_sessions = _live_sessions(delivery=delivery, fixed=days, staff=staff, now=now)
            sessions_created += delivery.sessions.count() - before
        deliveries.append(delivery)

    log(
        f"deliveries: {created_deliveries} created ({Delivery.objects.count()} in all); "
        f"sessions: {sessions_created}; enrolments: {enrolments_created}"
    )
    return {
        "deliveries": deliveries,
        "projects": list(projects.values()),
        "venues": list(venues.values()),
        "live_sessions": live_sessions,
    }
