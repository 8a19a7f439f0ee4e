# ruff: noqa: E501  (demo data: one criterion per line reads best)
"""Demo catalogue: 8 categories, 3 fictional solutions each (no real trademark), criteria grids.

Vendor names are invented. Scores, prices and references are illustrative demo values.
"""

INDEX = {
    "slug": "comparatifs",
    "title": "Comparatifs de solutions",
    "intro": (
        "<p>Des comparatifs de solutions de cybersécurité établis par le {gcs} : grilles de "
        "critères notées par les éditeurs, avis vérifiés des établissements membres de la "
        "région, canaux d'achat public, labels de l'État et éligibilité au programme CaRE.</p>"
    ),
}

METHODOLOGY = {
    "slug": "methodologie",
    "title": "Méthodologie des comparatifs",
    "intro": (
        "Comment les solutions sont évaluées par les éditeurs du portail et notées par les "
        "établissements membres, et comment lire un comparatif."
    ),
    "body": (
        "<p>Les évaluations sont relues au moins une fois par an ; la date de dernière revue "
        "figure sur chaque fiche. Les éditeurs de solutions ne rédigent ni ne relisent les "
        "évaluations et ne peuvent pas déposer d'avis. Signalez toute erreur au {gcs}.</p>"
    ),
}

# Criteria shared by every grid (operations, cost, support); each category adds its own
# functional and security criteria. (group, name, description, default weight)
COMMON_CRITERIA = [
    ("operations", "Supervision et alertes", "Tableau de bord, alertes, journaux exportables.", 3),
    ("operations", "Charge d'exploitation", "Temps hebdomadaire d'administration estimé.", 3),
    ("cost", "Coût total sur 3 ans", "Licences, matériel, intégration et exploitation.", 4),
    ("cost", "Lisibilité du modèle de prix", "Prix publics, unités de facturation claires.", 2),
    ("support", "Support en français", "Horaires, délais de réponse, interlocuteur dédié.", 3),
    ("support", "Accompagnement au déploiement", "Formation, transfert de compétences.", 2),
]

