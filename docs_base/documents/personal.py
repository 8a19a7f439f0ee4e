"""The reader's own part of a document page: favourite, watch and vote controls.

The page itself is cached per audience (``portal.page_cache``); these two fragments are
rendered for each request into the shared copy, from the page id, live revision, archived flag
and catalogue URL carried in the fragment's argument (the catalogue's routes take the forms),
with one query for the reader's state; the rendered HTML is kept per state (``_rendered``).
"""

from dataclasses import dataclass
from urllib.parse import quote, unquote

from django.template.loader import get_template
from django.utils.translation import get_language

from docs_base.documents import reader
from docs_base.models.documents import DocumentIndexPage
from portal import page_cache

TOOLS = "documents.reader-tools"
VOTE = "documents.vote"
_STATES_ATTR = "_document_reader_states"
# Rendered once per process for each (template, document argument, reader state, signed in or
# not, path, language): everything the templates read; the CSRF token is written in per request.
_rendered = page_cache.LocalLRU(size=2048)


@dataclass(frozen=True)
class ShownDocument:
    """What the fragments need of the page (its argument, so a hit reads no page)."""

    pk: int
    live_revision_id: int | None
    archived: bool
    catalogue_url: str  # the parent catalogue's URL, where the reader's routes hang off

    @classmethod
    def of(cls, page, request) -> "ShownDocument":
        catalogue_url = page.get_parent().get_url(request) or "/"
        return cls(page.pk, page.live_revision_id, page.archived, catalogue_url)

    @classmethod
    def parse(cls, argument: str) -> "ShownDocument":
        pk, revision, archived, catalogue_url = argument.split(":", 3)
        return cls(int(pk), int(revision) or None, archived == "1", unquote(catalogue_url))

    @property
    def argument(self) -> str:
        url = quote(self.catalogue_url, safe="/:")
        return f"{self.pk}:{self.live_revision_id or 0}:{int(self.archived)}:{url}"

    def route(self, name: str) -> str:
        """The URL of one of the catalogue's routes for this document (``favourite``, ...)."""
        route = DocumentIndexPage.get_resolver().reverse(name, self.pk)
        return self.catalogue_url.rstrip("/") + "/" + route


def _state(request, shown: ShownDocument):
    """Once per request and page, for both fragments."""
    states = request.__dict__.setdefault(_STATES_ATTR, {})
    if shown not in states:
        states[shown] = reader.reader_state(request.user, shown.pk, shown.live_revision_id)
    return states[shown]


def _renderer(template_name: str):
    def render(request, argument: str) -> str:
        shown = ShownDocument.parse(argument)
        state = _state(request, shown)
        key = (template_name, argument, state, request.user.is_authenticated, request.path,
               get_language())  # fmt: skip

        def render_html():
            context = {
                "page": shown,
                "urls": {name: shown.route(name) for name in ("favourite", "watch", "vote")},
                "reader": state,
                "request": request,
                "user": request.user,
                "csrf_token": page_cache.CSRF_PLACEHOLDER,
            }
            return get_template(template_name).render(context)

        return page_cache.kept(request, _rendered, key, render_html)

    return render


def register() -> None:
    page_cache.register_fragment(TOOLS, _renderer("docs_base/documents/includes/reader_tools.html"))
    page_cache.register_fragment(VOTE, _renderer("docs_base/documents/includes/reader_vote.html"))
