"""The one access model (DESIGN.md): every module checks content through these functions."""

from portal.access.levels import TLP_ACCESS, AccessLevel, Tlp
from portal.access.membership import Membership, membership_of
from portal.access.policy import (
    access_q,
    can_view,
    ensure_visible,
    get_visible_or_404,
    page_access_q,
    refuse,
    visible_to,
)
from portal.access.roles import SECURITY_ROLES, Role

__all__ = [
    "TLP_ACCESS",
    "AccessLevel",
    "Membership",
    "Role",
    "SECURITY_ROLES",
    "Tlp",
    "access_q",
    "can_view",
    "ensure_visible",
    "get_visible_or_404",
    "membership_of",
    "page_access_q",
    "refuse",
    "visible_to",
]
