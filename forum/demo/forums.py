"""The forums a new portal starts with (editors change them in the Wagtail admin)."""

from forum.models import ForumSpace
from portal.access import AccessLevel, EstablishmentFamily, Role

FORUMS = [
    {
        "name": "Général",
        "description": "Questions et échanges entre tous les membres.",
        "access_level": AccessLevel.MEMBERS,
    },
    {
        "name": "RSSI et DSI",
        "description": "Espace privé des RSSI, DSI et référents cybersécurité de l'ARS.",
        "access_level": AccessLevel.ROLES,
        "allowed_roles": {Role.RSSI, Role.DSI, Role.ARS_REFERENT},
    },
    {
        "name": "Directions",
        "description": "Échanges entre directrices et directeurs d'établissement.",
        "access_level": AccessLevel.ROLES,
        "allowed_roles": {Role.DIRECTOR, Role.ARS_REFERENT},
    },
    {
        "name": "DPO et données personnelles",
        "description": "RGPD, registres, violations de données : entre DPO.",
        "access_level": AccessLevel.ROLES,
        "allowed_roles": {Role.DPO},
    },
    {
        "name": "Médico-social",
        "description": "Pour les équipes des EHPAD et des ESMS (IME, MAS, FAM, SSIAD…).",
        "access_level": AccessLevel.MEMBERS,
        "establishment_families": {EstablishmentFamily.MEDICO_SOCIAL},
    },
    {
        "name": "Annonces",
        "description": "Les annonces du GCS et de l'ARS (lecture seule).",
        "access_level": AccessLevel.MEMBERS,
        "read_only": True,
    },
]


def ensure_forums() -> dict:
    """Create the forums that do not exist yet (by name); returns name -> ForumSpace."""
    spaces = {}
    for position, spec in enumerate(FORUMS):
        space = ForumSpace.objects.filter(name=spec["name"]).first()
        if space is None:
            space = ForumSpace(position=position, **spec)
            space.save()
        spaces[spec["name"]] = space
    return spaces
