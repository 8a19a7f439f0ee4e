"""HTTP views of the document base (the catalogue and document pages are Wagtail pages)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST, require_safe

from docs_base.documents import downloads, reader
from docs_base.models.documents import DocumentIndexPage, DocumentPage
from portal.access import approved_member_required, get_visible_or_404

FAVOURITES_PER_PAGE = 20


@require_GET
def catalogue(request):
    """The navigation's entry: a redirect to the catalogue page."""
    index = DocumentIndexPage.objects.live().public().order_by("path").first()
    if index is None or not (url := index.get_url(request)):
        raise Http404
    return redirect(url)


def _member_page(request, page_id):
    """A live document page the approved member may view, else 404."""
    return get_visible_or_404(request, DocumentPage.objects.live(), pk=page_id)


def _back(request, page):
    return redirect((page.get_url(request) or "/") + "#reader-tools")


@login_required
@require_POST  # the method is checked before the membership, as the URL matrix expects
@approved_member_required
def vote(request, page_id):
    page = _member_page(request, page_id)
    answer = request.POST.get("helpful")
    if answer not in ("yes", "no"):
        messages.error(request, _("Choose whether this document was helpful."))
        return _back(request, page)
    try:
        reader.vote(request.user, page, answer == "yes", request.POST.get("reason", ""))
    except reader.VoteRefused as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(request, _("Thank you: your opinion helps the editors."))
    return _back(request, page)


@login_required
@require_POST  # the method is checked before the membership, as the URL matrix expects
@approved_member_required
def favourite(request, page_id):
    page = _member_page(request, page_id)
    try:
        added = reader.toggle_favourite(request.user, page)
    except reader.ArchivedRefused as refusal:
        messages.error(request, str(refusal))
        return _back(request, page)
    if added:
        messages.success(request, _("Added to your favourites."))
    else:
        messages.success(request, _("Removed from your favourites."))
    return _back(request, page)


@login_required
@require_POST  # the method is checked before the membership, as the URL matrix expects
@approved_member_required
def watch(request, page_id):
    page = _member_page(request, page_id)
    if reader.toggle_watch(request.user, page):
        messages.success(request, _("You will get an e-mail when this document is updated."))
    else:
        messages.success(request, _("You no longer follow this document."))
    return _back(request, page)


@approved_member_required
@require_GET
def favourites(request):
    page_obj = Paginator(reader.favourites(request.user, request.user), FAVOURITES_PER_PAGE)
    return render(
        request,
        "docs_base/documents/favourites.html",
        {
            "page_obj": page_obj.get_page(request.GET.get("page")),
            "shared": reader.is_shared(request.user),
            "colleagues": list(reader.colleagues_sharing(request.user)[:50]),
            "owner": None,
        },
    )


@login_required
@require_POST  # the method is checked before the membership, as the URL matrix expects
@approved_member_required
def favourites_sharing(request):
    shared = request.POST.get("shared") == "1"
    reader.set_sharing(request.user, shared)
    if shared:
        messages.success(request, _("Your favourites are shared with your establishment."))
    else:
        messages.success(request, _("Your favourites are no longer shared."))
    return redirect("docs_base:favourites")


@approved_member_required
@require_GET
def shared_favourites(request, user_id):
    """A colleague's shared list, each item filtered by the viewer's own access."""
    if user_id == request.user.pk:
        return redirect("docs_base:favourites")
    if (owner := reader.shared_list_owner(request.user, user_id)) is None:
        raise Http404
    page_obj = Paginator(reader.favourites(request.user, owner), FAVOURITES_PER_PAGE)
    return render(
        request,
        "docs_base/documents/favourites.html",
        {"page_obj": page_obj.get_page(request.GET.get("page")), "owner": owner},
    )


@require_safe
def download(request, document_id, filename=""):
    return downloads.serve(request, int(document_id))


def no_password_form(request, restriction_id):
    """Collection passwords are not part of the access model: nothing to authenticate."""
    raise Http404
