"""The one place that reverses the document base's routes, which hang off its index pages
(``RexIndexPage``, ``DocumentIndexPage``: see ``portal.routable``).

``rex_url("mine")`` is ``/retours-experience/mes-retours/`` while the REX index is published
at ``/retours-experience/``; ``documents_url("favourites")`` likewise under the catalogue.
Given the request, the index page is looked up once per request. With no live index page, the
routes do not exist: ``NoReverseMatch``, as ``reverse`` would raise.
"""

from django.urls import NoReverseMatch

from docs_base.models import DocumentIndexPage, RexIndexPage


def _index(model, request):
    if isinstance(routed := getattr(request, "routable_page", None), model):
        return routed  # the request came in through one of this index page's routes
    attribute = f"_docs_base_index_{model.__name__}"
    if request is not None and hasattr(request, attribute):
        return getattr(request, attribute)
    index = model.objects.live().order_by("path").first()
    if request is not None:
        setattr(request, attribute, index)
    return index


def _url(model, name, args, request):
    if (index := _index(model, request)) is None:
        raise NoReverseMatch(f"no live {model._meta.verbose_name}: no route {name!r}")
    return index.subpage_url(name, *args, request=request)


def rex_url(name: str, *args, request=None) -> str:
    """The URL path of one of the REX index's routes (names in ``RexIndexPage``)."""
    return _url(RexIndexPage, name, args, request)


def documents_url(name: str, *args, request=None) -> str:
    """The URL path of one of the catalogue's routes (names in ``DocumentIndexPage``)."""
    return _url(DocumentIndexPage, name, args, request)
