"""Membership decisions: registration, approval, rejection, suspension, role claims, e-mails.

An allow-listed e-mail domain proves the establishment, never a role: sign-up grants at once only
the roles that open no restricted content; the security roles are claimed (``RoleClaim``) and
granted when a regional administrator, or an approved director or RSSI of the same establishment,
confirms them.
"""

from allauth.usersessions.models import UserSession
from django.conf import settings
from django.db import transaction
from django.db.models import Prefetch, Q
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from portal import mail, region
from portal.access.fields import role_token
from portal.access.membership import forget_membership, membership_of
from portal.access.roles import Role
from portal.accounts import user_cache
from portal.accounts.models import (
    ClaimStatus,
    Establishment,
    MemberProfile,
    MemberStatus,
    RoleClaim,
)
from portal.security_log import log_event

# Roles a person may ask for at sign-up; staff roles are given by a regional administrator.
SELF_SERVICE_ROLES = ("director", "rssi", "dsi", "dpo", "caregiver", "admin_agent")
# Granted with the membership: they open no restricted security content.
AUTO_GRANTED_ROLES = frozenset({Role.CAREGIVER, Role.ADMIN_AGENT})
# Approved holders of these roles confirm the role claims of their own establishment.
CONFIRMER_ROLES = frozenset({Role.DIRECTOR, Role.RSSI})


def domain_of(email: str) -> str:
    return email.rsplit("@", 1)[-1].strip().lower()


def register_member(user, establishment: Establishment, roles, request=None) -> MemberProfile:
    """A new member's profile; the security roles asked for become a pending claim.

    On the establishment's allow-listed domain the membership is approved at once (with the
    roles in ``AUTO_GRANTED_ROLES`` only) and shown to the regional administrators for review.
    """
    roles = set(roles) & set(SELF_SERVICE_ROLES)  # staff roles are never claimed
    profile = MemberProfile.objects.create(
        user=user, establishment=establishment, roles=roles & AUTO_GRANTED_ROLES
    )
    claimed = roles - AUTO_GRANTED_ROLES
    claim = RoleClaim.objects.create(profile=profile, roles=claimed) if claimed else None
    if establishment.validated and domain_of(user.email) in establishment.domains:
        profile.auto_approved = True
        _decide(profile, MemberStatus.APPROVED, None, _("Address on the establishment's domain."))
        log_event("membership_auto_approved", request, user)
    else:
        _notify_approvers(profile)
        log_event("membership_requested", request, user)
    if claim is not None:
        log_event("role_claimed", request, user, claim=claim.pk, roles=_roles_text(claimed))
        _mail_role_claim(claim)
    return profile


def _roles_text(roles) -> str:
    return ",".join(sorted(roles))


def approve(profile: MemberProfile, by, reason: str = "", request=None) -> None:
    if profile.establishment and not profile.establishment.validated:
        Establishment.objects.filter(pk=profile.establishment_id).update(validated=True)
        user_cache.forget_establishment(profile.establishment_id)  # its members carry it
    # The administrator saw the roles claimed with the request: they are granted with it.
    for claim in profile.role_claims.filter(status=ClaimStatus.PENDING):
        claim.profile = profile
        _settle_claim(claim, ClaimStatus.CONFIRMED, by, reason, request)
    _decide(profile, MemberStatus.APPROVED, by, reason)
    log_event("membership_approved", request, by, member=profile.user_id)


def reject(profile: MemberProfile, by, reason: str, request=None) -> None:
    _decide(profile, MemberStatus.REJECTED, by, reason)
    log_event("membership_rejected", request, by, member=profile.user_id)
    _decline_pending_claims(profile, by, reason, request)


def keep_auto_approval(profile: MemberProfile, by, request=None) -> None:
    """A regional administrator confirms a membership approved by its e-mail domain."""
    profile.auto_approved = False
    profile.decided_by = by
    profile.save(update_fields=["auto_approved", "decided_by"])
    log_event("auto_approval_kept", request, by, member=profile.user_id)


def revoke_auto_approval(profile: MemberProfile, by, reason: str, request=None) -> None:
    """Undo an approval by e-mail domain: the membership is refused and its sessions end."""
    profile.auto_approved = False
    _decide(profile, MemberStatus.REJECTED, by, reason)
    _decline_pending_claims(profile, by, reason, request)
    for session in UserSession.objects.filter(user_id=profile.user_id):
        session.end()
    log_event("auto_approval_revoked", request, by, member=profile.user_id)


