"""Serving an object already in hand: the access rule, and the editors' preview of drafts."""

from portal.access.editors import has_admin_access
from portal.access.policy import can_view, refuse
from portal.access.staff import staff_may_see


def is_preview(request) -> bool:
    """A Wagtail preview or "view draft": set by Wagtail on the request it builds itself after
    the admin checked the editor's permissions on the page (never from the client)."""
    return getattr(request, "is_preview", False) is True


def may_preview(request, obj) -> bool:
    """Editors preview drafts whatever their audience, within the staff rule (content for one
    establishment only to its moderators and to whoever may view it)."""
    return (
        is_preview(request) and has_admin_access(request.user) and staff_may_see(request.user, obj)
    )


def ensure_visible(request, obj) -> None:
    """404 (logged as a security event) unless the requesting user may view ``obj``, or
    previews it as an editor: for an object already in hand; a lookup goes through
    ``get_visible_or_404``."""
    if not can_view(request.user, obj) and not may_preview(request, obj):
        refuse(request, type(obj), pk=obj.pk)
