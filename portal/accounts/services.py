"""Membership decisions: registration, approval, rejection, suspension, and their e-mails."""

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from portal import region
from portal.access.fields import role_token
from portal.access.membership import forget_membership, membership_of
from portal.access.roles import Role
from portal.accounts.models import Establishment, MemberProfile, MemberStatus
from portal.security_log import log_event

# Roles a person may ask for at sign-up; staff roles are given by a regional administrator.
SELF_SERVICE_ROLES = ("director", "rssi", "dsi", "dpo", "caregiver", "admin_agent")


def domain_of(email: str) -> str:
    return email.rsplit("@", 1)[-1].strip().lower()


def register_member(user, establishment: Establishment, roles, request=None) -> MemberProfile:
    """A new member's profile: approved at once on the establishment's allow-listed domain."""
    profile = MemberProfile.objects.create(user=user, establishment=establishment, roles=roles)
    if establishment.validated and domain_of(user.email) in establishment.domains:
        _decide(profile, MemberStatus.APPROVED, None, _("Address on the establishment's domain."))
        log_event("membership_auto_approved", request, user)
    else:
        _notify_approvers(profile)
        log_event("membership_requested", request, user)
    return profile


def approve(profile: MemberProfile, by, reason: str = "", request=None) -> None:
    if profile.establishment and not profile.establishment.validated:
        Establishment.objects.filter(pk=profile.establishment_id).update(validated=True)
    _decide(profile, MemberStatus.APPROVED, by, reason)
    log_event("membership_approved", request, by, member=profile.user_id)


def reject(profile: MemberProfile, by, reason: str, request=None) -> None:
    _decide(profile, MemberStatus.REJECTED, by, reason)
    log_event("membership_rejected", request, by, member=profile.user_id)


def suspend(profile: MemberProfile, by, reason: str, request=None) -> None:
    """Suspension takes effect at once: every session of the member is ended."""
    from allauth.usersessions.models import UserSession

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
    profile.save(update_fields=["status", "decided_by", "decided_at", "decision_reason"])
    forget_membership(profile.user)
    transaction.on_commit(lambda: _mail_member(profile))


def _mail_member(profile: MemberProfile) -> None:
    context = {
        "profile": profile,
        "portal_name": settings.PORTAL_NAME,
        "region": region.current(),
        "site_url": settings.SITE_URL,
    }
    subject = {
        MemberStatus.APPROVED: _("Your membership is approved"),
        MemberStatus.REJECTED: _("Your membership request was not accepted"),
        MemberStatus.SUSPENDED: _("Your membership is suspended"),
    }[profile.status]
    send_mail(
        f"[{settings.PORTAL_NAME}] {subject}",
        render_to_string("accounts/email/decision.txt", context),
        None,
        [profile.user.email],
    )


def _notify_approvers(profile: MemberProfile) -> None:
    approvers = list(
        MemberProfile.objects.filter(
            status=MemberStatus.APPROVED, roles__contains=role_token(Role.REGIONAL_ADMIN)
        ).values_list("user__email", flat=True)
    )
    if not approvers:
        return
    context = {
        "profile": profile,
        "portal_name": settings.PORTAL_NAME,
        "site_url": settings.SITE_URL,
    }
    transaction.on_commit(
        lambda: send_mail(
            f"[{settings.PORTAL_NAME}] " + _("A membership request is waiting"),
            render_to_string("accounts/email/request.txt", context),
            None,
            approvers,
        )
    )


def pending_queue():
    return (
        MemberProfile.objects.filter(status=MemberStatus.PENDING)
        .select_related("user", "establishment")
        .order_by("requested_at", "pk")
    )


def can_decide(user) -> bool:
    """Regional administrators (and superusers) decide on memberships."""
    member = membership_of(user)
    return member.is_superuser or Role.REGIONAL_ADMIN in member.roles


def establishment_contacts(establishment, viewer):
    """The security contacts of an establishment (RSSI, DSI, director), for its members."""
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
