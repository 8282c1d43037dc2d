"""PDFs print Tajik and Kyrgyz letters with the shipped font, and a missing font is named."""

import io
import shutil
import subprocess

import pytest
from django.core.exceptions import ImproperlyConfigured
from reportlab.pdfgen import canvas

from core import pdf

SAMPLE = "Ҷамшед Қодиров, Гулнора Ғафурова, Үсөн Төрөкулов — ңөү ғӣқӯҳҷ"


def test_registered_font_keeps_tajik_and_kyrgyz_letters_in_extracted_text(tmp_path):
    font = pdf.register_fonts()
    buffer = io.BytesIO()
    page = canvas.Canvas(buffer)
    page.setFont(font, 12)
    page.drawString(72, 720, SAMPLE)
    page.save()
    path = tmp_path / "sample.pdf"
    path.write_bytes(buffer.getvalue())
    if shutil.which("pdftotext"):
        text = subprocess.run(
            ["pdftotext", str(path), "-"], capture_output=True, text=True, check=True
        ).stdout
    else:
        from pypdf import PdfReader

        text = PdfReader(str(path)).pages[0].extract_text()
    assert SAMPLE in text


def test_missing_font_file_is_named_in_the_error(settings, tmp_path):
    settings.PDF_FONT_DIR = tmp_path
    pdf.register_fonts.cache_clear()
    try:
        with pytest.raises(ImproperlyConfigured, match=r"DejaVuSans\.ttf"):
            pdf.register_fonts()
    finally:
        pdf.register_fonts.cache_clear()
