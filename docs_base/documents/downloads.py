"""Serving attached files through the access model, never through a raw media URL.

A file is served when the user may view a live, non-archived document page that offers it (in
its attachments or in a "downloads" block), or any other live page linking to it in its content,
outside any Wagtail privacy restriction; editors with admin access to the file's collection may
always download it. Other modules whose pages offer
Wagtail documents add their own rule with ``register_grant``. Anything else answers 404, logged
as a refused restricted object, exactly like a file that does not exist.
"""

from collections.abc import Callable

from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.http import FileResponse, Http404
from django.utils.cache import patch_cache_control

from docs_base.documents.catalogue import listed_documents
from docs_base.models.documents import DocumentAttachment, DocumentPage, DocumentStats
from portal.access import can_view
from portal.access.editors import has_admin_access
from portal.security_log import log_event

DOWNLOAD_CSP = "default-src 'none'; sandbox"

# grant(user, document) -> True when another module's content lets the user download it.
_grants: list[Callable] = []


def register_grant(grant: Callable) -> None:
    if grant not in _grants:
        _grants.append(grant)


def pages_offering(document_id: int):
    """Every document page (any state) whose attachments or downloads blocks offer the file."""
    attached = DocumentAttachment.objects.filter(document_id=document_id).values("page_id")
    return DocumentPage.objects.filter(
        Q(pk__in=attached) | Q(body_document_ids__contains=f",{document_id},")
    )


def granting_page(user, document):
    """The first page offering the file that the user may view, else None."""
    return listed_documents(user, pages_offering(document.pk)).order_by("path").first()


MAX_REFERRING_PAGES = 20


def referring_page_visible(user, document) -> bool:
    """A live page outside Wagtail privacy, that the user may view (never an archived
    document), links to the file in its content (Wagtail's reference index: rich-text links,
    chooser blocks): the link works for whoever can see it."""
    from django.contrib.contenttypes.models import ContentType
    from wagtail.models import Page, ReferenceIndex

    page_type = ContentType.objects.get_for_model(Page)
    ids = list(
        ReferenceIndex.get_references_to(document)
        .filter(base_content_type=page_type)
        .values_list("object_id", flat=True)[:MAX_REFERRING_PAGES]
    )
    if not ids:
        return False
    pages = Page.objects.live().public().filter(pk__in=[int(i) for i in ids if i.isdigit()])
    for page in pages.specific():
        if getattr(page, "archived", False):
            continue
        if not hasattr(page, "access_level") or can_view(user, page):
            return True
    return False


def editor_may_download(user, document) -> bool:
    if not has_admin_access(user):
        return False
    if user.is_superuser:
        return True
    from wagtail.permissions import policy_registry

    policy = policy_registry.get_by_type(type(document))
    return policy.user_has_any_permission_for_instance(user, ["add", "change", "choose"], document)


def _collection_allows(request, document) -> bool:
    """A Wagtail collection privacy setting can only narrow who downloads, never widen."""
    return all(r.accept_request(request) for r in document.collection.get_view_restrictions())


def count_download(page) -> None:
    """Popularity: downloads per page, kept outside the page (revisions never overwrite it)."""
    if DocumentStats.objects.filter(page=page).update(downloads=F("downloads") + 1):
        return
    try:
        with transaction.atomic():
            DocumentStats.objects.create(page=page, downloads=1)
    except IntegrityError:
        DocumentStats.objects.filter(page=page).update(downloads=F("downloads") + 1)


def _refuse(request, document_id):
    log_event("restricted_content_denied", request, object=f"wagtaildocs.Document:{document_id}")
    raise Http404


def serve(request, document_id: int):
    from wagtail.documents import get_document_model

    document = (
        get_document_model().objects.select_related("collection").filter(pk=document_id).first()
    )
    if document is None:
        raise Http404
    user = request.user
    page, allowed = None, False
    if _collection_allows(request, document):
        page = granting_page(user, document)
        allowed = (
            page is not None
            or referring_page_visible(user, document)
            or any(grant(user, document) for grant in _grants)
        )
    if not allowed and not editor_may_download(user, document):
        _refuse(request, document_id)
    try:
        handle = document.file.open("rb")
    except (FileNotFoundError, OSError):
        raise Http404 from None
    if page is not None:
        count_download(page)
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=document.filename,
        content_type=document.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = DOWNLOAD_CSP
    patch_cache_control(response, private=True, no_cache=True)
    return response
