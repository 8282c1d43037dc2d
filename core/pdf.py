"""One place that registers the PDF font, so every document prints Tajik and Kyrgyz letters.

reportlab's built-in fonts cover Latin-1 only and print ■ for Cyrillic; the
project ships DejaVu Sans (core/fonts, Bitstream Vera licence) and every
paragraph style, table and canvas string uses it.
"""

from functools import cache
from pathlib import Path
from xml.sax.saxutils import escape

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

FONT_FAMILY = "DejaVuSans"
FONT_FILES = {
    FONT_FAMILY: "DejaVuSans.ttf",
    f"{FONT_FAMILY}-Bold": "DejaVuSans-Bold.ttf",
    f"{FONT_FAMILY}-Oblique": "DejaVuSans-Oblique.ttf",
    f"{FONT_FAMILY}-BoldOblique": "DejaVuSans-BoldOblique.ttf",
}


@cache
def register_fonts() -> str:
    """Register the shipped TTF family once per process and return its name."""
    font_dir = Path(settings.PDF_FONT_DIR)
    for font_name, file_name in FONT_FILES.items():
        path = font_dir / file_name
        if not path.is_file():
            raise ImproperlyConfigured(
                f"PDF font {file_name} is missing from {font_dir}; it ships with Hamkori "
                "(core/fonts). Restore it from the repository."
            )
        pdfmetrics.registerFont(TTFont(font_name, str(path)))
    addMapping(FONT_FAMILY, 0, 0, FONT_FAMILY)
    addMapping(FONT_FAMILY, 1, 0, f"{FONT_FAMILY}-Bold")
    addMapping(FONT_FAMILY, 0, 1, f"{FONT_FAMILY}-Oblique")
    addMapping(FONT_FAMILY, 1, 1, f"{FONT_FAMILY}-BoldOblique")
    return FONT_FAMILY


def paragraph_text(value: object) -> str:
    """`value` as plain text for reportlab's Paragraph, which parses its argument as markup.

    Unescaped, a name such as `<img src="http://…"/>` makes reportlab fetch the URL (or open
    the path) while the PDF is built and embed what it finds, and broken markup makes the
    whole document fail. Every value from users or data goes through here; line breaks are
    kept as <br/> so a multi-line address still prints on several lines.
    """
    if value is None:
        return ""
    return escape(str(value)).replace("\r\n", "\n").replace("\n", "<br/>")
