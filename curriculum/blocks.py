"""The blocks a module is written in: text and media for everyone, timed activities, and notes for trainers.

Every block renders with its own template; the facilitator note is filtered
out before rendering for anyone who may not see it (see ModulePage.visible_body),
so it never reaches a trainee's HTML. A chooser block whose image or document
was deleted renders a placeholder instead of failing.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.images.blocks import ImageChooserBlock

RICH_TEXT_FEATURES = ["h3", "h4", "bold", "italic", "ol", "ul", "link"]
FACILITATOR_NOTE = "facilitator_note"


class ActivityMethod(models.TextChoices):
    PRESENTATION = "presentation", _("Presentation")
    DISCUSSION = "discussion", _("Group discussion")
    SMALL_GROUPS = "small_groups", _("Small-group work")
    ROLE_PLAY = "role_play", _("Role play")
    CASE_STUDY = "case_study", _("Case study analysis")
    BRAINSTORM = "brainstorm", _("Brainstorm")
    ENERGISER = "energiser", _("Energiser")
    FIELD_EXERCISE = "field_exercise", _("Field exercise")


class HeadingBlock(blocks.StructBlock):
    text = blocks.CharBlock(label=_("heading"), max_length=200)

    class Meta:
        icon = "title"
        template = "curriculum/blocks/heading.html"
        label = _("Heading")
        description = _("A section heading inside the module.")
        preview_value = {"text": "Why trust matters"}


class ImageWithCaptionBlock(blocks.StructBlock):
    image = ImageChooserBlock(label=_("image"))
    caption = blocks.CharBlock(label=_("caption"), required=False, max_length=300)

    class Meta:
        icon = "image"
        template = "curriculum/blocks/image.html"
        label = _("Image with caption")
        description = _("A picture or diagram; the caption appears under it and in the printed guide.")
        preview_value = {"caption": "A community meeting in a mahalla centre"}


class VideoBlock(blocks.StructBlock):
    """A link to a video rather than an embedded player: it costs nothing to load on a slow connection
    and validating it needs no call to the video site."""

    url = blocks.URLBlock(label=_("video URL"))
    title = blocks.CharBlock(label=_("title"), max_length=200)

    class Meta:
        icon = "media"
        template = "curriculum/blocks/video.html"
        label = _("Video")
        description = _("A video to watch, by its web address.")
        preview_value = {"url": "https://www.youtube.com/watch?v=example", "title": "Community policing"}


class HandoutBlock(blocks.StructBlock):
    document = DocumentChooserBlock(label=_("document"))
    description = blocks.CharBlock(label=_("description"), required=False, max_length=300)

    class Meta:
        icon = "doc-full"
        template = "curriculum/blocks/handout.html"
        label = _("Handout")
        description = _("A document participants receive or download.")
        preview_value = {"description": "Worksheet for the problem-solving exercise"}


class ActivityBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("title"), max_length=200)
    minutes = blocks.IntegerBlock(label=_("minutes"), min_value=1, max_value=600)
    method = blocks.ChoiceBlock(label=_("method"), choices=ActivityMethod.choices)
    materials = blocks.ListBlock(blocks.CharBlock(max_length=200), label=_("materials"), default=[])
    steps = blocks.ListBlock(blocks.TextBlock(), label=_("steps"), min_num=1)

    class Meta:
        icon = "time"
        template = "curriculum/blocks/activity.html"
        label = _("Activity")
        description = _("A timed exercise: method, materials and the steps to run it.")
        preview_value = {
            "title": "Mapping community safety concerns",
            "minutes": 30,
            "method": ActivityMethod.SMALL_GROUPS,
            "materials": ["flipchart", "markers"],
            "steps": ["Form groups of five.", "Draw the neighbourhood.", "Mark places people avoid."],
        }

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context=parent_context)
        context["method_label"] = ActivityMethod(value["method"]).label
        return context


class DiscussionQuestionsBlock(blocks.StructBlock):
    introduction = blocks.CharBlock(label=_("introduction"), required=False, max_length=300)
    questions = blocks.ListBlock(blocks.CharBlock(max_length=300), label=_("questions"), min_num=1)

    class Meta:
        icon = "help"
        template = "curriculum/blocks/discussion_questions.html"
        label = _("Discussion questions")
        description = _("Questions for the group to discuss.")
        preview_value = {"questions": ["Who feels safe going to the police station, and who does not?"]}


class CaseStudyBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("title"), max_length=200)
    place = blocks.CharBlock(label=_("place"), required=False, max_length=200)
    story = blocks.RichTextBlock(label=_("story"), features=RICH_TEXT_FEATURES)
    questions = blocks.ListBlock(blocks.CharBlock(max_length=300), label=_("questions"), default=[])

    class Meta:
        icon = "openquote"
        template = "curriculum/blocks/case_study.html"
        label = _("Case study")
        description = _("A real situation from community-policing practice, with questions.")
        preview_value = {"title": "The bus stop", "story": "<p>Girls stopped using a bus stop…</p>"}


class KeyMessageBlock(blocks.StructBlock):
    text = blocks.TextBlock(label=_("key message"))

    class Meta:
        icon = "pick"
        template = "curriculum/blocks/key_message.html"
        label = _("Key message")
        description = _("The one thing participants should remember.")
        preview_value = {"text": "Trust is built before the crisis, not during it."}


class FacilitatorNoteBlock(blocks.StructBlock):
    note = blocks.RichTextBlock(label=_("note"), features=RICH_TEXT_FEATURES)

    class Meta:
        icon = "warning"
        template = "curriculum/blocks/facilitator_note.html"
        label = _("Facilitator note")
        description = _("Guidance for trainers only: never shown to trainees or the public.")
        preview_value = {"note": "<p>Allow silence; people need time before speaking about violence.</p>"}


class ModuleBodyBlock(blocks.StreamBlock):
    heading = HeadingBlock()
    paragraph = blocks.RichTextBlock(
        label=_("Rich text"),
        features=RICH_TEXT_FEATURES,
        icon="pilcrow",
        template="curriculum/blocks/text.html",
    )
    image = ImageWithCaptionBlock()
    video = VideoBlock()
    handout = HandoutBlock()
    activity = ActivityBlock()
    discussion_questions = DiscussionQuestionsBlock()
    case_study = CaseStudyBlock()
    key_message = KeyMessageBlock()
    facilitator_note = FacilitatorNoteBlock()
