"""A member's personal data: the export they can download, and the deletion of their account."""

from collections.abc import Callable
from dataclasses import dataclass

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.usersessions.models import UserSession
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.accounts.models import MemberProfile
from portal.security_log import log_event

FORMER_MEMBER_PREFIX = "ancien-membre-"


@dataclass(frozen=True)
class Section:
    """What a module holds about a member: ``export(user)`` for the download, ``erase(user)``
    when the account is deleted (what the member published stays, signed "former member")."""

    name: str
    export: Callable[[object], object]
    erase: Callable[[object], None]


_sections: dict[str, Section] = {}


def register(section: Section) -> None:
    _sections[section.name] = section


def export(user) -> dict:
    """Everything the portal holds about the member, without any secret."""
    profile = MemberProfile.objects.filter(user=user).select_related("establishment").first()
    modules = {name: section.export(user) for name, section in sorted(_sections.items())}
    return modules | {
        "exported_at": timezone.now().isoformat(),
        "account": {
            "email": user.email,
            "first_name": user.first_name,
            "last_name": user.last_name,
            "date_joined": user.date_joined.isoformat(),
            "last_login": user.last_login.isoformat() if user.last_login else None,
        },
        "email_addresses": [
            {"email": a.email, "verified": a.verified, "primary": a.primary}
            for a in EmailAddress.objects.filter(user=user)
        ],
        "membership": profile
        and {
            "establishment": profile.establishment and profile.establishment.name,
            "finess": profile.establishment and profile.establishment.finess,
            "roles": sorted(profile.roles),
            "status": profile.status,
            "requested_at": profile.requested_at and profile.requested_at.isoformat(),
            "decided_at": profile.decided_at and profile.decided_at.isoformat(),
            "decision_reason": profile.decision_reason,
            "role_claims": [
                {
                    "roles": sorted(claim.roles),
                    "status": claim.status,
                    "requested_at": claim.requested_at.isoformat(),
                    "decided_at": claim.decided_at and claim.decided_at.isoformat(),
                    "reason": claim.reason,
                }
                for claim in profile.role_claims.all()
            ],
        },
        "two_factor_methods": sorted(
            Authenticator.objects.filter(user=user).values_list("type", flat=True)
        ),
        "sessions": [
            {"ip": s.ip, "user_agent": s.user_agent, "created_at": s.created_at.isoformat()}
            for s in UserSession.objects.filter(user=user)
        ],
    }


def delete_account(user, request=None) -> None:
    """Erase the person; what they wrote stays, signed "ancien membre" (see ``display_name``)."""
    log_event("account_deleted", request, user)
    for section in _sections.values():
        section.erase(user)
    for session in UserSession.objects.filter(user=user):
        session.end()
    EmailAddress.objects.filter(user=user).delete()
    Authenticator.objects.filter(user=user).delete()
    MemberProfile.objects.filter(user=user).delete()
    user.username = f"{FORMER_MEMBER_PREFIX}{user.pk}"
    user.email = user.first_name = user.last_name = ""
    user.is_active = user.is_staff = user.is_superuser = False
    user.set_unusable_password()
    user.save()
    user.groups.clear()


def display_name(user) -> str:
    """How an author is shown: a deleted account reads "ancien membre"."""
    if user is None or user.username.startswith(FORMER_MEMBER_PREFIX):
        return _("former member")
    return user.get_full_name() or _("member")


def former_members():
    return get_user_model().objects.filter(username__startswith=FORMER_MEMBER_PREFIX)
