"""Benchmark /deliveries/ with 5,000 deliveries and 20,000 sessions: queries per page and median server time.

Standalone: builds its data in a throwaway test database (SQLite unless
DATABASE_URL says otherwise), requests the first page and a filtered page
several times through Django's test client, and prints the median.
Run: .venv/bin/python bench/bench_deliveries.py [deliveries] [sessions per delivery]
"""

import os
import statistics
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

import django

django.setup()

from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402

DELIVERIES = int(sys.argv[1]) if len(sys.argv) > 1 else 5000
SESSIONS_PER_DELIVERY = int(sys.argv[2]) if len(sys.argv) > 2 else 4
RUNS = 15


def build() -> None:
    from django.contrib.auth.models import Group, User

    from accounts.roles import Role
    from courses.models import Delivery, Enrolment, Participant, Region, Session
    from courses.tests.factories import make_course

    regions = list(Region.objects.all())
    courses = [make_course(f"Курси № {n}") for n in range(10)]
    trainer_group = Group.objects.get(name=Role.TRAINER)
    trainers = [
        User.objects.create(username=f"trainer{n}", first_name="Тренер", last_name=str(n)) for n in range(20)
    ]
    for trainer in trainers:
        trainer.groups.add(trainer_group)
    statuses = [choice for choice, _label in Delivery.Status.choices if choice != "cancelled"]
    deliveries = Delivery.objects.bulk_create(
        Delivery(
            course=courses[n % len(courses)],
            region=regions[n % len(regions)],
            country_id=regions[n % len(regions)].country_id,
            language="ru",
            capacity=25,
            status=statuses[n % len(statuses)],
        )
        for n in range(DELIVERIES)
    )
    Delivery.trainers.through.objects.bulk_create(
        Delivery.trainers.through(delivery_id=d.pk, user_id=trainers[i % len(trainers)].pk)
        for i, d in enumerate(deliveries)
    )
    start = datetime(2020, 1, 1, 4, tzinfo=UTC)
    Session.objects.bulk_create(
        (
            Session(
                delivery=d,
                starts_at=start + timedelta(days=i % 2000, hours=s * 24),
                ends_at=start + timedelta(days=i % 2000, hours=s * 24 + 3),
            )
            for i, d in enumerate(deliveries)
            for s in range(SESSIONS_PER_DELIVERY)
        ),
        batch_size=2000,
    )
    people = Participant.objects.bulk_create(
        (
            Participant(
                full_name=f"Иштирокчӣ {n}", sex="male", audience="police", region=regions[n % len(regions)]
            )
            for n in range(2000)
        ),
        batch_size=2000,
    )
    Enrolment.objects.bulk_create(
        (
            Enrolment(delivery=d, participant=people[(i * 3 + k) % len(people)], audience="police")
            for i, d in enumerate(deliveries)
            for k in range(3)
        ),
        batch_size=5000,
    )


def measure(client, path: str) -> tuple[int, float]:
    timings = []
    queries = 0
    for _run in range(RUNS):
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            response = client.get(path)
            timings.append(time.perf_counter() - started)
        assert response.status_code == 200, response.status_code
        queries = len(captured)
    return queries, statistics.median(timings)


def main() -> None:
    from django.conf import settings
    from django.contrib.auth.models import User
    from django.test import Client
    from django.test.utils import get_runner

    setup_test_environment()
    runner = get_runner(settings)(verbosity=0, interactive=False)
    old_config = runner.setup_databases()
    try:
        started = time.perf_counter()
        build()
        from courses.models import Session

        print(
            f"built {DELIVERIES} deliveries and {Session.objects.count()} sessions "
            f"in {time.perf_counter() - started:.1f} s"
        )
        admin = User.objects.create(username="bench-admin", is_superuser=True, is_staff=True)
        client = Client()
        client.force_login(admin)
        for path in (
            "/deliveries/",
            "/deliveries/?country=TJ&status=open",
            "/deliveries/?region=KG-O&start_after=2021-01-01",
            "/deliveries/?page=50",
            "/deliveries/calendar/?month=2021-03",
        ):
            queries, median = measure(client, path)
            print(f"{path:50} {queries:3d} queries  median {median * 1000:7.1f} ms")
    finally:
        runner.teardown_databases(old_config)


if __name__ == "__main__":
    main()
