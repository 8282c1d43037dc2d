"""Certificates as PDF: A4 landscape, one per page, printable in a batch for a whole delivery.

Every string goes through the shipped DejaVu Sans (core.pdf.register_fonts) so
that Tajik and Kyrgyz letters print; the QR code carries the public
verification URL, which is also printed under it for people without a scanner.
"""

import io
import itertools
import logging
from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Prefetch
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen.canvas import Canvas

from core.localtime import local_date
from core.models import OrganisationSettings
from core.pdf import register_fonts
from courses.models import Delivery, Session
from curriculum.selectors import course_titles_in

from .models import Certificate

logger = logging.getLogger(__name__)
PAGE = landscape(A4)
BRAND = colors.HexColor("#0b5d4b")


def verification_url(certificate: Certificate, base_url: str) -> str:
    return base_url.rstrip("/") + reverse("assessments:verify", args=[certificate.display_code])


def qr_widget(url: str) -> QrCodeWidget:
    """reportlab's QR encoder for the URL; its modules are drawn straight onto the canvas."""
    widget = QrCodeWidget(url, barLevel="M")
    widget.qr.make()
    return widget


def draw_qr(canvas: Canvas, url: str, x: float, y: float, size: float) -> None:
    # One path for all dark runs: drawing the widget as a Drawing of rectangles is ~5x slower.
    qr = qr_widget(url).qr
    count, border = qr.getModuleCount(), 2
    box = size / (count + 2 * border)
    path = canvas.beginPath()
    for row_number, row in enumerate(qr.modules):
        column = 0
        for dark, run in itertools.groupby(bool(module) for module in row):
            length = len(list(run))
            if dark:
                path.rect(
                    x + (column + border) * box,
                    y + size - (row_number + border + 1) * box,
                    length * box,
                    box * 1.02,
                )
            column += length
    canvas.setFillColor(colors.black)
    canvas.drawPath(path, stroke=0, fill=1)


@dataclass
class DeliveryFacts:
    course_title: str
    dates: str
    hours: float
    region: str
    trainers: str
    language: str


def _delivery_facts(delivery_ids: set[int]) -> dict[int, DeliveryFacts]:
    deliveries = (
        Delivery.objects.filter(pk__in=delivery_ids)
        .select_related("course", "region")
        .prefetch_related(
            "trainers",
            Prefetch(
                "sessions",
                queryset=Session.objects.exclude(status=Session.Status.CANCELLED).order_by("starts_at"),
            ),
        )
    )
    deliveries = list(deliveries)
    # Each certificate names the course in its delivery's language (ky/tg → ru → en), one query for all.
    titles = course_titles_in((delivery.course.translation_key, delivery.language) for delivery in deliveries)
    facts = {}
    for delivery in deliveries:
        sessions = list(delivery.sessions.all())
        if sessions:
            first = local_date(sessions[0].starts_at, delivery.region)
            last = local_date(sessions[-1].ends_at, delivery.region)
            dates = f"{first:%d.%m.%Y}" if first == last else f"{first:%d.%m.%Y} – {last:%d.%m.%Y}"
        else:
            dates = ""
        trainers = ", ".join(
            trainer.get_full_name() or trainer.get_username()
            for trainer in sorted(delivery.trainers.all(), key=lambda user: user.last_name)
        )
        facts[delivery.pk] = DeliveryFacts(
            course_title=titles.get(
                (delivery.course.translation_key, delivery.language), delivery.course.title
            ),
            dates=dates,
            hours=round(sum(session.duration_hours for session in sessions), 1),
            region=delivery.region.name_in(delivery.language),
            trainers=trainers,
            language=delivery.language,
        )
    return facts


def _logo() -> ImageReader | None:
    organisation = OrganisationSettings.load()
    if not organisation.logo:
        return None
    try:
        with organisation.logo.file.open("rb") as handle:
            return ImageReader(io.BytesIO(handle.read()))
    except Exception:  # a missing or unreadable logo must not stop certificates from printing
        logger.warning("Organisation logo could not be read; certificates print without it.")
        return None


def _fit(canvas: Canvas, text: str, font: str, size: float, width: float) -> float:
    while size > 8 and canvas.stringWidth(text, font, size) > width:
        size -= 1
    return size


