"""Staff and the most sensitive content: TLP:RED and TLP:AMBER+STRICT, i.e. the
``establishment`` access level (content for one establishment only).

The rule, one place for every admin path: in the Wagtail admin, content at the establishment
level is seen only by superusers, by the moderators assigned to a registered moderation
workflow (the REX moderation: they anonymise it before publication), and by whoever may view it
on the portal anyway (``can_view``). Anyone else gets a 404, as for a missing page; every view of
such content in the admin is logged as a ``sensitive_content_viewed`` security event.

Applied by ``portal.access.staff_admin`` (admin page views, listings, search and choosers) and
by the document base's download view (files offered by such pages).
"""

from functools import reduce
from operator import or_

from django.db.models import Q

from portal.access.levels import AccessLevel
from portal.access.policy import _access_controlled_page_paths, access_q, can_view

SENSITIVE = AccessLevel.ESTABLISHMENT
_CACHE_ATTR = "_portal_sees_all_sensitive"
_moderation_workflows: set[str] = set()


def register_moderation_workflow(name: str) -> None:
    """A module names the Wagtail workflow whose moderators review its sensitive content."""
    _moderation_workflows.add(name)


def sees_all_sensitive(user) -> bool:
    """Superusers, and the members of a group approving a task of a registered workflow."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    cached = getattr(user, _CACHE_ATTR, None)
    if cached is None:
        cached = bool(_moderation_workflows) and (
            user.groups.filter(
                groupapprovaltask__active=True,
                groupapprovaltask__workflow_tasks__workflow__active=True,
                groupapprovaltask__workflow_tasks__workflow__name__in=_moderation_workflows,
            ).exists()
        )
        setattr(user, _CACHE_ATTR, cached)
    return cached


def is_sensitive(obj) -> bool:
    return getattr(obj, "access_level", None) == SENSITIVE


def staff_may_see(user, obj) -> bool:
    return not is_sensitive(obj) or sees_all_sensitive(user) or can_view(user, obj)


def staff_q(user, prefix: str = "", families: bool = False) -> Q:
    """``staff_may_see`` as a filter over access-controlled rows (``families``: as for
    ``access_q``)."""
    if sees_all_sensitive(user):
        return Q()
    return ~Q(**{f"{prefix}access_level": SENSITIVE}) | access_q(user, prefix, families)


def staff_page_q(user) -> Q:
    """``staff_may_see`` over ``wagtailcore.Page`` rows of any type."""
    if sees_all_sensitive(user):
        return Q()
    rule = Q()
    for path, families in _access_controlled_page_paths(with_families=True):
        rule &= Q(**{f"{path}__isnull": True}) | staff_q(user, f"{path}__", families)
    return rule


def sensitive_page_q() -> Q:
    """Pages of any type at the sensitive level."""
    paths = _access_controlled_page_paths()
    return reduce(or_, (Q(**{f"{p}__access_level": SENSITIVE}) for p in paths), Q(pk__in=[]))
