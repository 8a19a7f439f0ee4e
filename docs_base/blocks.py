"""StreamField blocks of the document base, added to the portal's own (portal.blocks)."""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.documents.blocks import DocumentChooserBlock

from portal.blocks import body_blocks


class ChecklistBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("Title"), required=False)
    items = blocks.ListBlock(blocks.CharBlock(label=_("Item")), label=_("Items"), min_num=1)

    class Meta:
        template = "docs_base/documents/blocks/checklist.html"
        icon = "tasks"
        label = _("Checklist")


class StepBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("Step"))
    text = blocks.RichTextBlock(
        label=_("Details"), features=["bold", "italic", "link", "ul"], required=False
    )


class StepsBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("Title"), required=False)
    steps = blocks.ListBlock(StepBlock(), label=_("Steps"), min_num=1)

    class Meta:
        template = "docs_base/documents/blocks/steps.html"
        icon = "list-ol"
        label = _("Steps")


class DownloadsBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("Title"), required=False)
    documents = blocks.ListBlock(DocumentChooserBlock(label=_("File")), label=_("Files"), min_num=1)

    class Meta:
        template = "docs_base/documents/blocks/downloads.html"
        icon = "download"
        label = _("Downloads")


class VideoBlock(blocks.StructBlock):
    """A video hosted elsewhere: a link and its transcript (the CSP forbids third-party frames,
    and a transcript is the accessible alternative)."""

    title = blocks.CharBlock(label=_("Title"))
    url = blocks.URLBlock(label=_("Video address"))
    duration = blocks.CharBlock(label=_("Duration"), required=False, max_length=20)
    transcript = blocks.TextBlock(label=_("Transcript"), required=False)

    class Meta:
        template = "docs_base/documents/blocks/video.html"
        icon = "media"
        label = _("Video")


def document_body_blocks():
    return body_blocks() + [
        ("checklist", ChecklistBlock()),
        ("steps", StepsBlock()),
        ("downloads", DownloadsBlock()),
        ("video", VideoBlock()),
    ]


def downloaded_document_ids(body) -> set[int]:
    """Ids of the Wagtail documents the body's "downloads" blocks offer (read from the raw
    stream data: no query)."""
    ids = set()
    for block in getattr(body, "raw_data", None) or ():
        if block.get("type") != "downloads":
            continue
        for item in (block.get("value") or {}).get("documents") or ():
            value = item.get("value") if isinstance(item, dict) else item
            if isinstance(value, int) or (isinstance(value, str) and value.isdigit()):
                ids.add(int(value))
    return ids
