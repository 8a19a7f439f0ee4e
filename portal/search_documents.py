"""What the portal's own content pages put into the search index."""

from django.utils.translation import gettext_lazy as _

from search.documents import SearchDocument, access_fields, model_key
from search.pages import indexable, page_text
from search.registry import Source, register


def page_document(page) -> SearchDocument | None:
    if not indexable(page):
        return None
    return SearchDocument(
        key=model_key(page),
        kind="pages",
        title=page.title,
        url=page.url,
        summary=page.intro,
        body=page_text(page.intro, page.body),
        date=page.last_published_at,
        **access_fields(page),
    )


def register_sources():
    from portal.models import StandardPage

    register(
        Source(
            kind="pages",
            label=_("Pages"),
            models=(StandardPage,),
            document=page_document,
            candidates=lambda: StandardPage.objects.live().select_related("establishment"),
            order=900,
        )
    )
