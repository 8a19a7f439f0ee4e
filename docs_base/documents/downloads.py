"""Serving attached files through the access model, never through a raw media URL.

A file is served when the user may view a live, non-archived document page that offers it (in
its attachments or in a "downloads" block), or any other live page linking to it in its content,
outside any Wagtail privacy restriction; editors with admin access to the file's collection may
always download it. Other modules whose pages offer Wagtail documents add their own rule with
``register_grant``. Anything else answers 404, logged as a refused lookup, exactly like a file
that does not exist.

The whole rule is one filter (``downloadable``) applied in the query that looks the file up:
a missing id and a forbidden one take the same path, with the same queries.
"""

from collections.abc import Callable

from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, transaction
from django.db.models import CharField, Exists, F, OuterRef, Q, Value
from django.db.models.functions import Cast, Concat, Length, Substr
from django.http import FileResponse, Http404
from django.utils.cache import patch_cache_control
from wagtail.documents import get_document_model
from wagtail.models import CollectionViewRestriction as Restriction
from wagtail.models import Page, ReferenceIndex
from wagtail.permissions import policy_registry

from docs_base.documents.catalogue import listed_documents
from docs_base.models.documents import DocumentAttachment, DocumentPage, DocumentStats
from portal.access import page_access_q, refuse
from portal.access.editors import has_admin_access
from portal.access.staff import SENSITIVE, sees_all_sensitive, staff_q
from portal.security_log import log_event

DOWNLOAD_CSP = "default-src 'none'; sandbox"

# grant(user) -> a Q over Wagtail documents: the files another module's content lets the user
# download (evaluated inside the lookup query, like the rules below).
_grants: list[Callable] = []


def register_grant(grant: Callable) -> None:
    if grant not in _grants:
        _grants.append(grant)


def _document_model():
    return get_document_model()


def _offering_q(document_ref) -> Q:
    """Document pages whose attachments or downloads blocks offer the file ``document_ref``."""
    marker = Concat(Value(","), Cast(document_ref, CharField()), Value(","))
    return Q(attachments__document_id=document_ref) | Q(body_document_ids__contains=marker)


def pages_offering(document_id: int):
    """Every document page (any state) whose attachments or downloads blocks offer the file."""
    attached = DocumentAttachment.objects.filter(document_id=document_id).values("page_id")
    return DocumentPage.objects.filter(
        Q(pk__in=attached) | Q(body_document_ids__contains=f",{document_id},")
    )


def granting_page(user, document):
    """The first page offering the file that the user may view, else None."""
    return listed_documents(user, pages_offering(document.pk)).order_by("path").first()


def _offered_q(user) -> Q:
    return Q(Exists(listed_documents(user).filter(_offering_q(OuterRef("pk")))))


def _referred_q(user) -> Q:
    """A live page outside Wagtail privacy, that the user may view (never an archived
    document), links to the file in its content (Wagtail's reference index: rich-text links,
    chooser blocks): the link works for whoever can see it. A page without access fields of
    its own (a course's lesson) is as visible as its ancestors: none may be hidden from the
    user, as when the page is reached through the page routing."""
    visible = Page.objects.filter(page_access_q(user)).values("pk")
    hidden_ancestor = Page.objects.exclude(pk__in=visible).filter(
        path=Substr(OuterRef("path"), 1, Length("path")), depth__lt=OuterRef("depth")
    )
    pages = (
        Page.objects.live()
        .public()
        .filter(page_access_q(user))
        .filter(~Exists(hidden_ancestor))
        .filter(Q(documentpage__isnull=True) | Q(documentpage__archived=False))
        .annotate(key=Cast("pk", CharField()))
        .values("key")
    )
    references = ReferenceIndex.objects.filter(
        base_content_type=ContentType.objects.get_for_model(Page),
        to_content_type=ReferenceIndex._get_base_content_type(_document_model()),
        to_object_id=Cast(OuterRef("pk"), CharField()),
        object_id__in=pages,
    )
    return Q(Exists(references))


def _collection_allows_q(user) -> Q:
    """A Wagtail collection privacy setting can only narrow who downloads, never widen: no
    restriction on the file's collection or its ancestors refuses the user (passwords are not
    part of the access model: a password restriction always refuses)."""
    refused = Q(restriction_type=Restriction.PASSWORD)
    if not user.is_authenticated:
        refused |= Q(restriction_type__in=[Restriction.LOGIN, Restriction.GROUPS])
    elif not user.is_superuser:
        refused |= Q(restriction_type=Restriction.GROUPS) & ~Q(groups__in=user.groups.all())
    ancestor_or_self = Q(
        collection__path=Substr(OuterRef("collection__path"), 1, Length("collection__path"))
    )
    return ~Q(Exists(Restriction.objects.filter(refused & ancestor_or_self)))


def _editor_q(user) -> Q:
    """Editors download the files of the collections they may add to, change or choose from."""
    if not has_admin_access(user):
        return Q(pk__in=[])
    if user.is_superuser:
        return Q(pk__isnull=False)  # every file (an empty Q would vanish from an OR)

    policy = policy_registry.get_by_type(_document_model())
    collections = policy.collections_user_has_any_permission_for(user, ["add", "change", "choose"])
    rule = Q(collection__in=collections)
    if not sees_all_sensitive(user):  # the staff rule: no file of a page they may not see
        hidden = DocumentPage.objects.filter(_offering_q(OuterRef("pk"))).filter(~staff_q(user))
        rule &= ~Q(Exists(hidden))
    return rule


def _log_sensitive_download(request, document) -> None:
    """A file offered by a TLP:RED or AMBER+STRICT page, downloaded by staff, is logged."""
    if not has_admin_access(request.user):
        return
    offering = DocumentPage.objects.filter(_offering_q(Value(document.pk)))
    if offering.filter(access_level=SENSITIVE).exists():
        log_event(
            "sensitive_content_viewed",
            request,
            object=f"{document._meta.label}[pk={document.pk}]",
            view="download",
        )


def downloadable(user):
    """The Wagtail documents ``user`` may download, as one queryset."""
    readable = _offered_q(user) | _referred_q(user)
    for grant in _grants:
        readable |= grant(user)
    return _document_model().objects.filter(
        (readable & _collection_allows_q(user)) | _editor_q(user)
    )


def count_download(page) -> None:
    """Popularity: downloads per page, kept outside the page (revisions never overwrite it)."""
    if DocumentStats.objects.filter(page=page).update(downloads=F("downloads") + 1):
        return
    try:
        with transaction.atomic():
            DocumentStats.objects.create(page=page, downloads=1)
    except IntegrityError:
        DocumentStats.objects.filter(page=page).update(downloads=F("downloads") + 1)


def serve(request, document_id: int):
    document = (
        downloadable(request.user).select_related("collection").filter(pk=document_id).first()
    )
    if document is None:
        refuse(request, _document_model(), pk=document_id)
    page = granting_page(request.user, document)
    _log_sensitive_download(request, document)
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
