"""Helpers for modules whose searchable things are Wagtail pages."""

import html

from django.utils.html import strip_tags
from wagtail.fields import StreamValue


def indexable(page) -> bool:
    """Live, not expired, and not behind a Wagtail privacy restriction (the access model's
    fields are what the index filters on; a privacy restriction keeps the page out)."""
    return bool(page.live and not page.expired and not page.get_view_restrictions().exists())


def plain_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, StreamValue):
        parts = value.stream_block.get_searchable_content(value)
        return "\n".join(html.unescape(strip_tags(str(part))) for part in parts)
    return html.unescape(strip_tags(str(value)))


def page_text(*values) -> str:
    """Plain text of rich-text, StreamField or plain values, one paragraph each."""
    return "\n".join(filter(None, (plain_text(value).strip() for value in values)))
