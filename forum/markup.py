"""Post, signature and poll text: Markdown rendered by markdown2, then sanitised by nh3.

machina stores the rendered HTML (``MACHINA_MARKUP_LANGUAGE`` points here), so nothing unsafe
is ever stored: markdown2's ``safe_mode`` alone lets ``<img onerror>`` and ``javascript:``
links through. Only the tags below survive, links get ``rel="nofollow noopener"``, and only
http(s) and mailto URLs are kept (images: http(s) only).
"""

import nh3
from django.utils.encoding import smart_str
from markdown2 import markdown

TAGS = {
    "p", "br", "hr", "strong", "em", "b", "i", "del", "code", "pre", "blockquote",
    "ul", "ol", "li", "a", "img", "h3", "h4", "h5", "h6", "table", "thead", "tbody", "tr",
    "th", "td",
}  # fmt: skip
ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title"},
    "th": {"align"},
    "td": {"align"},
}
# Poll questions and options sit inside a legend or a label: phrasing content only.
INLINE_TAGS = {"strong", "em", "b", "i", "del", "code", "a"}
URL_SCHEMES = {"http", "https", "mailto"}
EXTRAS = {"break-on-newline": True, "tables": True, "fenced-code-blocks": None}


def _attribute_filter(tag: str, name: str, value: str):
    if tag == "img" and name == "src" and not value.lower().startswith(("http://", "https://")):
        return None
    return value


def sanitize(html: str, tags=TAGS) -> str:
    return nh3.clean(
        html,
        tags=tags,
        attributes=ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="nofollow noopener noreferrer",
        attribute_filter=_attribute_filter,
        strip_comments=True,
    )


def render(text, **kwargs) -> str:
    """Markdown to safe HTML (machina's render function signature)."""
    html = markdown(smart_str(text or ""), safe_mode="escape", extras=EXTRAS)
    return sanitize(smart_str(html).strip())


def render_inline(text) -> str:
    """A short text (poll question or option) to safe inline HTML: the same Markdown and nh3,
    keeping only phrasing tags (a block's tags are dropped, their text kept)."""
    html = markdown(smart_str(text or ""), safe_mode="escape", extras=EXTRAS)
    return sanitize(smart_str(html).strip(), tags=INLINE_TAGS).strip()
