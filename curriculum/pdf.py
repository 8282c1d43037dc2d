"""Printed guides with reportlab: a module for participants, the same with facilitator notes for trainers,
and a whole-course facilitator guide.

Trainers carry these to places without a connection, so everything a module
says is in the PDF: rich text keeps its headings, paragraphs, bold, italic and
lists; images are embedded; every page carries the course title and its page
number. Every style uses the shipped DejaVu font (core.pdf) so Tajik and Kyrgyz
letters print. A block whose image or document was deleted prints a placeholder.
"""

import io
from html.parser import HTMLParser
from urllib.parse import urlsplit

from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import (
    Image,
    KeepTogether,
    PageBreak,
    Paragraph,
    SimpleDocTemplate,
    Table,
    TableStyle,
)

from core.pdf import paragraph_text as escape
from core.pdf import register_fonts

from .blocks import FACILITATOR_NOTE, ActivityMethod
from .models import CoursePage, ModulePage
from .selectors import course_modules

PAGE_WIDTH, PAGE_HEIGHT = A4
MARGIN = 18 * mm
TEXT_WIDTH = PAGE_WIDTH - 2 * MARGIN
BRAND = colors.HexColor("#0b5d4b")
NOTE_BACKGROUND = colors.HexColor("#fff4e0")


def _styles() -> dict[str, ParagraphStyle]:
    font = register_fonts()
    base = ParagraphStyle("body", fontName=font, fontSize=10.5, leading=14.5, spaceAfter=5, alignment=TA_LEFT)
    return {
        "body": base,
        "title": ParagraphStyle(
            "title", parent=base, fontName=f"{font}-Bold", fontSize=20, leading=25, spaceAfter=8
        ),
        "h2": ParagraphStyle(
            "h2",
            parent=base,
            fontName=f"{font}-Bold",
            fontSize=14.5,
            leading=19,
            spaceBefore=10,
            textColor=BRAND,
        ),
        "h3": ParagraphStyle(
            "h3", parent=base, fontName=f"{font}-Bold", fontSize=12.5, leading=16, spaceBefore=8
        ),
        "h4": ParagraphStyle(
            "h4", parent=base, fontName=f"{font}-Bold", fontSize=11, leading=15, spaceBefore=6
        ),
        "small": ParagraphStyle(
            "small", parent=base, fontSize=9, leading=12, textColor=colors.HexColor("#4a5560")
        ),
        "list": ParagraphStyle("list", parent=base, leftIndent=14, bulletIndent=3, spaceAfter=2),
        "key": ParagraphStyle(
            "key",
            parent=base,
            fontName=f"{font}-Bold",
            borderColor=BRAND,
            borderWidth=1,
            borderPadding=6,
            spaceBefore=8,
            spaceAfter=10,
        ),
        "note": ParagraphStyle(
            "note", parent=base, backColor=NOTE_BACKGROUND, borderPadding=5, spaceBefore=4, spaceAfter=8
        ),
        "cell": ParagraphStyle("cell", parent=base, fontSize=9.5, leading=12, spaceAfter=0),
    }


