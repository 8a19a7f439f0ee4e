"""Access levels and TLP 2.0 markings, and how a marking maps onto a level."""

from typing import NamedTuple

from django.db import models
from django.utils.translation import gettext_lazy as _

from portal.access.roles import SECURITY_ROLES, Role


class AccessLevel(models.TextChoices):
    PUBLIC = "public", _("Public")
    MEMBERS = "members", _("Approved members")
    ROLES = "roles", _("Members holding one of the selected roles")
    ESTABLISHMENT = "establishment", _("Members of the selected establishment")


class EstablishmentFamily(models.TextChoices):
    """Families of establishment types: content may be narrowed to the members of some of them
    (``EstablishmentFamilyAudience``); each establishment type belongs to one family
    (``portal.accounts.models.FAMILY_OF_TYPE``)."""

    HOSPITAL = "hospital", _("Hospitals and clinics (CHU, CH, clinics, ESPIC, GHT)")
    MEDICO_SOCIAL = "medico_social", _("Medico-social (EHPAD and ESMS)")
    REGIONAL = "regional", _("Regional bodies (ARS, GCS)")


class Tlp(models.TextChoices):
    CLEAR = "clear", "TLP:CLEAR"
    GREEN = "green", "TLP:GREEN"
    AMBER = "amber", "TLP:AMBER"
    AMBER_STRICT = "amber_strict", "TLP:AMBER+STRICT"
    RED = "red", "TLP:RED"


class TlpAccess(NamedTuple):
    level: str
    roles: frozenset
    needs_establishment: bool


# TLP:CLEAR is public; TLP:GREEN is the community (approved members); TLP:AMBER is the
# people who act on it across the region (security roles); TLP:AMBER+STRICT is the recipient
# establishment only; TLP:RED is named recipients: the recipient establishment's holders of the
# given roles (RSSI and director unless the author narrows it).
TLP_ACCESS = {
    Tlp.CLEAR: TlpAccess(AccessLevel.PUBLIC, frozenset(), False),
    Tlp.GREEN: TlpAccess(AccessLevel.MEMBERS, frozenset(), False),
    Tlp.AMBER: TlpAccess(AccessLevel.ROLES, SECURITY_ROLES, False),
    Tlp.AMBER_STRICT: TlpAccess(AccessLevel.ESTABLISHMENT, frozenset(), True),
    Tlp.RED: TlpAccess(AccessLevel.ESTABLISHMENT, frozenset({Role.RSSI, Role.DIRECTOR}), True),
}
