"""The portal's StreamField blocks, shared by every page type."""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks


class CalloutBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("Title"), required=False)
    text = blocks.RichTextBlock(label=_("Text"), features=["bold", "italic", "link", "ul"])

    class Meta:
        template = "portal/blocks/callout.html"
        icon = "info-circle"
        label = _("Callout")


class QuoteBlock(blocks.StructBlock):
    text = blocks.TextBlock(label=_("Quote"))
    author = blocks.CharBlock(label=_("Author"), required=False)
    role = blocks.CharBlock(label=_("Author's role"), required=False)

    class Meta:
        template = "portal/blocks/quote.html"
        icon = "openquote"
        label = _("Quote")


class KeyFigureBlock(blocks.StructBlock):
    figure = blocks.CharBlock(label=_("Figure"), max_length=20)
    caption = blocks.CharBlock(label=_("Caption"))

    class Meta:
        template = "portal/blocks/key_figure.html"
        icon = "pick"
        label = _("Key figure")


class KeyFiguresBlock(blocks.StructBlock):
    figures = blocks.ListBlock(KeyFigureBlock(), label=_("Figures"), min_num=1)

    class Meta:
        template = "portal/blocks/key_figures.html"
        icon = "table"
        label = _("Key figures")


class ParagraphBlock(blocks.RichTextBlock):
    class Meta:
        template = "portal/blocks/paragraph.html"
        icon = "pilcrow"
        label = _("Paragraph")


class HeadingBlock(blocks.CharBlock):
    class Meta:
        template = "portal/blocks/heading.html"
        icon = "title"
        label = _("Heading")


def body_blocks():
    """The blocks of a page body; modules extend the list with their own blocks."""
    return [
        ("heading", HeadingBlock()),
        ("paragraph", ParagraphBlock()),
        ("callout", CalloutBlock()),
        ("quote", QuoteBlock()),
        ("key_figures", KeyFiguresBlock()),
    ]
