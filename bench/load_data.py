"""Data for the load test (bench/locustfile.py): trainees with known personal codes, trainers with rosters.

Run after `manage.py load_demo_data` (it uses the demo course and its test) against the database of
DJANGO_SETTINGS_MODULE / DATABASE_URL; writes what the simulated users need to a JSON file:

    .venv/bin/python bench/load_data.py --trainees 3000 --out var/bench-load.json

Creates, all named `bench-…` so they are easy to find and remove:
- deliveries of the demo course in Russian, 40 trainees each (a trainer's roster), each with one
  session that started an hour ago and an open pre-course test window;
- `--trainees` trainee accounts, each with a personal code derived from its number (never a real
  slip's code: the load script computes the same codes), one per simulated sign-in, because a
  submitted test cannot be taken twice;
- `--trainers` trainers (the deliveries are shared out among them) and `--staff` M&E staff, with
  the password given by --password.
Refuses to run twice on one database (the codes would clash): use a fresh database per run.
"""

import argparse
import json
import os
import sys
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

ROSTER_SIZE = 40
USERNAME_PREFIX = "bench-"
# The personal-code alphabet (accounts.personal_codes.CODE_ALPHABET), copied so that the load
# script can compute codes without importing Django.
CODE_ALPHABET = "ABCDEFGHJKMNPQRTUVWXY346789"
CODE_LENGTH = 8
# Offsets the numbering so bench codes do not start at AAAAAAAA; any fixed number would do.
CODE_OFFSET = 27**7


def bench_code(number: int) -> str:
    """The personal code of bench trainee `number`, formatted as on a slip (XXXX-XXXX)."""
    value, letters = CODE_OFFSET + number, []
    for _position in range(CODE_LENGTH):
        value, digit = divmod(value, len(CODE_ALPHABET))
        letters.append(CODE_ALPHABET[digit])
    code = "".join(reversed(letters))
    return f"{code[:4]}-{code[4:]}"


def build(*, trainees: int, trainers: int, staff: int, password: str) -> dict:
    from django.contrib.auth.models import Group, User
    from django.db import transaction
    from django.utils import timezone

    from accounts.models import PersonalCode
    from accounts.personal_codes import code_digest
    from accounts.roles import Role
    from assessments.models import Phase, TestWindow
    from assessments.selectors import instrument_for_delivery
    from courses.models import Delivery, Enrolment, Participant, Region, Session, _with_name_keys
    from curriculum.models import CoursePage

    if User.objects.filter(username__startswith=USERNAME_PREFIX).exists():
        raise SystemExit("bench data is already loaded in this database; use a fresh one")
    course = CoursePage.objects.order_by("path").first()
    if course is None:
        raise SystemExit("no course: run `manage.py load_demo_data` first")
    region = Region.objects.order_by("pk").first()
    now = timezone.now()
    with transaction.atomic():
        trainer_users = _users(User, Group.objects.get(name=Role.TRAINER), "trainer", trainers, password)
        staff_users = _users(User, Group.objects.get(name=Role.ME_STAFF), "staff", staff, password)
        trainee_group = Group.objects.get(name=Role.TRAINEE)
        delivery_count = -(-trainees // ROSTER_SIZE)
        deliveries = Delivery.objects.bulk_create(
            Delivery(
                course=course,
                region=region,
                country_id=region.country_id,
                language="ru",
                capacity=ROSTER_SIZE,
                status=Delivery.Status.IN_PROGRESS,
            )
            for _number in range(delivery_count)
        )
        Delivery.trainers.through.objects.bulk_create(
            Delivery.trainers.through(delivery_id=delivery.pk, user_id=trainer_users[n % trainers].pk)
            for n, delivery in enumerate(deliveries)
        )
        sessions = Session.objects.bulk_create(
            Session(delivery=delivery, starts_at=now - timedelta(hours=1), ends_at=now + timedelta(hours=2))
            for delivery in deliveries
        )
        TestWindow.objects.bulk_create(
            TestWindow(delivery=delivery, phase=Phase.PRE, opened_at=now, changed_by=trainer_users[0])
            for delivery in deliveries
        )
        users = [User(username=f"{USERNAME_PREFIX}trainee-{n}", first_name="Тест") for n in range(trainees)]
        for user in users:
            user.set_unusable_password()
        users = User.objects.bulk_create(users)
        User.groups.through.objects.bulk_create(
            User.groups.through(user_id=user.pk, group_id=trainee_group.pk) for user in users
        )
        PersonalCode.objects.bulk_create(
            PersonalCode(user=user, digest=code_digest(bench_code(n))) for n, user in enumerate(users)
        )
        participants = Participant.objects.bulk_create(
            _with_name_keys(
                Participant(
                    full_name=f"Нагрузка Тест № {n}",
                    sex="male",
                    audience="police",
                    region=region,
                    user=user,
                )
            )
            for n, user in enumerate(users)
        )
        Enrolment.objects.bulk_create(
            Enrolment(delivery=deliveries[n // ROSTER_SIZE], participant=participant, audience="police")
            for n, participant in enumerate(participants)
        )
    if instrument_for_delivery(deliveries[0]) is None:
        raise SystemExit("the demo course has no test: run `manage.py load_demo_data` first")
    return {
        "trainees": [
            {"code": bench_code(n), "delivery": deliveries[n // ROSTER_SIZE].pk, "phase": Phase.PRE}
            for n in range(trainees)
        ],
        "trainers": [
            {
                "username": user.username,
                "password": password,
                "sessions": [session.pk for index, session in enumerate(sessions) if index % trainers == n],
            }
            for n, user in enumerate(trainer_users)
        ],
        "staff": [{"username": user.username, "password": password} for user in staff_users],
    }


def _users(User, group, role: str, count: int, password: str) -> list:
    users = []
    for n in range(count):
        user = User(username=f"{USERNAME_PREFIX}{role}-{n}", first_name="Bench", last_name=f"{role} {n}")
        user.set_password(password)
        user.save()
        user.groups.add(group)
        users.append(user)
    return users


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trainees", type=int, default=3000, help="trainee accounts (one per sign-in)")
    parser.add_argument("--trainers", type=int, default=5)
    parser.add_argument("--staff", type=int, default=2)
    parser.add_argument("--password", default=os.environ.get("BENCH_PASSWORD", "bench-load-password"))
    parser.add_argument("--out", default="var/bench-load.json")
    arguments = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
    import django

    django.setup()
    data = build(
        trainees=arguments.trainees,
        trainers=arguments.trainers,
        staff=arguments.staff,
        password=arguments.password,
    )
    Path(arguments.out).parent.mkdir(parents=True, exist_ok=True)
    Path(arguments.out).write_text(json.dumps(data, indent=1))
    rosters = sum(len(trainer["sessions"]) for trainer in data["trainers"])
    print(
        f"bench data: {len(data['trainees'])} trainees, {rosters} rosters of {ROSTER_SIZE}, "
        f"{len(data['trainers'])} trainers, {len(data['staff'])} staff -> {arguments.out}"
    )


if __name__ == "__main__":
    main()
