"""The blocks of a lesson: text, video with transcript, image, download, callout, self-check."""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.images.blocks import ImageChooserBlock

from portal.blocks import CalloutBlock, HeadingBlock, ParagraphBlock


class VideoBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("Title"))
    url = blocks.URLBlock(
        label=_("Video address"),
        help_text=_("A link to the video on the video platform (opened in a new page)."),
    )
    duration = blocks.CharBlock(label=_("Duration"), required=False, max_length=20)
    transcript = blocks.RichTextBlock(
        label=_("Transcript"), features=["bold", "italic", "ul", "ol", "link"]
    )

    class Meta:
        template = "elearning/blocks/video.html"
        icon = "media"
        label = _("Video with transcript")


class LessonImageBlock(blocks.StructBlock):
    image = ImageChooserBlock(label=_("Image"))
    alternative = blocks.CharBlock(
        label=_("Text alternative"),
        required=False,
        help_text=_("Leave empty only for a decorative image."),
    )
    caption = blocks.CharBlock(label=_("Caption"), required=False)

    class Meta:
        template = "elearning/blocks/image.html"
        icon = "image"
        label = _("Image")


class DownloadBlock(blocks.StructBlock):
    document = DocumentChooserBlock(label=_("Document"))
    label = blocks.CharBlock(label=_("Link text"))

    class Meta:
        template = "elearning/blocks/download.html"
        icon = "download"
        label = _("Download")


class SelfCheckBlock(blocks.StructBlock):
    """A question the learner answers for themselves: the answer is revealed on demand
    (a native disclosure element, no script); it is not graded."""

    question = blocks.CharBlock(label=_("Question"))
    answer = blocks.RichTextBlock(label=_("Answer"), features=["bold", "italic", "ul"])

    class Meta:
        template = "elearning/blocks/self_check.html"
        icon = "help"
        label = _("Self-check")


def lesson_blocks():
    return [
        ("heading", HeadingBlock()),
        ("paragraph", ParagraphBlock()),
        ("video", VideoBlock()),
        ("image", LessonImageBlock()),
        ("download", DownloadBlock()),
        ("callout", CalloutBlock()),
        ("self_check", SelfCheckBlock()),
    ]