def _draw_certificate(
    canvas: Canvas, certificate: Certificate, facts: DeliveryFacts, org_name: str, logo, base_url: str
) -> None:
    font = register_fonts()
    bold = f"{font}-Bold"
    width, height = PAGE
    centre = width / 2
    canvas.setStrokeColor(BRAND)
    canvas.setLineWidth(3)
    canvas.rect(12 * mm, 12 * mm, width - 24 * mm, height - 24 * mm)
    canvas.setLineWidth(0.8)
    canvas.rect(15 * mm, 15 * mm, width - 30 * mm, height - 30 * mm)

    top = height - 30 * mm
    if logo is not None:
        canvas.drawImage(
            logo, 22 * mm, top - 14 * mm, width=40 * mm, height=20 * mm, preserveAspectRatio=True, mask="auto"
        )
    canvas.setFillColor(BRAND)
    canvas.setFont(bold, 14)
    canvas.drawCentredString(centre, top, org_name)

    with translation.override(facts.language):
        heading = _("Certificate of completion")
        certifies = _("This is to certify that")
        completed = _("has completed the training course")
        hours = ngettext("%(hours)s hour", "%(hours)s hours", int(facts.hours) or 1) % {
            "hours": f"{facts.hours:g}"
        }
        region_label = _("Region")
        trainers_label = _("Trainers")
        dates_label = _("Dates")
        completed_on_label = _("Completed on")
        code_label = _("Verification code")
        revoked = _("REVOKED")

    canvas.setFont(bold, 30)
    canvas.drawCentredString(centre, top - 22 * mm, heading)
    canvas.setFillColor(colors.black)
    canvas.setFont(font, 13)
    canvas.drawCentredString(centre, top - 36 * mm, certifies)

    name = certificate.participant.full_name
    size = _fit(canvas, name, bold, 28, width - 70 * mm)
    canvas.setFont(bold, size)
    canvas.drawCentredString(centre, top - 52 * mm, name)
    if certificate.participant.latin_name:
        canvas.setFont(font, 13)
        canvas.drawCentredString(centre, top - 60 * mm, certificate.participant.latin_name)

    canvas.setFont(font, 13)
    canvas.drawCentredString(centre, top - 72 * mm, completed)
    size = _fit(canvas, facts.course_title, bold, 20, width - 70 * mm)
    canvas.setFont(bold, size)
    canvas.drawCentredString(centre, top - 84 * mm, f"«{facts.course_title}»")

    canvas.setFont(font, 11)
    lines = [
        f"{dates_label}: {facts.dates} · {hours}" if facts.dates else hours,
        f"{region_label}: {facts.region}",
        # The delivery's last day (Certificate.completed_on), however long after it was issued.
        f"{completed_on_label}: {certificate.completed_on:%d.%m.%Y}",
    ]
    if facts.trainers:
        lines.append(f"{trainers_label}: {facts.trainers}")
    for number, line in enumerate(lines):
        canvas.drawString(25 * mm, 52 * mm - number * 6 * mm, line[:140])

    url = verification_url(certificate, base_url)
    qr_size = 32 * mm
    draw_qr(canvas, url, width - 25 * mm - qr_size, 26 * mm, qr_size)
    canvas.setFillColor(colors.black)
    canvas.setFont(font, 10)
    canvas.drawRightString(width - 25 * mm, 22 * mm, f"{code_label}: {certificate.display_code}")
    canvas.setFont(font, 7)
    canvas.drawRightString(width - 25 * mm, 18.5 * mm, url)
    if not certificate.is_valid:
        canvas.setFillColor(colors.HexColor("#a4161a"))
        canvas.setFont(bold, 40)
        canvas.drawCentredString(centre, 30 * mm, revoked)


def certificates_pdf(
    certificates: list[Certificate],
    *,
    base_url: str,
    title: str = "Certificates",
    progress: Callable[[int, int], None] | None = None,
) -> bytes:
    """One page per certificate; `certificates` should come from selectors.certificates_for_print.

    `progress(done, total)` is told after each page (a background job's progress bar).
    """
    font = register_fonts()
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=PAGE, pageCompression=1)
    canvas.setTitle(title)
    canvas.setAuthor(OrganisationSettings.load().name)
    organisation = OrganisationSettings.load()
    logo = _logo()
    facts = _delivery_facts({certificate.delivery_id for certificate in certificates})
    for done, certificate in enumerate(certificates, start=1):
        _draw_certificate(
            canvas, certificate, facts[certificate.delivery_id], organisation.name, logo, base_url
        )
        canvas.showPage()
        if progress is not None:
            progress(done, len(certificates))
    if not certificates:
        canvas.setFont(font, 14)
        canvas.drawString(25 * mm, PAGE[1] - 30 * mm, _("No certificates."))
        canvas.showPage()
    canvas.save()
    return buffer.getvalue()
