# ruff: noqa: E501 (demo texts)
"""Demo discussions: (forum, subject, question, replies). A reply starting with "✔ " is marked
as the solution; "@role" becomes a mention of the demo member holding that role."""

G, R, D, P, M, A = (
    "Général",
    "RSSI et DSI",
    "Directions",
    "DPO et données personnelles",
    "Médico-social",
    "Annonces",
)

TOPICS = [
    (
        R,
        "Quel EDR avez-vous retenu ?",
        "Nous comparons trois EDR pour 1 200 postes. Retours sur la charge d'exploitation ?",
        [
            "Nous avons pris un EDR managé avec SOC externalisé : l'équipe interne n'aurait pas tenu les alertes de nuit.",
            "✔ Faites un pilote de six semaines sur les postes des urgences et de la radiologie : c'est là que les faux positifs coûtent le plus.",
            "Attention aux postes pilotant des dispositifs médicaux : certains éditeurs interdisent tout agent.",
        ],
    ),
    (
        R,
        "Tester la restauration des sauvegardes : à quelle fréquence ?",
        "Nos sauvegardes sont hors ligne, mais nous ne testons la restauration qu'une fois par an.",
        [
            "✔ Un test mensuel tiré au sort (une VM, une base) et un exercice complet par an, avec chronométrage.",
            "Nous mesurons le temps de restauration du DPI : c'est l'indicateur que la direction comprend.",
        ],
    ),
    (
        R,
        "MFA pour les soignants : comment faire accepter ?",
        "Les soignants refusent le téléphone personnel pour la double authentification.",
        [
            "Badges NFC sur les postes partagés : deux secondes de plus, adoption en un mois.",
            "✔ Commencez par l'accès distant et la messagerie, pas par les postes de soins.",
            "@dsi vous aviez chiffré les clés FIDO2 l'an dernier ?",
            "Oui, environ 25 € la clé, prévoir 10 % de pertes par an.",
        ],
    ),
    (
        R,
        "Segmentation réseau des dispositifs biomédicaux",
        "Par où commencer quand l'inventaire biomédical est incomplet ?",
        [
            "Par l'inventaire passif : une sonde en écoute sur le cœur de réseau pendant un mois.",
            "Travaillez avec l'ingénieur biomédical dès le départ, sinon les VLAN seront contournés.",
        ],
    ),
    (
        R,
        "Alerte sur un VPN SSL : vos délais de correctif ?",
        "Le bulletin du CERT Santé demande un correctif sous 48 h.",
        [
            "Nous avons une procédure d'urgence validée par la direction : coupure de l'accès si pas de correctif.",
            "✔ Gardez un second accès distant de secours, éteint, prêt à basculer.",
        ],
    ),
    (
        R,
        "Comptes à privilèges : coffre-fort ou pas ?",
        "Un bastion est-il réaliste pour un CH de 400 lits ?",
        [
            "Oui, en commençant par les comptes des prestataires.",
            "Nous avons commencé par supprimer les comptes administrateur partagés, sans outil.",
        ],
    ),
    (
        R,
        "Exercice de crise cyber : retour d'expérience",
        "Nous organisons notre premier exercice en mars.",
        [
            "Impliquez la cellule de crise hospitalière, pas seulement la DSI.",
            "Prévoyez le mode dégradé papier : c'est ce qui manque le plus le jour J.",
            "Merci, nous ajoutons un inject sur les admissions.",
        ],
    ),
    (
        R,
        "Journalisation : combien de temps conserver ?",
        "Nous hésitons entre 6 mois et 1 an pour les journaux d'authentification.",
        [
            "✔ Un an au minimum : les compromissions sont souvent découvertes tard.",
            "Vérifiez avec votre DPO la base légale et l'information du personnel.",
        ],
    ),
    (
        G,
        "Hameçonnage : vos campagnes de sensibilisation",
        "Combien de campagnes par an faites-vous ?",
        [
            "Quatre, avec un message bienveillant après le clic.",
            "✔ Nous avons ajouté un bouton « signaler » dans la messagerie : les signalements ont triplé.",
            "Pensez aux équipes de nuit pour les sessions en présentiel.",
        ],
    ),
    (
        G,
        "Mot de passe oublié au bloc : quelle procédure ?",
        "Les réinitialisations par téléphone nous inquiètent.",
        [
            "Rappel sur le numéro de l'annuaire interne, jamais sur le numéro donné par l'appelant.",
            "Un code de vérification remis en main propre au cadre de santé.",
        ],
    ),
    (
        G,
        "Clés USB : les interdire ?",
        "Les services en ont besoin pour l'imagerie.",
        [
            "✔ Des clés chiffrées fournies par l'établissement, les autres bloquées.",
            "Une station blanche à l'accueil de l'imagerie.",
        ],
    ),
    (
        G,
        "Escape game Sant'Escape : retours",
        "Nous l'avons fait avec 30 agents, très bon accueil.",
        [
            "Chez nous aussi, 45 minutes c'est le bon format.",
            "Nous l'avons emprunté via le GCS, prévoir la salle une demi-journée.",
        ],
    ),
    (
        G,
        "Messagerie sécurisée de santé : adoption",
        "Comment faire passer les médecins libéraux à la MSS ?",
        [
            "Par les courriers de sortie : dès que le DPI l'envoie, l'usage suit.",
            "✔ Une journée d'accompagnement avec l'URPS nous a beaucoup aidés.",
        ],
    ),
    (
        G,
        "Fraude au président : un cas évité",
        "Un faux ordre de virement a été bloqué par la comptable.",
        [
            "Bravo ! Vous avez une procédure de contre-appel ?",
            "Oui, systématique au-delà de 5 000 €.",
            "@rssi pouvez-vous en faire un REX anonymisé ?",
        ],
    ),
    (
        G,
        "Postes partagés en service : session rapide ?",
        "Les soignants gardent la même session toute la journée.",
        [
            "L'authentification par badge avec bascule rapide de session règle l'essentiel.",
            "Verrouillage automatique à 5 minutes en zone publique.",
        ],
    ),
    (
        G,
        "Télétravail des agents administratifs",
        "Quelles règles minimales pour les postes à domicile ?",
        [
            "✔ Postes de l'établissement uniquement, VPN avec MFA, pas d'impression à domicile.",
            "Ajoutez une charte signée, cela aide en cas d'incident.",
        ],
    ),
    (
        G,
        "Wi-Fi invités et patients",
        "Faut-il séparer le Wi-Fi patients du Wi-Fi invités ?",
        [
            "Oui, et surtout du réseau interne : isolement client activé.",
            "Limitez la bande passante, sinon les plateformes vidéo saturent tout.",
        ],
    ),
    (
        G,
        "Sauvegarde des postes de travail : utile ?",
        "Nos données sont sur les serveurs, mais les agents enregistrent en local.",
        [
            "Redirigez les dossiers Documents vers le serveur.",
            "✔ Une GPO de redirection et une campagne d'information ont suffi chez nous.",
        ],
    ),
    (
        D,
        "Budget cybersécurité : quelle part du budget SI ?",
        "Nous sommes à 4 % du budget SI, est-ce suffisant ?",
        [
            "Les recommandations nationales visent 5 à 10 %.",
            "✔ Présentez-le en coût évité : une attaque peut coûter jusqu'à 700 k€.",
        ],
    ),
    (
        D,
        "Assurance cyber : vos retours",
        "Notre assureur exige le MFA pour renouveler.",
        [
            "Même chose chez nous, et des sauvegardes hors ligne testées.",
            "Les franchises ont beaucoup augmenté, comparez bien.",
        ],
    ),
    (
        D,
        "Communiquer pendant une crise cyber",
        "Qui prend la parole vis-à-vis de la presse ?",
        [
            "La direction générale, avec un message préparé à l'avance avec l'ARS.",
            "Prévoyez un canal hors SI pour joindre les cadres.",
        ],
    ),
    (
        D,
        "Former le comité de direction",
        "Une session de deux heures suffit-elle ?",
        [
            "Un exercice sur table d'une demi-journée marque davantage.",
            "@ars_referent l'ARS propose-t-elle un format ?",
            "Oui, un webinaire régional chaque trimestre.",
        ],
    ),
    (
        P,
        "Violation de données : délai de notification",
        "72 heures, à partir de quand exactement ?",
        [
            "✔ À partir du moment où vous avez connaissance de la violation, pas de la fin de l'enquête.",
            "Notifiez même incomplet, puis complétez.",
        ],
    ),
    (
        P,
        "Registre des traitements : outils",
        "Tableur ou logiciel dédié ?",
        [
            "Tableur au départ, logiciel quand on dépasse 150 traitements.",
            "Le modèle de la CNIL est un bon point de départ.",
        ],
    ),
    (
        P,
        "Consultation du DPI par le personnel : contrôles",
        "Comment détecter les accès injustifiés ?",
        [
            "Des contrôles aléatoires mensuels et sur les patients « célèbres ».",
            "✔ Informez le personnel que les accès sont tracés : l'effet dissuasif est immédiat.",
        ],
    ),
    (
        P,
        "Sous-traitants et clauses RGPD",
        "Vos clauses types pour les éditeurs ?",
        [
            "Le modèle de clauses du GCS est dans la base documentaire.",
            "Exigez la localisation des données et l'hébergement HDS.",
        ],
    ),
    (
        M,
        "EHPAD : sécuriser la tablette des soignants",
        "Une tablette partagée par étage, comment faire ?",
        [
            "Un gestionnaire de flotte mobile et un code par soignant.",
            "✔ Mode kiosque avec seulement les applications utiles.",
        ],
    ),
    (
        M,
        "Pas de DSI dans notre établissement",
        "Nous sommes un IME de 60 places, sans informaticien.",
        [
            "Rapprochez-vous du GHT ou d'un groupement pour mutualiser un RSSI.",
            "Le GCS propose un accompagnement pour les petites structures.",
        ],
    ),
    (
        M,
        "SSIAD : messagerie sur téléphone personnel",
        "Les infirmières utilisent leur téléphone pour les transmissions.",
        [
            "Fournissez un téléphone professionnel, même basique.",
            "Jamais de messagerie grand public pour des données de santé.",
            "@dpo confirmez-vous ?",
            "Oui : c'est une violation potentielle de données de santé.",
        ],
    ),
    (
        M,
        "Prestataire informatique : que lui demander ?",
        "Notre prestataire gère tout, nous ne savons pas ce qu'il fait.",
        [
            "Demandez un rapport trimestriel : correctifs, sauvegardes testées, comptes.",
            "✔ Exigez le MFA sur son accès distant et la traçabilité de ses connexions.",
        ],
    ),
    (
        M,
        "Sauvegardes dans un EHPAD",
        "Un NAS dans le bureau de la direction, est-ce suffisant ?",
        [
            "Non : il serait chiffré avec le reste en cas d'attaque.",
            "Une copie externalisée et une copie hors ligne.",
        ],
    ),
    (
        A,
        "Webinaire régional : sauvegardes et restauration",
        "Le prochain webinaire a lieu le 12 mars à 14 h, inscription sur le portail.",
        [],
    ),
    (
        A,
        "Nouveau kit Via'Escape disponible au prêt",
        "Deux nouveaux kits sont disponibles pour les établissements de la région.",
        [],
    ),
    (
        A,
        "Journée régionale cybersécurité",
        "La journée régionale se tiendra à Lyon en juin : programme bientôt en ligne.",
        [],
    ),
    (
        G,
        "Inventaire du parc : quel outil ?",
        "Nous n'avons pas d'inventaire fiable des postes.",
        [
            "Un outil open source d'inventaire fait très bien l'affaire.",
            "Croisez avec l'annuaire pour trouver les postes fantômes.",
        ],
    ),
    (
        G,
        "Filtrage des courriels : retours",
        "Notre passerelle laisse passer trop d'hameçonnage.",
        [
            "Activez SPF, DKIM et DMARC en mode rejet progressivement.",
            "✔ Le bac à sable des pièces jointes a réduit fortement les incidents chez nous.",
        ],
    ),
    (
        R,
        "Scanner de vulnérabilités : interne ou service ?",
        "Nous hésitons entre un scanner interne et un service managé.",
        [
            "Le scanner ne sert à rien sans quelqu'un pour traiter les résultats.",
            "Commencez par les actifs exposés sur Internet.",
        ],
    ),
    (
        R,
        "Fin de support des serveurs : comment prioriser ?",
        "Il nous reste douze serveurs sans support éditeur.",
        [
            "Isolez-les d'abord, migrez ensuite selon la criticité métier.",
            "✔ Une matrice criticité × exposition, validée en comité de direction.",
        ],
    ),
    (
        G,
        "Charte informatique : la faire signer ?",
        "Faut-il la signature de chaque agent ?",
        [
            "Annexée au règlement intérieur, elle s'impose à tous.",
            "La signature reste utile pour les prestataires.",
        ],
    ),
    (
        G,
        "Téléconsultation : quelles précautions ?",
        "Nous ouvrons la téléconsultation en psychiatrie.",
        [
            "Une solution référencée, jamais une visio grand public.",
            "Vérifiez l'identité du patient au début de chaque séance.",
        ],
    ),
    (
        M,
        "Former les aides-soignants en 30 minutes",
        "Un module court existe-t-il ?",
        [
            "Le parcours de sensibilisation du portail dure 25 minutes.",
            "Nous l'avons fait pendant les transmissions, par petits groupes.",
        ],
    ),
]

# The generic follow-ups added in turn to the longer discussions.
FOLLOW_UPS = [
    "Merci pour ce retour très concret.",
    "Nous avons le même sujet chez nous, je suis la discussion.",
    "Très utile, je partage avec notre équipe.",
    "Pouvez-vous préciser le coût approximatif ?",
]
