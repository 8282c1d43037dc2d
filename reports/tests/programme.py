"""A small hand-built programme whose every figure is written out in the tests.

D1  TJ-SU  completed    4 held sessions (3 h) in March 2025, one cancelled; trainer t1
    p1 male police 4/4 · p2 female police 3/4 (exactly the minimum) · p3 female civil society 2/4 ·
    p4 male (police) as youth 0/4 · p5 withdrawn 1/4 · p6 female local authorities 1/4
D2  TJ-DU  completed    2 held sessions (2 h) in June 2025; trainers t1, t2
    p1 again 2/2 · p7 male youth 1/2
D3  KG-GB  in progress  1 held session (4 h) in September 2025, one in the future
    p8 female police 1/1: in training now, not trained (1 of 1 held so far, 2 planned)
D4  TJ-KT  planned      future sessions only (out of every scope)
Minimum attendance 75 % for every course; the course has no test, so attendance alone decides.
D1 and D2 are completed through the service, which decides every enrolment: completed are
p1 (D1, D2) and p2 (D1); not completed p3, p4, p6 (D1) and p7 (D2).
"""

from datetime import UTC, datetime, timedelta

from accounts.roles import Role
from accounts.tests.factories import user_with_role
from attendance.models import AttendanceRecord, AttendanceStatus
from core.enums import Audience, Sex
from courses.models import Delivery, Enrolment, Session
from courses.services import delivery_set_status
from courses.tests.factories import (
    DeliveryFactory,
    EnrolmentFactory,
    ParticipantFactory,
    SessionFactory,
    make_course,
    region,
)


def _sessions(delivery, first: datetime, count: int, hours: int) -> list[Session]:
    return [
        SessionFactory(
            delivery=delivery,
            starts_at=first + timedelta(days=day),
            ends_at=first + timedelta(days=day, hours=hours),
        )
        for day in range(count)
    ]


def _attend(participant, sessions, delivery, *, audience=None, status=Enrolment.Status.ENROLLED, marks=None):
    EnrolmentFactory(
        delivery=delivery, participant=participant, audience=audience or participant.audience, status=status
    )
    for index, session in enumerate(sessions):
        mark = marks[index] if marks else AttendanceStatus.PRESENT
        if mark:
            AttendanceRecord.objects.create(
                session=session,
                participant=participant,
                status=mark,
                source="web",
                recorded_at=session.ends_at,
            )


def build_programme(*, extra_people: int = 0) -> dict:
    course = make_course("Community policing basics", minimum_attendance_percent=75)
    future = datetime(2099, 1, 1, 6, tzinfo=UTC)
    t1 = user_with_role(Role.TRAINER, username="t1")
    t2 = user_with_role(Role.TRAINER, username="t2")
    people = {
        "p1": ParticipantFactory(sex=Sex.MALE, audience=Audience.POLICE, full_name="=Қодиров Ҷамшед"),
        "p2": ParticipantFactory(sex=Sex.FEMALE, audience=Audience.POLICE, full_name="Раҳимова Гулнора"),
        "p3": ParticipantFactory(sex=Sex.FEMALE, audience=Audience.CIVIL_SOCIETY),
        "p4": ParticipantFactory(sex=Sex.MALE, audience=Audience.POLICE),
        "p5": ParticipantFactory(sex=Sex.MALE, audience=Audience.POLICE),
        "p6": ParticipantFactory(sex=Sex.FEMALE, audience=Audience.LOCAL_AUTHORITIES),
        "p7": ParticipantFactory(sex=Sex.MALE, audience=Audience.YOUTH),
        "p8": ParticipantFactory(
            sex=Sex.FEMALE, audience=Audience.POLICE, region=region("KG-GB"), organisation=None
        ),
    }
    d1 = DeliveryFactory(
        course=course, region=region("TJ-SU"), status=Delivery.Status.IN_PROGRESS, trainers=[t1]
    )
    s1 = _sessions(d1, datetime(2025, 3, 1, 4, tzinfo=UTC), 4, 3)
    SessionFactory(
        delivery=d1,
        starts_at=datetime(2025, 3, 5, 4, tzinfo=UTC),
        ends_at=datetime(2025, 3, 5, 7, tzinfo=UTC),
        status=Session.Status.CANCELLED,
    )
    present, absent = AttendanceStatus.PRESENT, AttendanceStatus.ABSENT
    _attend(people["p1"], s1, d1)
    _attend(people["p2"], s1, d1, marks=[present, AttendanceStatus.LATE, AttendanceStatus.LEFT_EARLY, absent])
    _attend(people["p3"], s1, d1, marks=[present, present, AttendanceStatus.EXCUSED, absent])
    _attend(people["p4"], s1, d1, audience=Audience.YOUTH, marks=[absent, absent, absent, absent])
    _attend(people["p5"], s1, d1, status=Enrolment.Status.WITHDRAWN, marks=[present, None, None, None])
    _attend(people["p6"], s1, d1, marks=[present, absent, absent, absent])

    d2 = DeliveryFactory(
        course=course, region=region("TJ-DU"), status=Delivery.Status.IN_PROGRESS, trainers=[t1, t2]
    )
    s2 = _sessions(d2, datetime(2025, 6, 10, 4, tzinfo=UTC), 2, 2)
    _attend(people["p1"], s2, d2)
    _attend(people["p7"], s2, d2, marks=[present, absent])
    for delivery in (d1, d2):
        delivery_set_status(delivery=delivery, status=Delivery.Status.COMPLETED)

    d3 = DeliveryFactory(course=course, region=region("KG-GB"), status=Delivery.Status.IN_PROGRESS)
    s3 = _sessions(d3, datetime(2025, 9, 1, 3, tzinfo=UTC), 1, 4)
    _sessions(d3, future, 1, 4)
    _attend(people["p8"], s3, d3)

    d4 = DeliveryFactory(course=course, region=region("TJ-KT"), status=Delivery.Status.PLANNED)
    s4 = _sessions(d4, future, 2, 3)
    _attend(ParticipantFactory(), s4, d4, marks=[None, None])

    # More people in an out-of-period delivery, to grow the data without changing 2025's figures.
    if extra_people:
        d5 = DeliveryFactory(
            course=course, region=region("TJ-RA"), status=Delivery.Status.IN_PROGRESS, trainers=[t2]
        )
        s5 = _sessions(d5, datetime(2024, 2, 1, 4, tzinfo=UTC), 3, 2)
        for _ in range(extra_people):
            _attend(ParticipantFactory(sex=Sex.FEMALE, audience=Audience.YOUTH), s5, d5)
        delivery_set_status(delivery=d5, status=Delivery.Status.COMPLETED)
    return {"course": course, "deliveries": [d1, d2, d3, d4], "people": people, "trainers": [t1, t2]}
