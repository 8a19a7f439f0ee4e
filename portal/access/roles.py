"""The roles a member can hold (directors, security officers, caregivers, GCS staff...)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    DIRECTOR = "director", _("Director")
    RSSI = "rssi", _("Information systems security officer (RSSI)")
    DSI = "dsi", _("IT director / IS manager (DSI)")
    DPO = "dpo", _("Data protection officer (DPO)")
    CAREGIVER = "caregiver", _("Caregiver")
    ADMIN_AGENT = "admin_agent", _("Administrative agent")
    ARS_REFERENT = "ars_referent", _("Cybersecurity referent (ARS)")
    EDITOR = "editor", _("Facilitator / editor (GCS)")
    MODERATOR = "moderator", _("Moderator")
    REGIONAL_ADMIN = "regional_admin", _("Regional administrator")


# The people who act on a security bulletin in an establishment or for the region.
SECURITY_ROLES = frozenset({Role.RSSI, Role.DSI, Role.DIRECTOR, Role.ARS_REFERENT})