class _RichTextToFlowables(HTMLParser):
    """Wagtail rich text (its stored HTML) to reportlab paragraphs, keeping the structure a reader needs.

    An allow-list, because reportlab's paragraph markup can fetch: an <img> in a Paragraph makes
    it open the URL or path in src. Only the tags below become markup (a link only with an
    http(s) address); every other tag is dropped and all text is escaped, so nothing in the
    content ever reaches reportlab as a tag. Images come only from Wagtail's own library, by id.
    """

    BLOCKS = {"p", "h2", "h3", "h4", "li"}
    INLINE = {"b": "b", "strong": "b", "i": "i", "em": "i", "u": "u"}
    LINK_SCHEMES = {"http", "https"}

    def __init__(self, styles: dict, paragraph_style: str = "body"):
        super().__init__(convert_charrefs=True)
        self.styles = styles
        self.paragraph_style = paragraph_style
        self.flowables: list = []
        self.buffer: list[str] = []
        self.plain: list[str] = []  # the same text without any tag, for markup reportlab refuses
        self.block: str | None = None
        self.lists: list[list] = []  # [kind, counter] per open list
        self.links: list[str | None] = []  # per open <a>: its safe address, or None when dropped

    def handle_starttag(self, tag, attrs):
        if tag in ("ul", "ol"):
            self._flush()
            self.lists.append([tag, 0])
        elif tag in self.BLOCKS:
            self._flush()
            self.block = tag
            if tag == "li" and self.lists:
                self.lists[-1][1] += 1
        elif tag in self.INLINE:
            self.buffer.append(f"<{self.INLINE[tag]}>")
        elif tag == "br":
            self.buffer.append("<br/>")
        elif tag == "a":
            href = _safe_link(dict(attrs).get("href"), self.LINK_SCHEMES)
            self.links.append(href)
            if href:
                self.buffer.append(f'<a href="{escape(href)}" color="blue">')
        elif tag == "embed" and dict(attrs).get("embedtype") == "image":
            self._flush()
            self.flowables.extend(_image_flowables(_image_by_id(dict(attrs).get("id")), "", self.styles))

    def handle_endtag(self, tag):
        if tag in self.INLINE:
            self.buffer.append(f"</{self.INLINE[tag]}>")
        elif tag == "a" and self.links:
            if self.links.pop():
                self.buffer.append("</a>")
        elif tag in self.BLOCKS:
            self._flush()
        elif tag in ("ul", "ol") and self.lists:
            self._flush()
            self.lists.pop()

    def handle_data(self, data):
        # HTML whitespace, newlines included, is a space: only <br> breaks a line.
        text = escape(data.replace("\n", " "))
        self.buffer.append(text)
        self.plain.append(text)

    def _flush(self):
        text, plain = "".join(self.buffer).strip(), "".join(self.plain).strip()
        self.buffer, self.plain = [], []
        block, self.block = self.block, None
        if not plain:
            return
        if block == "li" and self.lists:
            kind, counter = self.lists[-1]
            style = ParagraphStyle(
                "li",
                parent=self.styles["list"],
                leftIndent=14 * len(self.lists),
                bulletIndent=14 * len(self.lists) - 11,
            )
            bullet = f"{counter}." if kind == "ol" else "•"
            self.flowables.append(_paragraph(text, plain, style, bulletText=bullet))
        elif block in ("h2", "h3", "h4"):
            self.flowables.append(_paragraph(text, plain, self.styles["h3" if block == "h2" else block]))
        else:
            self.flowables.append(_paragraph(text, plain, self.styles[self.paragraph_style]))

    def close(self):
        super().close()
        self._flush()


def _paragraph(markup: str, plain: str, style: ParagraphStyle, **options) -> Paragraph:
    """The paragraph with its inline markup, or its plain text when the markup does not nest.

    Bold opened in one block and closed in another is valid HTML but broken paragraph markup;
    the text still prints rather than the whole guide failing.
    """
    try:
        return Paragraph(markup, style, **options)
    except ValueError:
        return Paragraph(plain, style, **options)


def _safe_link(href: str | None, schemes: set[str]) -> str | None:
    """The address of a link worth keeping, or None: only absolute http(s) addresses, no quotes."""
    if not href or any(character in href for character in "\"'<>\n\r"):
        return None
    parts = urlsplit(href.strip())
    return href.strip() if parts.scheme.lower() in schemes and parts.netloc else None


def rich_text_flowables(html: str, styles: dict, paragraph_style: str = "body") -> list:
    parser = _RichTextToFlowables(styles, paragraph_style)
    parser.feed(str(html))
    parser.close()
    return parser.flowables


def _image_by_id(image_id):
    from wagtail.images import get_image_model

    return get_image_model().objects.filter(pk=image_id).first() if image_id else None


def _image_flowables(image, caption: str, styles: dict) -> list:
    if image is None:
        return [Paragraph(escape(_("[Image no longer available]")), styles["small"])]
    try:
        with image.open_file() as handle:
            data = io.BytesIO(handle.read())
    except (OSError, ValueError):
        return [Paragraph(escape(_("[Image no longer available]")), styles["small"])]
    width, height = image.width or 1, image.height or 1
    scale = min(TEXT_WIDTH / width, (90 * mm) / height, 1.0)  # fit the column; never blow a small image up
    flowables = [Image(data, width=width * scale, height=height * scale, hAlign="LEFT")]
    text = caption or image.default_alt_text
    if text:
        flowables.append(Paragraph(escape(text), styles["small"]))
    return flowables


