"""The one access model (README.md, *The access model*): every module checks content here."""

from portal.access.levels import TLP_ACCESS, AccessLevel, EstablishmentFamily, Tlp
from portal.access.members import approved_member_required, is_approved_member
from portal.access.membership import Membership, membership_of
from portal.access.policy import (
    access_q,
    can_view,
    carries_families,
    get_visible_or_404,
    page_access_q,
    refuse,
    visible_pages,
    visible_to,
)
from portal.access.roles import SECURITY_ROLES, Role
from portal.access.serving import ensure_visible, is_preview, may_preview

__all__ = [
    "TLP_ACCESS",
    "AccessLevel",
    "EstablishmentFamily",
    "Membership",
    "Role",
    "SECURITY_ROLES",
    "Tlp",
    "access_q",
    "approved_member_required",
    "can_view",
    "carries_families",
    "ensure_visible",
    "get_visible_or_404",
    "is_approved_member",
    "is_preview",
    "may_preview",
    "membership_of",
    "page_access_q",
    "refuse",
    "visible_pages",
    "visible_to",
]
