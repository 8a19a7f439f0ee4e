"""What the document base registers when the app is ready."""

from django.utils.translation import gettext_lazy as _

from portal import registry

MODULE_KEY = "documents"


def latest(user, limit: int) -> list[registry.HomeItem]:
    """The newest documents the user may view, never archived, for the home page."""
    from docs_base.documents.catalogue import listed_documents

    pages = listed_documents(user).order_by("-first_published_at", "-pk")[:limit]
    return [
        registry.HomeItem(
            title=page.title,
            url=page.url or "",
            date=page.last_published_at,
            summary=page.summary,
        )
        for page in pages
    ]


def register() -> None:
    from wagtail.signals import page_published

    from docs_base.documents import hooks, reader  # noqa: F401  (hooks register on import)
    from docs_base.search_documents import register_documents

    registry.register(
        registry.ModuleEntry(
            key=MODULE_KEY,
            label=_("Document base"),
            url_name="docs_base:catalogue",
            order=20,
            latest=latest,
        )
    )
    register_documents()
    page_published.connect(reader.page_published, dispatch_uid="docs_base-watchers")