CATEGORIES = [
    {
        "slug": "sauvegarde",
        "title": "Sauvegarde",
        "intro": "Sauvegardes hors ligne et immuables pour reprendre l'activité après un rançongiciel.",
        "criteria": [
            ("functional", "Restauration granulaire", "Fichier, boîte aux lettres, VM entière.", 4),
            (
                "functional",
                "Règle 3-2-1-1-0",
                "Copie hors ligne ou immuable, tests de restauration.",
                5,
            ),
            ("security", "Immuabilité des sauvegardes", "Verrouillage WORM, double validation.", 5),
            ("security", "Chiffrement et séparation des comptes", "Console isolée de l'AD.", 4),
        ],
        "solutions": [
            ("Coffrelia Backup", "Coffrelia", "hybrid"),
            ("Archipel Sauvegarde", "Archipel Numérique", "on_premises"),
            ("Nivalis Cloud Backup", "Nivalis", "saas"),
        ],
    },
    {
        "slug": "edr",
        "title": "EDR (détection et réponse sur les postes)",
        "intro": "Détecter et bloquer les comportements malveillants sur les postes et serveurs.",
        "criteria": [
            ("functional", "Couverture des systèmes", "Windows, Linux, postes anciens.", 4),
            ("functional", "Réponse à distance", "Isolement, arrêt de processus, collecte.", 4),
            ("security", "Taux de détection", "Résultats d'évaluations indépendantes.", 5),
            ("security", "Protection de l'agent", "Anti-désinstallation, autoprotection.", 4),
        ],
        "solutions": [
            ("Vigilo EDR", "Ombrelle Sécurité", "saas"),
            ("Sentinelle Poste", "Hexadéfense", "hybrid"),
            ("Castorion Endpoint", "Castorion Logiciels", "saas"),
        ],
    },
    {
        "slug": "authentification-multifacteur",
        "title": "Authentification multifacteur",
        "intro": "Un second facteur pour la messagerie, le VPN et les accès des prestataires.",
        "criteria": [
            ("functional", "Facteurs proposés", "Application, clé FIDO2, carte CPS.", 4),
            ("functional", "Intégration aux applications", "SAML, OIDC, RADIUS, VPN.", 4),
            ("security", "Résistance à l'hameçonnage", "Facteurs FIDO2, liaison au domaine.", 5),
            ("security", "Procédure de secours", "Récupération sans affaiblir la sécurité.", 3),
        ],
        "solutions": [
            ("Double Clé", "Sésamo", "saas"),
            ("Portillon MFA", "Portillon SAS", "on_premises"),
            ("AuthéNord", "Boréal Identité", "hybrid"),
        ],
    },
    {
        "slug": "filtrage-messagerie",
        "title": "Filtrage de messagerie",
        "intro": "Bloquer l'hameçonnage, les pièces jointes piégées et la fraude au président.",
        "criteria": [
            (
                "functional",
                "Analyse des liens et pièces jointes",
                "Bac à sable, réécriture d'URL.",
                5,
            ),
            (
                "functional",
                "Gestion de la quarantaine",
                "Par les utilisateurs, par l'équipe SI.",
                3,
            ),
            ("security", "Détection de la fraude au président", "Usurpation, domaines proches.", 4),
            ("security", "SPF, DKIM, DMARC", "Contrôles et rapports.", 4),
        ],
        "solutions": [
            ("Tamis Mail", "Tamis Technologies", "saas"),
            ("Écluse Messagerie", "Écluse", "hybrid"),
            ("Passerelle Héron", "Héron Systèmes", "on_premises"),
        ],
    },
    {
        "slug": "scan-vulnerabilites",
        "title": "Scan de vulnérabilités",
        "intro": "Connaître ses vulnérabilités avant les attaquants, dispositifs médicaux compris.",
        "criteria": [
            ("functional", "Découverte des actifs", "Réseau, dispositifs médicaux, cloud.", 4),
            ("functional", "Priorisation", "Exploitabilité, exposition, criticité métier.", 4),
            ("security", "Scans sans impact sur le biomédical", "Modes passifs, fenêtres.", 5),
            ("security", "Fraîcheur des signatures", "Délai de prise en compte des CVE.", 3),
        ],
        "solutions": [
            ("Radar Faille", "Périscope", "saas"),
            ("Sonde Ardoise", "Ardoise Cyber", "on_premises"),
            ("Loupe Réseau", "Lumen Audit", "hybrid"),
        ],
    },
    {
        "slug": "soc-manage",
        "title": "SOC managé",
        "intro": "Une équipe qui surveille vos journaux et réagit jour et nuit.",
        "criteria": [
            ("functional", "Périmètre surveillé", "Postes, serveurs, AD, messagerie, cloud.", 4),
            ("functional", "Réaction 24/7", "Astreinte, délais d'intervention contractuels.", 5),
            ("security", "Qualification PDIS", "Prestataire qualifié par l'ANSSI.", 4),
            (
                "security",
                "Réversibilité des données",
                "Récupération des journaux en fin de contrat.",
                3,
            ),
        ],
        "solutions": [
            ("Veille Nocturne", "Phare Cyberdéfense", "saas"),
            ("Guet Santé", "Guet Services", "hybrid"),
            ("Tour de Garde", "Mirador SOC", "saas"),
        ],
    },
    {
        "slug": "plateforme-sensibilisation",
        "title": "Plateforme de sensibilisation",
        "intro": "Former tous les personnels et simuler des campagnes d'hameçonnage.",
        "criteria": [
            (
                "functional",
                "Contenus adaptés au soin",
                "Scénarios hospitaliers et médico-sociaux.",
                4,
            ),
            (
                "functional",
                "Simulations d'hameçonnage",
                "Modèles en français, suivi par service.",
                4,
            ),
            ("security", "Données des agents", "Minimisation, hébergement en France.", 4),
            (
                "security",
                "Pseudonymisation des résultats",
                "Résultats non nominatifs par défaut.",
                3,
            ),
        ],
        "solutions": [
            ("Éveil Cyber", "Lucarne Formation", "saas"),
            ("Réflexes Soignants", "Campus Prudence", "saas"),
            ("Hameçon Simulé", "Appât Éducatif", "saas"),
        ],
    },
    {
        "slug": "securite-teleconsultation",
        "title": "Sécurité de la téléconsultation",
        "intro": "Des consultations à distance confidentielles, pour les patients et les soignants.",
        "criteria": [
            ("functional", "Parcours patient", "Accès sans compte, salle d'attente, mobile.", 4),
            ("functional", "Intégration au DPI", "Agenda, compte rendu, facturation.", 3),
            ("security", "Chiffrement de bout en bout", "Flux audio et vidéo, partage d'écran.", 5),
            ("security", "Authentification des professionnels", "Pro Santé Connect, CPS.", 4),
        ],
        "solutions": [
            ("Visio Soin", "Lien Santé", "saas"),
            ("Cabinet Distant", "Distancia Médical", "saas"),
            ("Télé-Écoute", "Aurore Télésanté", "hybrid"),
        ],
    },
]

CHANNEL_SETS = [("ugap", "caih"), ("resah",), ("uniha", "caih"), (), ("ugap",), ("resah", "uniha")]
PRICE_TEXTS = {
    "small": "à partir de {low} € par mois",
    "medium": "{low} à {high} € par mois",
    "large": "{high} à {top} € par mois",
    "very_large": "sur devis (environ {top} € par mois)",
}

PROS = [
    "Déploiement rapide, la console est claire et les alertes sont compréhensibles.",
    "Le support répond en français et connaît les contraintes des établissements de santé.",
    "Bonne couverture fonctionnelle, les restaurations testées ont toutes abouti.",
    "Tarifs lisibles via la centrale d'achat, pas de mauvaise surprise à l'usage.",
    "L'équipe a été formée en une journée, l'outil est adopté par les agents.",
    "Intégration simple avec notre annuaire et nos applications métier.",
]
CONS = [
    "Documentation partiellement en anglais.",
    "Le coût augmente vite avec le nombre de postes.",
    "Quelques faux positifs au démarrage, à régler avec l'éditeur.",
    "Les rapports demandent des retraitements pour la direction.",
    "Les mises à jour majeures imposent une fenêtre de maintenance.",
    "Le support de niveau 2 est lent à répondre hors heures ouvrées.",
]
