"""Engine-specific full-text structures, and the synonyms the portal starts with."""

from django.db import migrations

SQLITE_FORWARD = [
    # External-content-free FTS5 table holding the analysed terms; rowid = SearchEntry.id.
    "CREATE VIRTUAL TABLE portal_search_fts USING fts5(title, tags, body, "
    "tokenize='unicode61 remove_diacritics 2')",
    "CREATE VIRTUAL TABLE portal_search_fts_titles USING fts5(title, "
    "tokenize='unicode61 remove_diacritics 2', prefix='2 3 4')",
]
SQLITE_BACKWARD = [
    "DROP TABLE IF EXISTS portal_search_fts",
    "DROP TABLE IF EXISTS portal_search_fts_titles",
]
POSTGRES_FORWARD = [
    "CREATE INDEX portal_search_vector_gin ON portal_search_searchentry "
    "USING gin (search_vector)",
]
POSTGRES_BACKWARD = [
    "DROP INDEX IF EXISTS portal_search_vector_gin",
]

DEFAULT_SYNONYMS = [
    "rançongiciel, ransomware, cryptolocker, rançongiciels",
    "hameçonnage, phishing, filoutage",
    "FOVI, fraude au président, faux ordre de virement",
    "PCA, plan de continuité d'activité",
    "PRA, plan de reprise d'activité",
    "MFA, double authentification, authentification forte, 2FA, authentification multifacteur",
    "RSSI, CISO, responsable de la sécurité des systèmes d'information",
    "DSI, direction des systèmes d'information",
    "DPO, délégué à la protection des données",
    "sauvegarde, backup",
    "courriel, e-mail, mail, messagerie",
    "mot de passe, password",
    "EDR, antivirus nouvelle génération",
    "SOC, centre opérationnel de sécurité",
    "RGPD, GDPR, règlement général sur la protection des données",
    "fuite de données, violation de données, data leak",
    "DDoS, déni de service",
    "prise de contrôle à distance, accès distant, remote access, VPN",
    "sensibilisation, awareness",
    "PSSI, politique de sécurité des systèmes d'information",
    "EHPAD, maison de retraite",
    "dispositif médical, dispositifs médicaux, DM",
    "incident, attaque, cyberattaque",
    "vulnérabilité, faille, CVE",
]


def forward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for statement in {"sqlite": SQLITE_FORWARD, "postgresql": POSTGRES_FORWARD}.get(vendor, []):
        schema_editor.execute(statement)
    SynonymGroup = apps.get_model("portal_search", "SynonymGroup")
    SynonymGroup.objects.bulk_create(SynonymGroup(terms=terms) for terms in DEFAULT_SYNONYMS)


def backward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for statement in {"sqlite": SQLITE_BACKWARD, "postgresql": POSTGRES_BACKWARD}.get(vendor, []):
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("portal_search", "0001_index")]
    operations = [migrations.RunPython(forward, backward)]
