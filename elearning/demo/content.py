# ruff: noqa: E501 (French sentences of the demo content)
"""The demo courses, in French: awareness for all staff, phishing, passwords and MFA, an RSSI
crisis-management path, steering cybersecurity for directors, and an interactive SCORM module."""

from elearning.demo import video as demo_video
from portal.access import AccessLevel, Role

INDEX = {
    "title": "Formations",
    "slug": "formations",
    "intro": (
        "<p>Des formations courtes pour tous les personnels et des parcours pour les équipes "
        "sécurité et les directions. Chaque formation réussie donne une attestation à "
        "renouveler chaque année.</p>"
    ),
}


def p(*paragraphs):
    return {"type": "paragraph", "value": "".join(f"<p>{text}</p>" for text in paragraphs)}


def callout(title, text):
    return {"type": "callout", "value": {"title": title, "text": f"<p>{text}</p>"}}


def check(question, answer):
    return {"type": "self_check", "value": {"question": question, "answer": f"<p>{answer}</p>"}}


def heading(text):
    return {"type": "heading", "value": text}


def video():
    """The demo's narrated video, a static file of the portal (the loader makes its link
    absolute), with its narration as the transcript."""
    return {
        "type": "video",
        "value": {
            "title": demo_video.TITLE,
            "url": demo_video.STATIC_PATH,
            "duration": demo_video.DURATION,
            "transcript": demo_video.transcript_html(),
        },
    }


ALL_STAFF = {Role.CAREGIVER, Role.ADMIN_AGENT, Role.DIRECTOR, Role.RSSI, Role.DSI, Role.DPO}