def _minutes(value: int) -> str:
    return ngettext("%(count)d minute", "%(count)d minutes", value) % {"count": value}


def _block_flowables(block, styles: dict, *, facilitator: bool) -> list:
    kind, value = block.block_type, block.value
    if kind == "heading":
        return [Paragraph(escape(value["text"]), styles["h2"])]
    if kind == "paragraph":
        return rich_text_flowables(value.source, styles)
    if kind == "image":
        return _image_flowables(value["image"], value["caption"], styles)
    if kind == "video":
        return [
            Paragraph(
                f"<b>{escape(_('Video'))}:</b> {escape(value['title'])} — {escape(value['url'])}",
                styles["body"],
            )
        ]
    if kind == "handout":
        document = value["document"]
        title = _("[Handout no longer available]") if document is None else document.title
        described = f" — {escape(value['description'])}" if value["description"] else ""
        return [Paragraph(f"<b>{escape(_('Handout'))}:</b> {escape(title)}{described}", styles["body"])]
    if kind == "activity":
        heading = f"{escape(_('Activity'))}: {escape(value['title'])} ({escape(_minutes(value['minutes']))})"
        flowables = [
            Paragraph(heading, styles["h3"]),
            Paragraph(f"<i>{escape(str(ActivityMethod(value['method']).label))}</i>", styles["small"]),
        ]
        if value["materials"]:
            flowables.append(
                Paragraph(
                    f"<b>{escape(_('Materials'))}:</b> {escape(', '.join(value['materials']))}",
                    styles["body"],
                )
            )
        for number, step in enumerate(value["steps"], start=1):
            flowables.append(Paragraph(escape(step), styles["list"], bulletText=f"{number}."))
        return flowables
    if kind == "discussion_questions":
        flowables = [Paragraph(escape(_("Discussion questions")), styles["h3"])]
        if value["introduction"]:
            flowables.append(Paragraph(escape(value["introduction"]), styles["body"]))
        flowables += [
            Paragraph(escape(question), styles["list"], bulletText="•") for question in value["questions"]
        ]
        return flowables
    if kind == "case_study":
        heading = f"{escape(_('Case study'))}: {escape(value['title'])}"
        flowables = [Paragraph(heading, styles["h3"])]
        if value["place"]:
            flowables.append(Paragraph(f"<i>{escape(value['place'])}</i>", styles["small"]))
        flowables += rich_text_flowables(value["story"].source, styles)
        flowables += [
            Paragraph(escape(question), styles["list"], bulletText="•") for question in value["questions"]
        ]
        return flowables
    if kind == "key_message":
        return [Paragraph(f"{escape(_('Key message'))}: {escape(value['text'])}", styles["key"])]
    if kind == FACILITATOR_NOTE and facilitator:
        label = Paragraph(f"<b>{escape(_('Facilitator note'))}</b>", styles["note"])
        return [KeepTogether([label, *rich_text_flowables(value["note"].source, styles, "note")])]
    return []


def _timetable(module: ModulePage, styles: dict) -> list:
    """The facilitator's plan: each activity with its start offset and length, then every material needed."""
    activities = [block.value for block in module.body if block.block_type == "activity"]
    if not activities:
        return []
    cell = styles["cell"]
    rows = [
        [
            Paragraph(f"<b>{escape(text)}</b>", cell)
            for text in (_("Start"), _("Activity"), _("Method"), _("Time"))
        ]
    ]
    elapsed = 0
    for activity in activities:
        rows.append(
            [
                Paragraph(f"+{elapsed // 60}:{elapsed % 60:02d}", cell),
                Paragraph(escape(activity["title"]), cell),
                Paragraph(escape(str(ActivityMethod(activity["method"]).label)), cell),
                Paragraph(escape(_minutes(activity["minutes"])), cell),
            ]
        )
        elapsed += activity["minutes"]
    table = Table(rows, colWidths=[18 * mm, TEXT_WIDTH - 78 * mm, 35 * mm, 25 * mm], repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.5, colors.HexColor("#c9d1d9")),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#eef5f3")),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    flowables = [Paragraph(escape(_("Session plan")), styles["h3"]), table]
    materials = sorted({item for activity in activities for item in activity["materials"]}, key=str.casefold)
    handouts = [
        block.value["document"].title
        for block in module.body
        if block.block_type == "handout" and block.value["document"] is not None
    ]
    if materials or handouts:
        flowables.append(Paragraph(escape(_("Materials to bring")), styles["h3"]))
        flowables += [
            Paragraph(escape(item), styles["list"], bulletText="□") for item in [*materials, *handouts]
        ]
    return flowables


