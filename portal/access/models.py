"""The access fields every restricted piece of content carries."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from portal.access.fields import CodeSetField, RoleSetField, as_role_set
from portal.access.levels import TLP_ACCESS, AccessLevel, EstablishmentFamily, Tlp


class AccessControlled(models.Model):
    access_level = models.CharField(
        _("access level"),
        max_length=20,
        choices=AccessLevel.choices,
        default=AccessLevel.PUBLIC,
        db_index=True,
    )
    allowed_roles = RoleSetField(
        _("allowed roles"),
        help_text=_(
            "For 'roles': the roles that may view. For 'establishment': optionally narrows "
            "to these roles within the establishment."
        ),
    )
    establishment = models.ForeignKey(
        "accounts.Establishment",
        verbose_name=_("establishment"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("For 'establishment': the only establishment whose members may view."),
    )

    class Meta:
        abstract = True

    def clean(self):
        super().clean()
        if self.access_level == AccessLevel.ROLES and not as_role_set(self.allowed_roles):
            raise ValidationError({"allowed_roles": _("Choose at least one role.")})
        if self.access_level == AccessLevel.ESTABLISHMENT and self.establishment_id is None:
            raise ValidationError({"establishment": _("Choose the establishment.")})

    def apply_tlp(self, tlp: str, establishment=None, roles=None) -> None:
        """Set the access fields from a TLP marking (see ``levels.TLP_ACCESS``)."""
        mapping = TLP_ACCESS[Tlp(tlp)]
        if mapping.needs_establishment and establishment is None:
            raise ValidationError(
                {"establishment": _("This TLP marking needs a recipient establishment.")}
            )
        self.access_level = mapping.level
        self.allowed_roles = as_role_set(roles) if roles else mapping.roles
        self.establishment = establishment if mapping.needs_establishment else None


class EstablishmentFamilyAudience(models.Model):
    """Narrows an ``AccessControlled`` object's audience to the members of establishments of
    some families (e.g. medico-social: EHPAD and ESMS staff), whatever its level allows.

    A separate mixin, so that only the content types that offer it carry the column;
    ``policy.can_view`` and ``policy.access_q`` (through ``carries_families``) apply it.
    """

    establishment_families = CodeSetField(
        _("establishment types"),
        codes=EstablishmentFamily,
        help_text=_(
            "Optional: only members of establishments of these types may view, whatever the "
            "access level allows."
        ),
    )

    class Meta:
        abstract = True

    def clean(self):
        super().clean()
        if as_role_set(self.establishment_families) and self.access_level == AccessLevel.PUBLIC:
            raise ValidationError(
                {"establishment_families": _("Public content cannot be narrowed to some types.")}
            )
