"""Background tasks of reports: a large participant CSV, and the full rebuild of the report tables.

The worker (`manage.py db_worker`) runs these; the job's owner follows them at /jobs/<id>/. Each
checks its owner's rights again when it runs: what they may see then is what they get.
"""

import csv
import io
import tempfile
import time

from django.core.files import File
from django.http import QueryDict
from django.utils.translation import gettext as _
from django_tasks import task

from accounts import roles
from jobs.models import BackgroundJob
from jobs.services import JobOutput, JobRefused, Progress, job_run

from . import exports
from .facts import facts_refresh
from .filters import ReportFilterSet
from .selectors import participant_rows


def _participant_csv_work(job: BackgroundJob, progress: Progress) -> JobOutput:
    if not roles.can_see_reports(job.owner):
        raise JobRefused(_("You may no longer export reports."))
    pseudonymised = bool(job.parameters.get("pseudonymised"))
    filterset = ReportFilterSet(QueryDict(job.parameters.get("query", "")) or None, user=job.owner)
    scope = filterset.to_scope()
    total = participant_rows(scope).count()
    progress(0, total)
    # Written to a temporary file, not memory: at ten years' size the CSV is tens of megabytes.
    # job_run stores it and closes it.
    handle = tempfile.TemporaryFile()  # noqa: SIM115
    text = io.TextIOWrapper(handle, encoding="utf-8", newline="")
    text.write("\ufeff")  # so Excel opens the Cyrillic as UTF-8, as the immediate CSV does
    writer = csv.writer(text)
    writer.writerow(exports.csv_header(pseudonymised=pseudonymised))
    for done, row in enumerate(exports.csv_rows(scope, pseudonymised=pseudonymised), start=1):
        writer.writerow(row)
        progress(min(done, total), total)
    text.flush()
    text.detach()
    handle.seek(0)
    suffix = "-pseudonymised" if pseudonymised else ""
    return JobOutput(
        file=File(handle),
        filename=exports.export_filename("csv").replace(".csv", f"{suffix}.csv"),
        content_type="text/csv; charset=utf-8",
    )


def _facts_rebuild_work(job: BackgroundJob, progress: Progress) -> str:
    if not roles.is_programme_staff(job.owner):
        raise JobRefused(_("Only programme staff may rebuild the report tables."))
    progress(0, 1)
    started = time.monotonic()
    rows = facts_refresh()
    progress(1, 1)
    return _("Rebuilt: %(rows)s enrolment facts in %(seconds).1f s.") % {
        "rows": rows,
        "seconds": time.monotonic() - started,
    }


@task(backend="background")
def participant_csv_task(job_id: int) -> None:
    job_run(job_id, _participant_csv_work)


@task(backend="background")
def facts_rebuild_task(job_id: int) -> None:
    job_run(job_id, _facts_rebuild_work)