def suspend(profile: MemberProfile, by, reason: str, request=None) -> None:
    """Suspension takes effect at once: every session of the member is ended."""
    _decide(profile, MemberStatus.SUSPENDED, by, reason)
    for session in UserSession.objects.filter(user_id=profile.user_id):
        session.end()
    log_event("membership_suspended", request, by, member=profile.user_id)


@transaction.atomic
def _decide(profile: MemberProfile, status: str, by, reason: str) -> None:
    profile.status = status
    profile.decided_by = by
    profile.decided_at = timezone.now()
    profile.decision_reason = reason
    profile.save(
        update_fields=["status", "decided_by", "decided_at", "decision_reason", "auto_approved"]
    )
    forget_membership(profile.user)
    transaction.on_commit(lambda: _mail_member(profile))


def _mail_member(profile: MemberProfile) -> None:
    context = {
        "profile": profile,
        "pending_claim": pending_claim(profile),
        "portal_name": settings.PORTAL_NAME,
        "region": region.current(),
        "site_url": settings.SITE_URL,
    }
    subject = {
        MemberStatus.APPROVED: _("Your membership is approved"),
        MemberStatus.REJECTED: _("Your membership request was not accepted"),
        MemberStatus.SUSPENDED: _("Your membership is suspended"),
    }[profile.status]
    mail.queue_mail(
        f"[{settings.PORTAL_NAME}] {subject}",
        render_to_string("accounts/email/decision.txt", context),
        [profile.user.email],
    )


def _regional_admin_emails() -> list[str]:
    return list(
        MemberProfile.objects.filter(
            status=MemberStatus.APPROVED, roles__contains=role_token(Role.REGIONAL_ADMIN)
        ).values_list("user__email", flat=True)
    )


def _notify_approvers(profile: MemberProfile) -> None:
    approvers = _regional_admin_emails()
    if not approvers:
        return
    context = {
        "profile": profile,
        "portal_name": settings.PORTAL_NAME,
        "site_url": settings.SITE_URL,
    }
    body = render_to_string("accounts/email/request.txt", context)
    subject = f"[{settings.PORTAL_NAME}] " + _("A membership request is waiting")
    transaction.on_commit(lambda: mail.queue_mail(subject, body, approvers))


def _with_pending_claims(queryset):
    return queryset.select_related("user", "establishment").prefetch_related(
        Prefetch(
            "role_claims",
            queryset=RoleClaim.objects.filter(status=ClaimStatus.PENDING),
            to_attr="pending_claims",
        )
    )


def pending_queue():
    return _with_pending_claims(MemberProfile.objects.filter(status=MemberStatus.PENDING)).order_by(
        "requested_at", "pk"
    )


def auto_approvals():
    """Memberships approved by their e-mail domain that no regional administrator reviewed."""
    return _with_pending_claims(
        MemberProfile.objects.filter(status=MemberStatus.APPROVED, auto_approved=True)
    ).order_by("decided_at", "pk")


def can_decide(user) -> bool:
    """Regional administrators (and superusers) decide on memberships."""
    member = membership_of(user)
    return member.is_superuser or Role.REGIONAL_ADMIN in member.roles


def establishment_contacts(establishment, viewer):
    """The security contacts of an establishment (RSSI, DSI, director), for its members.

    Granted roles only: a pending claim never makes anyone a contact.
    """
    query = Q()
    for role in (Role.RSSI, Role.DSI, Role.DIRECTOR):
        query |= Q(roles__contains=role_token(role))
    return (
        MemberProfile.objects.filter(
            query, establishment=establishment, status=MemberStatus.APPROVED
        )
        .exclude(user=viewer)
        .select_related("user")
        .order_by("user__last_name")
    )


# Role claims ---------------------------------------------------------------------------------


def claims_to_decide(user):
    """The pending role claims ``user`` may confirm or decline.

    Regional administrators: every claim of an approved member (a pending membership's claim is
    decided with the membership). An approved director or RSSI: those of the members of their
    own establishment, never their own.
    """
    claims = RoleClaim.objects.filter(
        status=ClaimStatus.PENDING, profile__status=MemberStatus.APPROVED
    ).select_related("profile__user", "profile__establishment")
    if can_decide(user):
        return claims
    member = membership_of(user)
    if not (member.approved and member.establishment_id and member.roles & CONFIRMER_ROLES):
        return claims.none()
    return claims.filter(profile__establishment_id=member.establishment_id).exclude(
        profile__user_id=user.pk
    )


