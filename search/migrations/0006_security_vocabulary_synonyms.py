"""English security vocabulary and French acronyms in the editable synonym list (editors keep
control in the admin: "Synonymes de recherche").

A group whose first term an existing group already holds (compared without case and accents)
is merged into it: the missing terms are appended, the editors' own terms stay. Otherwise the
group is added. Unapplying leaves the list as the editors have it."""

import unicodedata

from django.db import migrations

GROUPS = [
    # English security vocabulary
    "MFA, two-factor authentication, two factor authentication, 2FA, multi-factor "
    "authentication, multifactor authentication, authentification à deux facteurs, "
    "double authentification, authentification forte, authentification multifacteur",
    "patch management, gestion des correctifs, correctifs de sécurité, mises à jour de sécurité, "
    "security updates",
    "backup and restore, sauvegarde et restauration, restauration des sauvegardes",
    "password manager, gestionnaire de mots de passe, coffre-fort de mots de passe",
    "EDR, endpoint detection and response, endpoint detection, antivirus nouvelle génération",
    "incident response, réponse à incident, réponse aux incidents, gestion des incidents, "
    "gestion d'incident, gestion de crise",
    "fuite de données, data breach, violation de données, violation de données personnelles, "
    "data leak",
    "notifier, notification",
    # French acronyms
    "CNIL, Commission nationale de l'informatique et des libertés",
    "ANSSI, Agence nationale de la sécurité des systèmes d'information",
    "CERT Santé, ACSS, accompagnement cybersécurité des structures de santé",
    "PCA, plan de continuité d'activité, plan de continuité, continuité d'activité, "
    "business continuity plan",
    "PRA, plan de reprise d'activité, plan de reprise, reprise d'activité, "
    "disaster recovery plan, plan de secours informatique",
    "PSSI, politique de sécurité des systèmes d'information, information security policy",
    "HDS, hébergement de données de santé, hébergeur de données de santé",
    "DPO, délégué à la protection des données, DPD, data protection officer",
    "GHT, groupement hospitalier de territoire",
    "ESMS, établissement médico-social, établissements et services médico-sociaux, "
    "structures médico-sociales",
    "RSSI, CISO, responsable de la sécurité des systèmes d'information",
]


def _key(term: str) -> str:
    decomposed = unicodedata.normalize("NFKD", term.casefold())
    return " ".join("".join(c for c in decomposed if not unicodedata.combining(c)).split())


def _terms(text: str) -> list[str]:
    return [term.strip() for term in text.split(",") if term.strip()]


def forward(apps, schema_editor):
    SynonymGroup = apps.get_model("portal_search", "SynonymGroup")
    existing = list(SynonymGroup.objects.order_by("id"))
    for text in GROUPS:
        terms = _terms(text)
        group = next(
            (g for g in existing if _key(terms[0]) in {_key(t) for t in _terms(g.terms)}), None
        )
        if group is None:
            existing.append(SynonymGroup.objects.create(terms=", ".join(terms)))
            continue
        held = {_key(t) for t in _terms(group.terms)}
        missing = [term for term in terms if _key(term) not in held]
        if missing:
            group.terms = ", ".join([*_terms(group.terms), *missing])
            group.save(update_fields=["terms"])


class Migration(migrations.Migration):
    dependencies = [("portal_search", "0005_spelling_vocabulary")]
    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]
