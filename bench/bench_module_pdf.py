"""Median time to render a ten-page module PDF (facilitator version). Target: under 1 s.

Builds its own data in a throwaway test database; run with `make bench` or directly.
"""

import io
import json
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

import django

django.setup()

from django.db import connection  # noqa: E402
from django.test.utils import setup_test_environment, teardown_test_environment  # noqa: E402
from pypdf import PdfReader  # noqa: E402

RUNS = 7


def main() -> None:
    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        from curriculum import pdf
        from curriculum.tests.factories import body, default_body, make_course, make_module

        blocks = [
            (
                "paragraph",
                f"<h3>Part {n}</h3><p>Community <b>safety</b> and <i>trust</i>. "
                + "Residents and police agree who does what. " * 25
                + "</p><ul><li>Listen</li><li>Explain</li><li>Follow up</li></ul>",
            )
            for n in range(21)
        ]
        stream = json.dumps(json.loads(default_body()) * 4 + json.loads(body(*blocks)))
        module = make_module(make_course(title="Community Policing Foundations"), stream=stream)
        content = pdf.module_pdf(module, facilitator=True)
        pages = len(PdfReader(io.BytesIO(content)).pages)
        timings = []
        for _ in range(RUNS):
            started = time.perf_counter()
            pdf.module_pdf(module, facilitator=True)
            timings.append(time.perf_counter() - started)
        print(
            f"module PDF with {pages} pages: median {statistics.median(timings):.3f} s over {RUNS} runs (target < 1 s)"
        )
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
        teardown_test_environment()


if __name__ == "__main__":
    main()
