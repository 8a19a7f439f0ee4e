# ruff: noqa: E501 (French sentences of the demo content)
"""The demo question banks: (category, kind, question, [(answer, correct, feedback)], explanation).

Kinds: "single" (one right answer), "multiple" (several), "true_false"."""

V, F = "Vrai", "Faux"


def tf(category, text, true, explanation):
    return (
        category,
        "true_false",
        text,
        [(V, true, "Exact." if true else "Non."), (F, not true, "Exact." if not true else "Non.")],
        explanation,
    )


BANKS = {
    "Sensibilisation — bases": [
        tf(
            "bases",
            "La majorité des cyberattaques commence par un courriel.",
            True,
            "Environ 90 % des attaques passent par la messagerie.",
        ),
        tf(
            "bases",
            "Un antivirus suffit à protéger un établissement.",
            False,
            "Il faut aussi des sauvegardes, des mises à jour et des utilisateurs vigilants.",
        ),
        tf(
            "bases",
            "Je peux prêter mon badge ou ma carte CPS à un collègue de confiance.",
            False,
            "Les moyens d'authentification sont personnels : chaque action est tracée à votre nom.",
        ),
        (
            "bases",
            "single",
            "Vous trouvez une clé USB dans le parking. Que faites-vous ?",
            [
                ("Je la remets au service informatique sans la brancher", True, "Bon réflexe."),
                (
                    "Je la branche pour retrouver son propriétaire",
                    False,
                    "Une clé piégée peut infecter le poste.",
                ),
                ("Je la garde pour moi", False, "Elle peut contenir des données de santé."),
            ],
            "Une clé inconnue ne se branche jamais sur un poste de l'établissement.",
        ),
        (
            "bases",
            "single",
            "Vous quittez votre poste pour 5 minutes. Vous :",
            [
                ("Verrouillez la session (Windows + L)", True, "Oui."),
                (
                    "Laissez la session ouverte, vous revenez vite",
                    False,
                    "Quelqu'un peut agir en votre nom.",
                ),
                ("Éteignez l'écran seulement", False, "La session reste ouverte."),
            ],
            "Verrouiller sa session est un réflexe à chaque absence.",
        ),
        (
            "bases",
            "multiple",
            "Quels signes peuvent indiquer qu'un poste est infecté ?",
            [
                (
                    "Des fichiers renommés avec une extension inconnue",
                    True,
                    "Signe de rançongiciel.",
                ),
                ("Un message demandant une rançon", True, "Signe évident."),
                ("Une lenteur inhabituelle et soudaine", True, "Possible signe d'infection."),
                ("Un fond d'écran choisi par vous", False, "Rien d'anormal."),
            ],
            "En cas de doute, débranchez le câble réseau et prévenez le support.",
        ),
        (
            "bases",
            "single",
            "Qui prévenir en premier en cas de doute sur un incident ?",
            [
                (
                    "Le support informatique ou le RSSI de l'établissement",
                    True,
                    "Oui, sans attendre.",
                ),
                ("Personne, pour ne pas déranger", False, "Un retard aggrave l'incident."),
                ("Les réseaux sociaux", False, "Jamais."),
            ],
            "Mieux vaut une fausse alerte qu'un incident découvert trop tard.",
        ),
        tf(
            "bases",
            "Les mises à jour proposées par le service informatique peuvent être repoussées indéfiniment.",
            False,
            "Les mises à jour corrigent des failles exploitées par les attaquants.",
        ),
        tf(
            "bases",
            "Une cyberattaque peut retarder la prise en charge des patients.",
            True,
            "Des établissements ont dû fonctionner en mode dégradé pendant des semaines.",
        ),
        (
            "bases",
            "single",
            "Où enregistrer un document de travail contenant des données patients ?",
            [
                (
                    "Sur l'espace réseau prévu par l'établissement",
                    True,
                    "Il est sauvegardé et protégé.",
                ),
                ("Sur ma messagerie personnelle", False, "Fuite de données de santé."),
                ("Sur une clé USB personnelle", False, "Perte ou vol possible."),
            ],
            "Les données de santé restent dans les outils de l'établissement.",
        ),
        tf(
            "bases",
            "Parler d'un incident de sécurité à son responsable, c'est risquer une sanction.",
            False,
            "Signaler vite est attendu et protège l'établissement.",
        ),
        (
            "bases",
            "single",
            "Un appel se présente comme « le support Microsoft » et demande la prise en main de votre poste :",
            [
                ("Je raccroche et je préviens le support interne", True, "Bon réflexe."),
                ("J'accepte, c'est Microsoft", False, "Arnaque classique au faux support."),
                ("Je donne mon mot de passe pour aller plus vite", False, "Jamais."),
            ],
            "Le support ne vous appelle pas spontanément pour prendre la main.",
        ),
    ],
    "Hameçonnage": [
        tf(
            "hameconnage",
            "Un courriel qui affiche le nom d'un collègue vient forcément de lui.",
            False,
            "Le nom affiché se falsifie facilement : vérifiez l'adresse réelle.",
        ),
        (
            "hameconnage",
            "multiple",
            "Quels indices doivent vous alerter dans un courriel ?",
            [
                ("Une urgence inhabituelle", True, "L'urgence empêche de réfléchir."),
                ("Une adresse d'expéditeur qui ne correspond pas", True, "Indice fort."),
                ("Un lien dont l'adresse réelle diffère du texte", True, "Survolez le lien."),
                ("Une signature habituelle de votre service", False, "Pas un indice en soi."),
            ],
            "Plusieurs indices faibles réunis valent une alerte.",
        ),
        (
            "hameconnage",
            "single",
            "Vous avez cliqué sur un lien suspect et saisi votre mot de passe :",
            [
                ("Je change mon mot de passe et préviens le support tout de suite", True, "Oui."),
                (
                    "J'attends de voir s'il se passe quelque chose",
                    False,
                    "Le compte peut être utilisé dans l'heure.",
                ),
                ("Je supprime le courriel et n'en parle pas", False, "Le support doit savoir."),
            ],
            "Le signalement rapide limite l'usage du compte volé.",
        ),
        (
            "hameconnage",
            "single",
            "Le « fournisseur » demande par courriel de changer son RIB pour le prochain paiement :",
            [
                (
                    "Je vérifie par téléphone au numéro habituel, pas celui du courriel",
                    True,
                    "Oui : contre-appel.",
                ),
                ("Je mets à jour le RIB, c'est urgent", False, "Fraude au faux ordre de virement."),
                ("Je réponds au courriel pour confirmer", False, "Vous répondez à l'escroc."),
            ],
            "Le changement de RIB est le scénario type de la FOVI.",
        ),
        tf(
            "hameconnage",
            "Une pièce jointe .zip envoyée par un inconnu peut être ouverte si l'antivirus est à jour.",
            False,
            "Les archives servent souvent à contourner les filtres.",
        ),
        (
            "hameconnage",
            "single",
            "Comment signaler un courriel d'hameçonnage ?",
            [
                ("Avec le bouton ou l'adresse de signalement de l'établissement", True, "Oui."),
                (
                    "En le transférant à tous mes collègues pour les prévenir",
                    False,
                    "Vous diffusez le piège.",
                ),
                ("En répondant à l'expéditeur", False, "Jamais."),
            ],
            "Le signalement permet de bloquer le courriel pour tous.",
        ),
        tf(
            "hameconnage",
            "Le directeur peut vous demander par courriel un virement confidentiel en urgence.",
            False,
            "C'est le scénario de la fraude au président : vérifiez toujours par un autre canal.",
        ),
        (
            "hameconnage",
            "multiple",
            "Quels canaux un attaquant utilise-t-il pour hameçonner ?",
            [
                ("Le courriel", True, ""),
                ("Le SMS", True, "On parle de smishing."),
                ("Le téléphone", True, "On parle de vishing."),
                ("Le courrier papier recommandé", False, "Rare."),
            ],
            "L'hameçonnage ne se limite pas au courriel.",
        ),
        (
            "hameconnage",
            "single",
            "Un lien « https:// » avec un cadenas garantit que le site est légitime :",
            [
                (
                    "Non, le cadenas chiffre la connexion mais ne garantit pas l'identité",
                    True,
                    "Exact.",
                ),
                ("Oui, toujours", False, "Les sites piégés ont aussi un cadenas."),
            ],
            "Vérifiez le nom de domaine, pas seulement le cadenas.",
        ),
        tf(
            "hameconnage",
            "Un courriel sur un thème d'actualité (vaccin, prime) est une technique d'hameçonnage fréquente.",
            True,
            "Les escrocs ont exploité le COVID-19 et les primes.",
        ),
        (
            "hameconnage",
            "single",
            "Un collègue reçoit le même courriel suspect que vous. Le meilleur réflexe :",
            [
                ("Le signaler une fois au support, qui bloquera pour tous", True, "Oui."),
                ("Ouvrir la pièce jointe pour vérifier", False, "Non."),
            ],
            "Un seul signalement suffit à protéger tout le monde.",
        ),
        tf(
            "hameconnage",
            "Survoler un lien sans cliquer permet de voir sa vraie adresse.",
            True,
            "Sur mobile, un appui long affiche l'adresse.",
        ),
    ],
    "Mots de passe et MFA": [
        tf(
            "mots-de-passe",
            "Une phrase de passe longue est plus solide qu'un mot court complexe.",
            True,
            "La longueur compte plus que la complexité.",
        ),
        tf(
            "mots-de-passe",
            "Réutiliser le même mot de passe partout est acceptable s'il est long.",
            False,
            "Une fuite sur un site expose tous les comptes.",
        ),
        (
            "mots-de-passe",
            "single",
            "Où conserver ses mots de passe ?",
            [
                ("Dans le gestionnaire de mots de passe validé par l'établissement", True, "Oui."),
                ("Sur un post-it sous le clavier", False, "Classique et dangereux."),
                (
                    "Dans un fichier « motsdepasse.xlsx »",
                    False,
                    "Premier fichier cherché par un attaquant.",
                ),
            ],
            "Un gestionnaire chiffre et génère des mots de passe uniques.",
        ),
        (
            "mfa",
            "single",
            "Qu'est-ce que la double authentification (MFA) ?",
            [
                (
                    "Prouver son identité avec deux facteurs différents",
                    True,
                    "Oui : savoir + posséder.",
                ),
                ("Saisir deux fois le même mot de passe", False, "Non."),
                ("Avoir deux comptes", False, "Non."),
            ],
            "Un mot de passe volé ne suffit plus à l'attaquant.",
        ),
        (
            "mfa",
            "single",
            "Vous recevez une demande de validation MFA que vous n'avez pas lancée :",
            [
                (
                    "Je refuse et je préviens le support : mon mot de passe est sans doute connu",
                    True,
                    "Oui.",
                ),
                ("J'accepte pour qu'elle cesse", False, "Vous ouvrez la porte à l'attaquant."),
            ],
            "La « fatigue MFA » est une technique d'attaque connue.",
        ),
        tf(
            "mfa",
            "Un code MFA reçu par SMS peut être communiqué au support s'il le demande.",
            False,
            "Personne ne doit vous demander un code à usage unique.",
        ),
        (
            "mots-de-passe",
            "multiple",
            "Qu'est-ce qui rend un mot de passe faible ?",
            [
                ("Le nom de l'établissement suivi de l'année", True, "Deviné en quelques essais."),
                ("Une date de naissance", True, "Trouvable sur les réseaux sociaux."),
                ("Quatre mots au hasard", False, "C'est une bonne méthode."),
            ],
            "Évitez tout ce qui se devine à partir de votre contexte.",
        ),
        tf(
            "mots-de-passe",
            "Il faut changer son mot de passe immédiatement s'il a pu être vu ou volé.",
            True,
            "Et prévenir le support.",
        ),
        (
            "mfa",
            "single",
            "Quels comptes protéger en priorité par MFA ?",
            [
                (
                    "Messagerie, accès à distance et comptes administrateurs",
                    True,
                    "Les plus ciblés.",
                ),
                ("Uniquement le compte du directeur", False, "Tous les accès exposés comptent."),
            ],
            "Les accès à distance compromis sont une cause fréquente d'incident.",
        ),
        tf(
            "mfa",
            "Une clé de sécurité ou une passkey résiste mieux à l'hameçonnage qu'un code SMS.",
            True,
            "Elle vérifie le site auquel elle se connecte.",
        ),
        (
            "mots-de-passe",
            "single",
            "Un collègue vous demande votre mot de passe pour finir une tâche :",
            [
                (
                    "Je refuse et l'oriente vers le support pour obtenir ses propres accès",
                    True,
                    "Oui.",
                ),
                ("Je le lui donne, c'est un collègue", False, "Vos accès sont nominatifs."),
            ],
            "Chaque action est tracée au nom du titulaire du compte.",
        ),
        tf(
            "mots-de-passe",
            "Un mot de passe de 8 caractères suffit pour un compte administrateur.",
            False,
            "Les comptes à privilèges demandent au moins 15 caractères et le MFA.",
        ),
    ],
    "Gestion de crise (RSSI)": [
        (
            "crise",
            "single",
            "Premier geste face à un rançongiciel en cours :",
            [
                (
                    "Isoler les systèmes touchés du réseau sans les éteindre",
                    True,
                    "Préserve les traces.",
                ),
                ("Éteindre tous les serveurs", False, "Perte de preuves en mémoire."),
                ("Payer la rançon", False, "Déconseillé par les autorités."),
            ],
            "Isoler, puis qualifier, puis alerter.",
        ),
        (
            "crise",
            "multiple",
            "Qui alerter lors d'un incident grave dans un établissement de santé ?",
            [
                ("Le CERT Santé (déclaration obligatoire)", True, "Oui."),
                ("L'ARS", True, "Oui."),
                ("Les forces de l'ordre pour un dépôt de plainte", True, "Oui."),
                ("Un forum public", False, "Non."),
            ],
            "Le signalement au CERT Santé est obligatoire pour les établissements de santé.",
        ),
        tf(
            "crise",
            "La cellule de crise doit disposer de moyens de communication hors du système d'information.",
            True,
            "Annuaires papier, téléphones, messagerie de secours.",
        ),
        (
            "crise",
            "single",
            "À quoi sert le plan de continuité d'activité (PCA) ?",
            [
                (
                    "Maintenir les soins en mode dégradé pendant l'indisponibilité du SI",
                    True,
                    "Oui.",
                ),
                ("Restaurer les sauvegardes", False, "C'est le PRA."),
                ("Former les utilisateurs", False, "Non."),
            ],
            "PCA : continuer ; PRA : reprendre.",
        ),
        tf(
            "crise",
            "Les sauvegardes hors ligne sont inutiles si les sauvegardes sont répliquées sur un second site.",
            False,
            "Un rançongiciel chiffre aussi les copies joignables par le réseau.",
        ),
        (
            "crise",
            "single",
            "Quelle pièce tenir à jour dès le début de la crise ?",
            [
                ("Une main courante horodatée des faits et décisions", True, "Indispensable."),
                ("Le rapport annuel", False, "Non."),
            ],
            "La main courante sert à la coordination, à l'assurance et à la plainte.",
        ),
        (
            "crise",
            "multiple",
            "Quels éléments préparer avant une crise ?",
            [
                ("Fiches réflexes par métier", True, ""),
                ("Annuaire de crise hors SI", True, ""),
                ("Exercice annuel", True, ""),
                ("Communiqué déjà publié", False, "Il se prépare, il ne se publie pas."),
            ],
            "Une crise se prépare à froid.",
        ),
        tf(
            "crise",
            "L'ACSS (Accompagnement Cybersécurité des Structures de Santé) peut appuyer l'établissement lors d'un incident.",
            True,
            "La cellule nationale accompagne les structures touchées.",
        ),
        (
            "crise",
            "single",
            "Quand restaurer les systèmes ?",
            [
                (
                    "Après avoir identifié et éradiqué le mode d'entrée de l'attaquant",
                    True,
                    "Sinon il revient.",
                ),
                ("Immédiatement, pour rétablir les soins", False, "Risque de réinfection."),
            ],
            "Restaurer trop tôt réexpose l'établissement.",
        ),
        tf(
            "crise",
            "Il faut prévoir la communication vers les patients et le personnel dans le plan de crise.",
            True,
            "La communication fait partie de la gestion de crise.",
        ),
        (
            "crise",
            "single",
            "Un prestataire de télémaintenance est compromis :",
            [
                ("Couper son accès distant et vérifier les connexions récentes", True, "Oui."),
                ("Attendre son diagnostic", False, "L'accès reste ouvert à l'attaquant."),
            ],
            "Les accès tiers sont une porte d'entrée fréquente.",
        ),
        tf(
            "crise",
            "Un exercice de crise doit associer la direction et les équipes de soins.",
            True,
            "La crise cyber est d'abord une crise de l'établissement.",
        ),
    ],
    "Piloter la cybersécurité (direction)": [
        tf(
            "pilotage",
            "La cybersécurité relève uniquement du service informatique.",
            False,
            "Elle engage la direction : continuité des soins, responsabilité, budget.",
        ),
        (
            "pilotage",
            "single",
            "Quel coût une cyberattaque peut-elle représenter pour un établissement ?",
            [
                (
                    "Jusqu'à 700 k€ et plusieurs semaines de perturbation",
                    True,
                    "Ordre de grandeur observé.",
                ),
                ("Quelques centaines d'euros", False, "Très sous-estimé."),
            ],
            "Le coût inclut le mode dégradé, la reconstruction et les pertes de recettes.",
        ),
        (
            "pilotage",
            "multiple",
            "Quels indicateurs un directeur peut-il suivre ?",
            [
                ("Taux de personnels formés", True, ""),
                ("Taux de postes à jour", True, ""),
                ("Date du dernier test de restauration", True, ""),
                ("Nombre de fonds d'écran", False, ""),
            ],
            "Quelques indicateurs simples suffisent à piloter.",
        ),
        tf(
            "pilotage",
            "Un exercice de crise annuel fait partie des bonnes pratiques.",
            True,
            "Il révèle les manques du plan avant l'incident réel.",
        ),
        (
            "pilotage",
            "single",
            "Qui désigner pour porter la sécurité des SI dans l'établissement ?",
            [
                ("Un RSSI ou un référent, avec un mandat de la direction", True, "Oui."),
                (
                    "Personne, le prestataire s'en charge",
                    False,
                    "La responsabilité reste à l'établissement.",
                ),
            ],
            "Le mandat de la direction donne au RSSI les moyens d'agir.",
        ),
        tf(
            "pilotage",
            "Les contrats avec les éditeurs doivent prévoir des clauses de sécurité.",
            True,
            "Notification d'incident, accès distants, hébergement des données de santé.",
        ),
        (
            "pilotage",
            "single",
            "Un directeur reçoit une demande de virement urgente et confidentielle de la tutelle :",
            [
                ("Il vérifie par un canal connu avant toute action", True, "Oui."),
                ("Il exécute, la tutelle est prioritaire", False, "Fraude au président."),
            ],
            "Les directions sont les premières cibles de la FOVI.",
        ),
        tf(
            "pilotage",
            "Former tous les personnels réduit le risque le plus fréquent.",
            True,
            "La plupart des attaques reposent sur une erreur humaine.",
        ),
        (
            "pilotage",
            "multiple",
            "Quels financements ou appuis régionaux peuvent aider ?",
            [
                ("Les programmes nationaux et l'ARS", True, ""),
                ("Le GCS e-santé", True, ""),
                (
                    "Les prestataires de sensibilisation gratuits non vérifiés",
                    False,
                    "Vérifiez toujours.",
                ),
            ],
            "L'ARS et le GCS accompagnent les établissements de la région.",
        ),
        tf(
            "pilotage",
            "La direction doit connaître la durée maximale d'interruption tolérable de chaque activité.",
            True,
            "Elle fonde les priorités du PCA.",
        ),
        (
            "pilotage",
            "single",
            "À quelle fréquence vérifier que les sauvegardes se restaurent ?",
            [
                ("Régulièrement, au moins une fois par an, avec un test réel", True, "Oui."),
                (
                    "Jamais, tant qu'elles s'exécutent",
                    False,
                    "Une sauvegarde non testée est un pari.",
                ),
            ],
            "Le test de restauration est le seul indicateur fiable.",
        ),
        tf(
            "pilotage",
            "Le directeur peut consulter sur le portail le taux de formation de son établissement.",
            True,
            "Le rapport de formation est réservé au directeur et au RSSI de l'établissement.",
        ),
    ],
}