def may_confirm_claims(user) -> bool:
    """Who reaches the role-claims page (the claims themselves: ``claims_to_decide``)."""
    member = membership_of(user)
    return can_decide(user) or (
        member.approved and bool(member.establishment_id) and bool(member.roles & CONFIRMER_ROLES)
    )


def pending_claim(profile: MemberProfile):
    return profile.role_claims.filter(status=ClaimStatus.PENDING).first()


@transaction.atomic
def decide_claim(claim_id, by, confirm: bool, reason: str = "", request=None):
    """Confirm (grant) or decline one claim ``by`` may decide; None when it may not (any more)."""
    claim = claims_to_decide(by).filter(pk=claim_id).first()
    if claim is None:
        return None
    status = ClaimStatus.CONFIRMED if confirm else ClaimStatus.DECLINED
    if not _settle_claim(claim, status, by, reason, request):
        return None
    transaction.on_commit(lambda: _mail_claim_decision(claim))
    return claim


def _decline_pending_claims(profile, by, reason, request) -> None:
    for claim in profile.role_claims.filter(status=ClaimStatus.PENDING):
        claim.profile = profile
        _settle_claim(claim, ClaimStatus.DECLINED, by, reason, request)


def _settle_claim(claim: RoleClaim, status: str, by, reason: str, request) -> bool:
    """Record the decision (who, in which role, when, why); a confirmation grants the roles."""
    decided_as = membership_of(by).roles & (CONFIRMER_ROLES | {Role.REGIONAL_ADMIN})
    now = timezone.now()
    updated = RoleClaim.objects.filter(pk=claim.pk, status=ClaimStatus.PENDING).update(
        status=status, decided_by=by, decided_as=decided_as, decided_at=now, reason=reason
    )
    if not updated:  # decided meanwhile by someone else
        return False
    claim.status, claim.decided_by, claim.decided_at, claim.reason = status, by, now, reason
    claim.decided_as = decided_as
    profile = claim.profile
    if status == ClaimStatus.CONFIRMED:
        profile.roles = set(profile.roles) | set(claim.roles)
        profile.save(update_fields=["roles"])
        forget_membership(profile.user)
    event = "role_claim_confirmed" if status == ClaimStatus.CONFIRMED else "role_claim_declined"
    log_event(
        event,
        request,
        by,
        claim=claim.pk,
        member=profile.user_id,
        roles=_roles_text(claim.roles),
        decided_as=_roles_text(decided_as) or "superuser",
    )
    return True


def _claim_context(claim: RoleClaim) -> dict:
    return {
        "claim": claim,
        "profile": claim.profile,
        "portal_name": settings.PORTAL_NAME,
        "region": region.current(),
        "site_url": settings.SITE_URL,
    }


def _mail_role_claim(claim: RoleClaim) -> None:
    """Tell the establishment's security contacts (and, once the member is approved, the
    regional administrators) that someone claims a security role there."""
    profile = claim.profile
    recipients = set(
        establishment_contacts(profile.establishment, profile.user).values_list(
            "user__email", flat=True
        )
    )
    if profile.is_approved:
        recipients |= set(_regional_admin_emails())
    if not recipients:
        return
    context = _claim_context(claim)
    body = render_to_string("accounts/email/role_claim.txt", context)
    subject = f"[{settings.PORTAL_NAME}] " + _("A security role is claimed in your establishment")
    transaction.on_commit(lambda: mail.queue_mail(subject, body, sorted(recipients)))


def _mail_claim_decision(claim: RoleClaim) -> None:
    """Tell both the member and the person who decided (one message each)."""
    subject = {
        ClaimStatus.CONFIRMED: _("Security role confirmed"),
        ClaimStatus.DECLINED: _("Security role declined"),
    }[claim.status]
    context = _claim_context(claim)
    body = render_to_string("accounts/email/role_claim_decision.txt", context)
    for address in {claim.profile.user.email, claim.decided_by.email} - {""}:
        mail.queue_mail(f"[{settings.PORTAL_NAME}] {subject}", body, [address])
