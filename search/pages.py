"""Helpers for modules whose searchable things are Wagtail pages."""

import html

from django.utils.html import strip_tags
from wagtail.fields import StreamValue

from search.documents import SearchDocument, access_fields, model_key


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


def page_document(page, kind: str, *, body=(), **fields) -> SearchDocument | None:
    """The index document of an access-controlled page, or None when it must not be searchable.

    Key, title, URL and access fields come from the page; ``body``: the rich-text, StreamField
    or plain values whose text is searched; ``fields``: the other ``SearchDocument`` fields.
    """
    if not indexable(page):
        return None
    return SearchDocument(
        key=model_key(page),
        kind=kind,
        title=page.title,
        url=page.url or "",
        body=page_text(*body),
        **fields,
        **access_fields(page),
    )
