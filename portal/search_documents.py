"""What the portal's own content pages put into the search index."""

from django.utils.translation import gettext_lazy as _

from portal.models import StandardPage
from search.pages import page_document
from search.registry import Source

KIND = "pages"


def standard_page_document(page):
    return page_document(
        page,
        KIND,
        summary=page.intro,
        body=(page.intro, page.body),
        date=page.last_published_at,
    )


SOURCE = Source(
    kind=KIND,
    label=_("Pages"),
    models=(StandardPage,),
    document=standard_page_document,
    candidates=lambda: StandardPage.objects.live().select_related("establishment"),
    order=900,
)