def _module_flowables(module: ModulePage, styles: dict, *, facilitator: bool, heading_style: str) -> list:
    flowables = [Paragraph(escape(module.title), styles[heading_style])]
    flowables.append(Paragraph(escape(_minutes(module.duration_minutes)), styles["small"]))
    if module.learning_objectives:
        flowables.append(Paragraph(escape(_("Learning objectives")), styles["h3"]))
        flowables += rich_text_flowables(module.learning_objectives, styles)
    if facilitator:
        flowables += _timetable(module, styles)
    for block in module.body:
        flowables += _block_flowables(block, styles, facilitator=facilitator)
    return flowables


def _build(flowables: list, *, running_title: str, document_title: str) -> bytes:
    font = register_fonts()
    page_label = _("Page %(number)s")

    def decorate(canvas, doc):
        canvas.saveState()
        canvas.setFont(font, 8.5)
        canvas.setFillColor(colors.HexColor("#4a5560"))
        canvas.drawString(MARGIN, PAGE_HEIGHT - 11 * mm, running_title[:110])
        canvas.drawRightString(PAGE_WIDTH - MARGIN, 10 * mm, page_label % {"number": doc.page})
        canvas.setStrokeColor(colors.HexColor("#c9d1d9"))
        canvas.line(MARGIN, PAGE_HEIGHT - 12.5 * mm, PAGE_WIDTH - MARGIN, PAGE_HEIGHT - 12.5 * mm)
        canvas.restoreState()

    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN,
        bottomMargin=MARGIN,
        title=document_title,
        author="Hamkori",
    )
    document.build(flowables, onFirstPage=decorate, onLaterPages=decorate)
    return buffer.getvalue()


def module_pdf(module: ModulePage, *, facilitator: bool) -> bytes:
    course = module.get_parent().specific
    with translation.override(module.locale.language_code):
        styles = _styles()
        flowables = []
        if facilitator:
            flowables.append(Paragraph(escape(_("Facilitator version — for trainers only")), styles["small"]))
        flowables += _module_flowables(module, styles, facilitator=facilitator, heading_style="title")
        return _build(flowables, running_title=course.title, document_title=module.title)


def course_pdf(course: CoursePage, *, facilitator: bool) -> bytes:
    language = course.locale.language_code
    modules = course_modules(course=course, language=language)
    full_modules = {
        page.pk: page
        for page in ModulePage.objects.filter(pk__in=[m.pk for m in modules]).select_related("locale")
    }
    with translation.override(language):
        styles = _styles()
        total = sum(module.duration_minutes for module in modules)
        subtitle = _("Facilitator guide") if facilitator else _("Participant handbook")
        flowables = [
            Paragraph(escape(course.title), styles["title"]),
            Paragraph(escape(subtitle), styles["h2"]),
            Paragraph(escape(course.summary), styles["body"]),
        ]
        if course.learning_objectives:
            flowables.append(Paragraph(escape(_("Learning objectives")), styles["h3"]))
            flowables += rich_text_flowables(course.learning_objectives, styles)
        flowables.append(Paragraph(escape(_("Modules")), styles["h3"]))
        for number, module in enumerate(modules, start=1):
            flowables.append(
                Paragraph(
                    f"{escape(module.title)} — {escape(_minutes(module.duration_minutes))}",
                    styles["list"],
                    bulletText=f"{number}.",
                )
            )
        flowables.append(Paragraph(f"<b>{escape(_('Total'))}:</b> {escape(_minutes(total))}", styles["body"]))
        for module in modules:
            flowables.append(PageBreak())
            flowables += _module_flowables(
                full_modules[module.pk], styles, facilitator=facilitator, heading_style="h2"
            )
        return _build(flowables, running_title=course.title, document_title=f"{course.title} — {subtitle}")
