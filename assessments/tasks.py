"""Background tasks of assessments: a large delivery's certificates as one PDF (jobs.services).

The worker (`manage.py db_worker`) runs these; the job's owner follows them at /jobs/<id>/.
"""

from django.core.files.base import ContentFile
from django.utils.translation import gettext as _
from django_tasks import task

from courses.rules import deliveries_managed_by
from jobs.models import BackgroundJob
from jobs.services import JobOutput, JobRefused, Progress, job_run

from . import selectors
from .pdf import certificates_pdf


def _certificates_work(job: BackgroundJob, progress: Progress) -> JobOutput:
    # The owner's rights as they are now, not when they asked: a trainer taken off the delivery
    # since gets no certificates.
    delivery = (
        deliveries_managed_by(job.owner)
        .select_related("course", "region")
        .filter(pk=job.parameters.get("delivery_id"))
        .first()
    )
    if delivery is None:
        raise JobRefused(_("This delivery no longer exists or is no longer yours to print."))
    certificates = list(selectors.certificates_for_print([delivery.pk]).filter(revoked_at__isnull=True))
    progress(0, len(certificates))
    pdf = certificates_pdf(
        certificates, base_url=job.parameters["base_url"], title=str(delivery), progress=progress
    )
    return JobOutput(
        file=ContentFile(pdf),
        filename=f"certificates-delivery-{delivery.pk}.pdf",
        content_type="application/pdf",
    )


@task(backend="background")
def delivery_certificates_pdf_task(job_id: int) -> None:
    job_run(job_id, _certificates_work)
