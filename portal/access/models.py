"""The access fields every restricted piece of content carries."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from portal.access.fields import RoleSetField, as_role_set
from portal.access.levels import TLP_ACCESS, AccessLevel, Tlp


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
