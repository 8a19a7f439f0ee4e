"""Establishments and member profiles: what the access model reads of a user."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from portal import region
from portal.access.fields import RoleSetField
from portal.access.levels import EstablishmentFamily
from portal.access.roles import Role
from portal.accounts.validators import validate_department, validate_finess


class EstablishmentType(models.TextChoices):
    CHU = "chu", _("University hospital (CHU)")
    CH = "ch", _("Hospital centre (CH)")
    PRIVATE_CLINIC = "clinic", _("Private clinic")
    ESPIC = "espic", _("Private non-profit establishment (ESPIC)")
    EHPAD = "ehpad", _("Nursing home (EHPAD)")
    ESMS = "esms", _("Medico-social establishment or service (ESMS)")
    GHT = "ght", _("Regional hospital group (GHT)")
    ARS = "ars", _("Regional health agency (ARS)")
    GCS = "gcs", _("E-health cooperation group (GCS)")


FAMILY_OF_TYPE = {
    EstablishmentType.CHU: EstablishmentFamily.HOSPITAL,
    EstablishmentType.CH: EstablishmentFamily.HOSPITAL,
    EstablishmentType.PRIVATE_CLINIC: EstablishmentFamily.HOSPITAL,
    EstablishmentType.ESPIC: EstablishmentFamily.HOSPITAL,
    EstablishmentType.GHT: EstablishmentFamily.HOSPITAL,
    EstablishmentType.EHPAD: EstablishmentFamily.MEDICO_SOCIAL,
    EstablishmentType.ESMS: EstablishmentFamily.MEDICO_SOCIAL,
    EstablishmentType.ARS: EstablishmentFamily.REGIONAL,
    EstablishmentType.GCS: EstablishmentFamily.REGIONAL,
}


class Establishment(models.Model):
    name = models.CharField(_("name"), max_length=200)
    finess = models.CharField(
        _("FINESS number"), max_length=9, unique=True, validators=[validate_finess]
    )
    kind = models.CharField(_("type"), max_length=10, choices=EstablishmentType.choices)
    department = models.CharField(_("department"), max_length=3, validators=[validate_department])
    city = models.CharField(_("city"), max_length=100, blank=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent GHT"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="members",
        limit_choices_to={"kind": EstablishmentType.GHT},
    )
    email_domains = models.TextField(
        _("allow-listed e-mail domains"),
        blank=True,
        help_text=_(
            "One domain per line: addresses on these domains are approved automatically as "
            "members; security roles still wait for a person's confirmation."
        ),
    )
    validated = models.BooleanField(
        _("validated"),
        default=True,
        help_text=_("Establishments proposed at sign-up wait for a regional administrator."),
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("establishment")
        verbose_name_plural = _("establishments")

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.finess = self.finess.strip().upper()
        super().save(*args, **kwargs)

    @property
    def department_label(self) -> str:
        return region.current().department_label(self.department)

    @property
    def family(self) -> str | None:
        """The family of its type (what ``EstablishmentFamilyAudience`` content is narrowed to)."""
        return FAMILY_OF_TYPE.get(self.kind)

    @property
    def domains(self) -> list[str]:
        return [d.strip().lower() for d in self.email_domains.split() if d.strip()]


class MemberStatus(models.TextChoices):
    PENDING = "pending", _("Pending approval")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    SUSPENDED = "suspended", _("Suspended")


class MemberProfile(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="member_profile"
    )
    establishment = models.ForeignKey(
        Establishment,
        verbose_name=_("establishment"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="member_profiles",
    )
    roles = RoleSetField(_("roles"))
    status = models.CharField(
        _("status"), max_length=10, choices=MemberStatus.choices, default=MemberStatus.PENDING
    )
    decision_reason = models.TextField(_("reason given"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    # Approved by the e-mail domain alone, until a regional administrator reviews it.
    auto_approved = models.BooleanField(_("approved by e-mail domain, to review"), default=False)
    requested_at = models.DateTimeField(_("requested at"), auto_now_add=True, null=True)
    # Notification preferences: per kind, in portal.notifications (Preference).

    class Meta:
        verbose_name = _("member profile")
        verbose_name_plural = _("member profiles")

    def __str__(self):
        return f"{self.user} ({self.get_status_display()})"

    @property
    def is_approved(self) -> bool:
        return self.status == MemberStatus.APPROVED

    @property
    def role_labels(self) -> list[str]:
        return [Role(role).label for role in sorted(self.roles)]


class ClaimStatus(models.TextChoices):
    PENDING = "pending", _("Awaiting confirmation")
    CONFIRMED = "confirmed", _("Confirmed")
    DECLINED = "declined", _("Declined")


class RoleClaim(models.Model):
    """Security roles a member asked for: granted only when a person confirms them.

    The record stays as the audit trail: who confirmed (or declined) which roles, when, and why.
    """

    profile = models.ForeignKey(
        MemberProfile,
        verbose_name=_("member"),
        on_delete=models.CASCADE,
        related_name="role_claims",
    )
    roles = RoleSetField(_("roles claimed"))
    status = models.CharField(
        _("status"), max_length=10, choices=ClaimStatus.choices, default=ClaimStatus.PENDING
    )
    requested_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_as = RoleSetField(_("roles of the person who decided"))
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    reason = models.TextField(_("reason given"), blank=True)

    class Meta:
        ordering = ["requested_at", "pk"]
        verbose_name = _("role claim")
        verbose_name_plural = _("role claims")
        constraints = [
            models.UniqueConstraint(
                fields=["profile"],
                condition=models.Q(status="pending"),
                name="one_pending_role_claim_per_member",
            )
        ]

    def __str__(self):
        return f"{self.profile.user} ({self.get_status_display()})"

    @property
    def role_labels(self) -> list[str]:
        return [Role(role).label for role in sorted(self.roles)]