COURSES = [
    {
        "title": "Sensibilisation à la cybersécurité pour tous les personnels",
        "slug": "sensibilisation-tous-personnels",
        "summary": (
            "Vingt minutes pour comprendre pourquoi un établissement de santé est visé et "
            "adopter les bons réflexes au quotidien."
        ),
        "audience": ALL_STAFF,
        "duration_minutes": 20,
        "level": "beginner",
        "objectives": (
            "<ul><li>Comprendre les conséquences d'une cyberattaque sur les soins</li>"
            "<li>Reconnaître les situations à risque</li><li>Savoir qui alerter</li></ul>"
        ),
        "prerequisites": "<p>Aucun.</p>",
        "certificate_validity_months": 12,
        "access_level": AccessLevel.PUBLIC,
        "lessons": [
            {
                "title": "Pourquoi les hôpitaux sont ciblés",
                "slug": "pourquoi-cibles",
                "minutes": 6,
                "intro": "Les données de santé valent cher et l'arrêt des soins met la pression.",
                "body": [
                    p(
                        "Un établissement touché par un rançongiciel peut fonctionner en mode "
                        "dégradé pendant des semaines : dossiers papier, examens reportés, "
                        "paie et facturation à l'arrêt.",
                        "Le coût d'une cyberattaque peut atteindre 700 k€ pour un établissement.",
                    ),
                    callout("À retenir", "90 % des attaques commencent par un courriel."),
                    check(
                        "Citez deux activités de l'établissement touchées par une cyberattaque.",
                        "La prise en charge des patients, la paie, la facturation, les examens.",
                    ),
                ],
            },
            {
                "title": "Les bons réflexes au quotidien",
                "slug": "bons-reflexes",
                "minutes": 8,
                "intro": "Verrouiller sa session, se méfier des clés USB, signaler sans attendre.",
                "body": [
                    heading("Au poste de travail"),
                    p(
                        "Verrouillez votre session à chaque absence (touches Windows + L). "
                        "Ne branchez jamais une clé USB trouvée ou offerte.",
                        "Les mises à jour proposées par le service informatique protègent votre "
                        "poste : ne les repoussez pas.",
                    ),
                    heading("Les moyens d'accès sont personnels"),
                    p("Votre mot de passe, votre badge et votre carte CPS ne se prêtent pas."),
                    check(
                        "Un collègue veut utiliser votre session pour aller plus vite. "
                        "Que répondez-vous ?",
                        "Non : chaque action est tracée au nom du titulaire de la session.",
                    ),
                ],
            },
            {
                "title": "Signaler un incident",
                "slug": "signaler",
                "minutes": 6,
                "intro": "Mieux vaut une fausse alerte qu'un incident découvert trop tard.",
                "body": [
                    p(
                        "Au moindre doute (message de rançon, fichiers renommés, lenteur "
                        "soudaine), débranchez le câble réseau sans éteindre le poste et "
                        "prévenez le support informatique ou le RSSI.",
                    ),
                    callout(
                        "Numéro utile",
                        "Affichez près de votre poste le numéro du support informatique.",
                    ),
                ],
            },
        ],
        "quiz": {
            "title": "Quiz final — sensibilisation",
            "slug": "quiz",
            "intro": "Huit questions tirées au hasard. Il faut 75 % de bonnes réponses.",
            "pass_mark": 75,
            "max_attempts": 3,
            "cooldown_minutes": 10,
            "draws": [("Sensibilisation — bases", "bases", 8)],
        },
    },
    {
        "title": "Déjouer l'hameçonnage",
        "slug": "dejouer-hameconnage",
        "summary": "Repérer un courriel piégé, réagir après un clic, éviter la fraude au président.",
        "audience": ALL_STAFF,
        "duration_minutes": 25,
        "level": "beginner",
        "objectives": (
            "<ul><li>Repérer les indices d'un courriel piégé</li>"
            "<li>Réagir après un clic</li><li>Déjouer la fraude au faux ordre de virement</li></ul>"
        ),
        "prerequisites": "<p>Avoir suivi la sensibilisation pour tous les personnels.</p>",
        "certificate_validity_months": 12,
        "access_level": AccessLevel.PUBLIC,
        "lessons": [
            {
                "title": "Reconnaître un courriel piégé",
                "slug": "reconnaitre",
                "minutes": 10,
                "intro": "Urgence, expéditeur douteux, lien trompeur : les indices qui alertent.",
                "body": [
                    video(),
                    p(
                        "Le nom affiché d'un expéditeur se falsifie facilement : vérifiez "
                        "l'adresse réelle. Survolez les liens sans cliquer pour voir leur "
                        "destination.",
                        "Les escrocs exploitent l'actualité : vaccins, primes, colis.",
                    ),
                    check(
                        "Un lien affiché « intranet.chu.fr » mène à « chu-fr.login.example ». "
                        "Est-ce normal ?",
                        "Non : le domaine réel n'est pas celui de l'établissement.",
                    ),
                ],
            },
            {
                "title": "Fraude au président et faux RIB",
                "slug": "fraude-president",
                "minutes": 8,
                "intro": "Un virement urgent et confidentiel ? Contre-appelez.",
                "body": [
                    p(
                        "La fraude au faux ordre de virement (FOVI) repose sur l'urgence et le "
                        "secret. Vérifiez toujours une demande de virement ou de changement de "
                        "RIB par un appel au numéro habituel.",
                    ),
                    callout("Réflexe", "Contre-appel au numéro connu, jamais celui du courriel."),
                ],
            },
        ],
        "quiz": {
            "title": "Quiz final — hameçonnage",
            "slug": "quiz",
            "pass_mark": 80,
            "max_attempts": 3,
            "draws": [("Hameçonnage", "hameconnage", 8)],
        },
    },
    {
        "title": "Mots de passe et double authentification",
        "slug": "mots-de-passe-mfa",
        "summary": "Des phrases de passe solides, un gestionnaire, et la MFA partout où c'est possible.",
        "audience": ALL_STAFF,
        "duration_minutes": 30,
        "level": "beginner",
        "objectives": (
            "<ul><li>Créer une phrase de passe</li><li>Utiliser un gestionnaire</li>"
            "<li>Comprendre la double authentification</li></ul>"
        ),
        "certificate_validity_months": 12,
        "access_level": AccessLevel.MEMBERS,
        "lessons": [
            {
                "title": "Des phrases de passe solides",
                "slug": "phrases-de-passe",
                "minutes": 10,
                "body": [
                    p(
                        "La longueur compte plus que la complexité : quatre mots choisis au "
                        "hasard font une phrase de passe solide et facile à retenir.",
                        "Un mot de passe par compte : une fuite ne doit exposer qu'un compte.",
                    ),
                    check(
                        "Que faire si votre mot de passe a pu être vu ?",
                        "Le changer et prévenir le support.",
                    ),
                ],
            },
            {
                "title": "La double authentification (MFA)",
                "slug": "mfa",
                "minutes": 10,
                "body": [
                    p(
                        "La MFA ajoute un second facteur (application, clé de sécurité) : un "
                        "mot de passe volé ne suffit plus.",
                        "Refusez toute demande de validation que vous n'avez pas lancée et "
                        "prévenez le support.",
                    )
                ],
            },
        ],
        "quiz": {
            "title": "Quiz final — mots de passe et MFA",
            "slug": "quiz",
            "pass_mark": 80,
            "max_attempts": 0,
            "draws": [
                ("Mots de passe et MFA", "mots-de-passe", 5),
                ("Mots de passe et MFA", "mfa", 3),
            ],
        },
    },
    {
        "title": "Parcours RSSI : gérer une crise cyber",
        "slug": "parcours-rssi-crise",
        "summary": "Isoler, qualifier, alerter, tenir la main courante, préparer la reprise.",
        "audience": {Role.RSSI, Role.DSI},
        "duration_minutes": 150,
        "level": "advanced",
        "objectives": (
            "<ul><li>Conduire les premières heures d'une crise</li>"
            "<li>Savoir qui alerter (CERT Santé, ARS, ACSS)</li>"
            "<li>Articuler PCA et PRA</li></ul>"
        ),
        "prerequisites": "<p>Connaître l'architecture du SI de l'établissement.</p>",
        "certificate_validity_months": 24,
        "access_level": AccessLevel.ROLES,
        "allowed_roles": {Role.RSSI, Role.DSI},
        "lessons": [
            {
                "title": "Les premières heures",
                "slug": "premieres-heures",
                "minutes": 45,
                "body": [
                    p(
                        "Isoler les systèmes touchés sans les éteindre, qualifier l'incident, "
                        "réunir la cellule de crise avec la direction, ouvrir une main courante "
                        "horodatée.",
                        "Déclarer l'incident au CERT Santé (obligatoire) et prévenir l'ARS ; "
                        "l'ACSS peut accompagner l'établissement.",
                    ),
                    callout(
                        "À préparer à froid",
                        "Annuaire de crise hors SI, fiches réflexes, exercice annuel.",
                    ),
                ],
            },
            {
                "title": "Continuité et reprise",
                "slug": "continuite-reprise",
                "minutes": 60,
                "body": [
                    p(
                        "Le PCA maintient les soins en mode dégradé ; le PRA organise la reprise. "
                        "Ne restaurez qu'après avoir fermé la porte d'entrée de l'attaquant.",
                        "Les sauvegardes hors ligne sont la dernière ligne de défense.",
                    )
                ],
            },
        ],
        "quiz": {
            "title": "Quiz final — gestion de crise",
            "slug": "quiz",
            "pass_mark": 80,
            "max_attempts": 3,
            "cooldown_minutes": 60,
            "time_limit_minutes": 20,
            "draws": [("Gestion de crise (RSSI)", "crise", 10)],
        },
    },
    {
        "title": "Piloter la cybersécurité de son établissement",
        "slug": "piloter-cybersecurite",
        "summary": "Ce qu'une direction doit savoir, décider et suivre.",
        "audience": {Role.DIRECTOR},
        "duration_minutes": 60,
        "level": "intermediate",
        "objectives": (
            "<ul><li>Mesurer le risque et son coût</li><li>Donner un mandat au RSSI</li>"
            "<li>Suivre quelques indicateurs</li></ul>"
        ),
        "certificate_validity_months": 12,
        "access_level": AccessLevel.ROLES,
        "allowed_roles": {Role.DIRECTOR, Role.RSSI, Role.DSI},
        "lessons": [
            {
                "title": "Le risque cyber pour une direction",
                "slug": "risque-direction",
                "minutes": 20,
                "body": [
                    p(
                        "Une cyberattaque peut coûter jusqu'à 700 k€ et désorganiser "
                        "l'établissement pendant des semaines. La cybersécurité engage la "
                        "direction : continuité des soins, responsabilité, budget.",
                    )
                ],
            },
            {
                "title": "Indicateurs et pilotage",
                "slug": "indicateurs",
                "minutes": 25,
                "body": [
                    p(
                        "Taux de personnels formés (visible dans le rapport de formation du "
                        "portail), postes à jour, date du dernier test de restauration, "
                        "exercice de crise annuel.",
                    )
                ],
            },
        ],
        "quiz": {
            "title": "Quiz final — pilotage",
            "slug": "quiz",
            "pass_mark": 75,
            "max_attempts": 3,
            "draws": [("Piloter la cybersécurité (direction)", "pilotage", 8)],
        },
    },
    {
        "title": "Atelier interactif : reconnaître un courriel piégé",
        "slug": "atelier-courriel-piege",
        "summary": "Un module interactif SCORM de cinq minutes : à vous de décider.",
        "audience": ALL_STAFF,
        "duration_minutes": 5,
        "level": "beginner",
        "objectives": "<p>S'entraîner sur un cas concret de courriel piégé.</p>",
        "certificate_validity_months": 12,
        "access_level": AccessLevel.MEMBERS,
        "lessons": [
            {
                "title": "Le module interactif",
                "slug": "module",
                "minutes": 5,
                "intro": "Lisez le courriel et choisissez la bonne réaction.",
                "scorm": True,
            }
        ],
    },
]
