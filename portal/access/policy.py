"""The one rule: who may view a piece of content.

``can_view`` decides for one object; ``access_q`` / ``visible_to`` apply the very same rule
inside a query. Both read the access fields of ``AccessControlled`` (or any object carrying
``access_level``, ``allowed_roles`` and ``establishment_id``, such as a search document), and
``establishment_families`` where the object carries it (``EstablishmentFamilyAudience``): a
non-empty set admits only members of establishments of those families, at any level.
"""

from functools import cache, reduce
from operator import or_

from django.core.exceptions import FieldDoesNotExist
from django.db.models import Q
from django.http import Http404
from wagtail.models import Page, get_page_models

from portal.access.fields import as_role_set, role_token
from portal.access.levels import AccessLevel
from portal.access.membership import membership_of
from portal.security_log import log_event

FAMILIES_FIELD = "establishment_families"


def carries_families(model) -> bool:
    """Whether rows of ``model`` carry ``establishment_families`` (``access_q(families=...)``)."""
    try:
        model._meta.get_field(FAMILIES_FIELD)
    except FieldDoesNotExist:
        return False
    return True


def can_view(user, obj) -> bool:
    member = membership_of(user)
    if member.is_superuser:
        return True
    families = as_role_set(getattr(obj, FAMILIES_FIELD, None))
    if families and member.establishment_family not in families:
        return False
    level = obj.access_level
    if level == AccessLevel.PUBLIC:
        return True
    if not member.approved:
        return False
    if level == AccessLevel.MEMBERS:
        return True
    allowed_roles = as_role_set(obj.allowed_roles)
    holds_role = bool(member.roles & allowed_roles)
    if level == AccessLevel.ROLES:
        return holds_role
    if level == AccessLevel.ESTABLISHMENT:
        return (
            obj.establishment_id is not None
            and obj.establishment_id == member.establishment_id
            and (not allowed_roles or holds_role)
        )
    return False  # an unknown level is never visible


def access_q(user, prefix: str = "", families: bool = False) -> Q:
    """The ``can_view`` rule as a filter; ``prefix`` reaches the fields through a relation;
    ``families`` says that the rows carry ``establishment_families`` (``carries_families``)."""
    member = membership_of(user)
    if member.is_superuser:
        return Q()

    def q(**lookups):
        return Q(**{f"{prefix}{name}": value for name, value in lookups.items()})

    if families:
        family_rule = q(**{FAMILIES_FIELD: ""})
        if member.establishment_family:
            token = role_token(member.establishment_family)
            family_rule |= q(**{f"{FAMILIES_FIELD}__contains": token})
        return _level_q(member, q) & family_rule
    return _level_q(member, q)


def _level_q(member, q) -> Q:
    rule = q(access_level=AccessLevel.PUBLIC)
    if not member.approved:
        return rule
    rule |= q(access_level=AccessLevel.MEMBERS)
    holds_role = reduce(
        or_, (q(allowed_roles__contains=role_token(r)) for r in sorted(member.roles)), Q()
    )
    if member.roles:
        rule |= q(access_level=AccessLevel.ROLES) & holds_role
    if member.establishment_id is not None:
        same_establishment = q(
            access_level=AccessLevel.ESTABLISHMENT, establishment_id=member.establishment_id
        )
        role_condition = q(allowed_roles="") | holds_role if member.roles else q(allowed_roles="")
        rule |= same_establishment & role_condition
    return rule


def visible_to(user, queryset):
    return queryset.filter(access_q(user, families=carries_families(queryset.model)))


def page_access_q(user) -> Q:
    """``access_q`` over ``wagtailcore.Page`` rows of any type, in one query: a page whose
    type carries no access fields passes, the others pass by their own fields."""
    if membership_of(user).is_superuser:
        return Q()
    rule = Q()
    for path, families in _access_controlled_page_paths(with_families=True):
        rule &= Q(**{f"{path}__isnull": True}) | access_q(user, f"{path}__", families)
    return rule


def visible_pages(request):
    """Every page the requesting user may view by the access fields (``page_access_q``), built
    once per request: each lookup that narrows it (a child by slug, at each level of the page
    routing) clones the filter instead of building it again."""
    cached = getattr(request, "_portal_visible_pages", None)
    if cached is None or cached[0] is not request.user:
        cached = (request.user, Page.objects.filter(page_access_q(request.user)))
        request._portal_visible_pages = cached
    return cached[1]


@cache
def _access_controlled_page_paths(with_families: bool = False) -> tuple:
    """From ``Page``, the relation path to each table holding access fields (with whether it
    carries ``establishment_families``, when asked)."""
    paths = []
    for model in get_page_models():
        try:
            owner = model._meta.get_field("access_level").model
        except FieldDoesNotExist:
            continue
        if owner is not model or model is Page:
            continue  # counted with the concrete parent that holds the field
        chain = [model]
        while Page not in chain[0]._meta.parents:
            chain.insert(0, next(iter(chain[0]._meta.parents)))
        path = "__".join(m._meta.model_name for m in chain)
        paths.append((path, carries_families(model)) if with_families else path)
    return tuple(sorted(paths))


def refuse(request, model, **lookup):
    """404 for an access-checked lookup that found nothing the user may view.

    A missing object and a restricted one are refused alike, on the same path: the security
    event names the lookup key, never a fetched object (telling them apart would cost work on
    the refusal path, hence a timing difference).
    """
    key = ",".join(f"{name}={value}" for name, value in sorted(lookup.items()))
    log_event("restricted_content_denied", request, object=f"{model._meta.label}[{key}]")
    raise Http404


def get_visible_or_404(request, queryset, **lookups):
    """One object the requesting user may view, else 404: a restricted object looks absent.

    Visibility is decided in the very query that looks the object up."""
    obj = visible_to(request.user, queryset).filter(**lookups).first()
    if obj is None:
        refuse(request, queryset.model, **lookups)
    return obj
