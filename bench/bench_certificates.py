"""Median time to render a whole delivery's 40 certificates as one PDF (target: under 3 s).

Builds its own data in a throwaway test database, renders the PDF seven times and prints the median.
Run: `make bench` or `.venv/bin/python bench/bench_certificates.py`.
"""

import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

import django

django.setup()

from django.db import connection  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

PARTICIPANTS = 40
RUNS = 7
TARGET_SECONDS = 3.0


def build_delivery():
    from accounts.roles import Role
    from accounts.tests.factories import user_with_role
    from assessments.models import Certificate
    from courses.tests.factories import (
        DeliveryFactory,
        EnrolmentFactory,
        ParticipantFactory,
        SessionFactory,
        make_course,
    )

    course = make_course("Ҳамкории милитсия ва ҷомеа: асосҳо")
    trainer = user_with_role(Role.TRAINER, first_name="Шӯҳрат", last_name="Қосимов")
    delivery = DeliveryFactory(course=course, trainers=[trainer])
    for _ in range(4):
        SessionFactory(delivery=delivery)
    for number in range(PARTICIPANTS):
        participant = ParticipantFactory(
            full_name=f"Ҷӯраева Гулӣ Ғафоровна {number}", latin_name=f"Juraeva Guli {number}"
        )
        EnrolmentFactory(delivery=delivery, participant=participant)
        Certificate.objects.create(delivery=delivery, participant=participant)
    return delivery


def main() -> None:
    from assessments.pdf import certificates_pdf
    from assessments.selectors import certificates_for_print

    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        delivery = build_delivery()
        timings = []
        for _ in range(RUNS):
            started = time.perf_counter()
            certificates = list(certificates_for_print([delivery.pk]))
            pdf = certificates_pdf(certificates, base_url="https://hamkori.example/")
            timings.append(time.perf_counter() - started)
        median = statistics.median(timings)
        verdict = "OK" if median < TARGET_SECONDS else "SLOWER THAN TARGET"
        print(
            f"bench_certificates: {PARTICIPANTS} certificates, {len(pdf) / 1024:.0f} KB PDF, "
            f"median {median:.2f} s over {RUNS} runs (target < {TARGET_SECONDS:.0f} s) — {verdict}"
        )
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
