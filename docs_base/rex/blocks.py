"""StreamField blocks of an experience feedback (REX) page."""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks


class TimelineStepBlock(blocks.StructBlock):
    """One dated step of the incident: what happened, what was decided."""

    date = blocks.DateBlock(label=_("Date"))
    time = blocks.TimeBlock(label=_("Time"), required=False)
    description = blocks.TextBlock(label=_("What happened"), max_length=1000)

    class Meta:
        template = "docs_base/rex/blocks/timeline_step.html"
        icon = "date"
        label = _("Timeline step")


class CitedPageBlock(blocks.PageChooserBlock):
    """A guide, course or benchmark entry the feedback cites (shown only if the reader may)."""

    class Meta:
        template = "docs_base/rex/blocks/cited_page.html"
        icon = "link"
        label = _("Cited page")


def timeline_blocks():
    return [("step", TimelineStepBlock())]


def cited_page_blocks():
    return [("page", CitedPageBlock())]
