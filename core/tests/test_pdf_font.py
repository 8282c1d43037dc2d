"""PDFs print Tajik and Kyrgyz letters with the shipped font, and a missing font is named."""

import io

import pytest
from django.core.exceptions import ImproperlyConfigured
from reportlab.pdfgen import canvas

from core import pdf
from tests.pdf_text import pdf_text

SAMPLE = "Ҷамшед Қодиров, Гулнора Ғафурова, Үсөн Төрөкулов — ңөү ғӣқӯҳҷ"


def test_registered_font_keeps_tajik_and_kyrgyz_letters_in_extracted_text():
    font = pdf.register_fonts()
    buffer = io.BytesIO()
    page = canvas.Canvas(buffer)
    page.setFont(font, 12)
    page.drawString(72, 720, SAMPLE)
    page.save()
    assert SAMPLE in pdf_text(buffer.getvalue())


def test_missing_font_file_is_named_in_the_error(settings, tmp_path):
    settings.PDF_FONT_DIR = tmp_path
    pdf.register_fonts.cache_clear()
    try:
        with pytest.raises(ImproperlyConfigured, match=r"DejaVuSans\.ttf"):
            pdf.register_fonts()
    finally:
        pdf.register_fonts.cache_clear()
