"""What the access model knows of a user: approval, roles, establishment and its family.

Read from the member profile (``portal.accounts``); computed once per user object.
"""

from dataclasses import dataclass

_CACHE_ATTR = "_portal_membership"


@dataclass(frozen=True)
class Membership:
    approved: bool = False
    roles: frozenset = frozenset()
    establishment_id: int | None = None
    establishment_family: str | None = None  # ``levels.EstablishmentFamily``
    is_superuser: bool = False


ANONYMOUS = Membership()


def membership_of(user) -> Membership:
    if user is None or not user.is_authenticated or not user.is_active:
        return ANONYMOUS
    cached = getattr(user, _CACHE_ATTR, None)
    if cached is not None:
        return cached
    from portal.accounts.models import MemberProfile  # cycle: it imports portal.access

    try:
        profile = user.member_profile
    except MemberProfile.DoesNotExist:
        profile = None
    approved = profile is not None and profile.is_approved
    establishment = profile.establishment if approved and profile.establishment_id else None
    result = Membership(
        approved=approved,
        roles=frozenset(profile.roles) if approved else frozenset(),
        establishment_id=establishment.pk if establishment else None,
        establishment_family=establishment.family if establishment else None,
        is_superuser=user.is_superuser,
    )
    setattr(user, _CACHE_ATTR, result)
    return result


def forget_membership(user) -> None:
    """Drop the cached membership (after a profile change within the same request)."""
    if hasattr(user, _CACHE_ATTR):
        delattr(user, _CACHE_ATTR)


def audience_key(user) -> str:
    """Users with the same key may view exactly the same content."""
    member = membership_of(user)
    roles = ",".join(sorted(member.roles))
    return (
        f"{int(member.is_superuser)}|{int(member.approved)}|{roles}|{member.establishment_id}"
        f"|{member.establishment_family}"
    )
