"""Text of a PDF for assertions, read with pypdf (in the dev extra).

The default suite must pass on a machine with only Python, venv and make, so no test reads PDFs
through a system program such as poppler's pdftotext (tests/test_no_system_programs.py checks).
"""

import io

from pypdf import PdfReader

# ReportLab draws list bullets in the standard Helvetica font as code 127, which WinAnsiEncoding
# shows as a bullet (PDF 1.7, Annex D, note 5) but pypdf extracts as DEL.
WINANSI_BULLET = str.maketrans({"\x7f": "•"})


def pdf_pages(content: bytes) -> list[str]:
    """The extracted text of each page, in order."""
    return [
        (page.extract_text() or "").translate(WINANSI_BULLET) for page in PdfReader(io.BytesIO(content)).pages
    ]


def pdf_text(content: bytes, *, flatten: bool = False) -> str:
    """All pages' text separated by a form feed, as pdftotext printed it.

    With ``flatten`` each page's whitespace runs become one space, so words of a wrapped table cell
    or a line broken differently by the extractor still compare as one phrase.
    """
    pages = pdf_pages(content)
    if flatten:
        pages = [" ".join(page.split()) for page in pages]
    return "\f".join(pages)


def pdf_page_count(content: bytes) -> int:
    return len(PdfReader(io.BytesIO(content)).pages)


def pdf_page_size(content: bytes, page: int = 0) -> tuple[float, float]:
    """Width and height of a page in points."""
    box = PdfReader(io.BytesIO(content)).pages[page].mediabox
    return float(box.width), float(box.height)
