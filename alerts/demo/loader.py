"""The alerts' demo step (declared in ``alerts/module.py``, after the accounts and the document
base): the alert index, 16 alerts over every TLP marking and severity with the demo
establishments' acknowledgements (some critical ones overdue), 11 watch items (one flags a
document of the document base) and a filled "Vous êtes attaqué ?" page. Idempotent: an alert is
found again by its reference, a watch item by its slug."""

import datetime

from django.utils import timezone
from django.utils.text import slugify
from wagtail.models import Page

from alerts import services
from alerts.models import (
    Acknowledgement,
    AffectedProduct,
    AlertIndexPage,
    AlertPage,
    AttackResponsePage,
    AttackSheet,
    WatchDocument,
    WatchItemPage,
)
from alerts.workflow import ensure_alerts_workflow
from portal import region
from portal.access import Role, Tlp
from portal.accounts.models import Establishment
from portal.models import HomePage
from search.indexing import reindex

CVSS = {
    "critical": "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H",
    "critical4": "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N",
    "high": "CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:H",
    "high4": "CVSS:4.0/AV:N/AC:L/AT:N/PR:L/UI:N/VC:H/VI:L/VA:N/SC:N/SI:N/SA:N",
    "medium": "CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:U/C:L/I:L/A:N",
    "medium4": "CVSS:4.0/AV:L/AC:L/AT:N/PR:L/UI:N/VC:L/VI:L/VA:N/SC:N/SI:N/SA:N",
    "low": "CVSS:3.1/AV:P/AC:H/PR:H/UI:R/S:U/C:L/I:N/A:N",
    "none": "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:N",
}

# (reference, title, tlp, cvss key or manual severity, days ago, types, families, topics,
#  source, products, summary, actions, status)
ALERTS = [
    (
        "ALERTE-2026-001",
        "Vulnérabilité critique dans les passerelles VPN SSL FortiOS",
        Tlp.CLEAR,
        "critical",
        12,
        {"chu", "ch", "clinic", "espic"},
        {"network"},
        {"vulnerability"},
        "cert_fr",
        [("Fortinet", "FortiOS", "7.0.0 à 7.0.15, 7.2.0 à 7.2.9", "7.2.10")],
        "Une vulnérabilité d'authentification permet à un attaquant non authentifié d'exécuter du "
        "code à distance sur les passerelles VPN SSL exposées sur Internet. Elle est activement "
        "exploitée contre des établissements de santé.",
        "Appliquer la version corrigée sans attendre\n"
        "Désactiver le VPN SSL s'il n'est pas utilisé\n"
        "Rechercher les comptes administrateurs créés récemment",
        "updated",
    ),
    (
        "ALERTE-2026-002",
        "Campagne d'hameçonnage usurpant l'Assurance maladie",
        Tlp.CLEAR,
        "medium",
        9,
        set(),
        {"messaging"},
        {"phishing"},
        "cert_sante",
        [],
        "Des courriels imitant l'Assurance maladie invitent les secrétariats médicaux à « mettre à "
        "jour leurs coordonnées bancaires » sur un faux site.",
        "Prévenir les secrétariats et l'accueil\nBloquer les domaines signalés sur la passerelle "
        "de messagerie",
        "new",
    ),
    (
        "ALERTE-2026-003",
        "Faille dans le serveur d'imagerie PACS exposé",
        Tlp.GREEN,
        "high",
        7,
        {"chu", "ch", "clinic"},
        {"imaging"},
        {"vulnerability"},
        "vendor",
        [("Éditeur d'imagerie", "Serveur PACS", "5.x antérieures à 5.8.2", "5.8.2")],
        "Une injection de commande dans l'interface web d'administration du PACS permet de prendre "
        "la main sur le serveur.",
        "Vérifier que l'interface d'administration n'est pas exposée sur Internet\nInstaller le "
        "correctif de l'éditeur",
        "new",
    ),
    (
        "ALERTE-2026-004",
        "Fraude au faux ordre de virement visant les services économiques",
        Tlp.GREEN,
        "high",
        20,
        set(),
        set(),
        {"fraud"},
        "cert_sante",
        [],
        "Des escrocs se font passer pour un fournisseur de dispositifs médicaux et demandent le "
        "changement de RIB par courrier électronique.",
        "Contre-appeler le fournisseur sur un numéro connu\nAppliquer la double validation des "
        "changements de RIB",
        "closed",
    ),
    (
        "ALERTE-2026-005",
        "Rançongiciel ciblant les hyperviseurs de virtualisation",
        Tlp.AMBER,
        "critical4",
        6,
        {"chu", "ch", "espic"},
        {"virtualisation"},
        {"ransomware"},
        "cert_sante",
        [("VMware", "ESXi", "7.0 et 8.0 non corrigés", "8.0 U3c")],
        "Un groupe d'attaquants chiffre les hyperviseurs d'établissements de santé après avoir "
        "obtenu un accès par des comptes d'administration exposés.",
        "Isoler les interfaces d'administration des hyperviseurs\nVérifier les sauvegardes hors "
        "ligne\nActiver la double authentification des comptes d'administration",
        "new",
    ),
    (
        "ALERTE-2026-006",
        "Compromission d'un éditeur de logiciel de dossier patient",
        Tlp.AMBER,
        "high4",
        4,
        {"chu", "ch", "clinic"},
        {"patient_record"},
        {"supply_chain"},
        "cert_sante",
        [("Éditeur DPI", "Module de télémaintenance", "toutes versions", "")],
        "Les accès de télémaintenance d'un éditeur de dossier patient ont été utilisés pour se "
        "connecter aux serveurs de plusieurs établissements.",
        "Suspendre les accès de télémaintenance de l'éditeur\nRenouveler les mots de passe des "
        "comptes de service",
        "updated",
    ),
    (
        "ALERTE-2026-007",
        "Vulnérabilité du contrôleur de domaine Active Directory",
        Tlp.AMBER,
        "critical",
        15,
        set(),
        {"directory", "os"},
        {"vulnerability"},
        "anssi",
        [("Microsoft", "Windows Server", "2016 à 2022", "correctif cumulatif du mois")],
        "Une élévation de privilèges permet à un utilisateur du domaine d'en devenir "
        "administrateur.",
        "Installer le correctif cumulatif\nSurveiller la création de comptes à privilèges",
        "new",
    ),
    (
        "ALERTE-2026-008",
        "Pompes à perfusion connectées : mot de passe par défaut",
        Tlp.AMBER,
        "medium",
        30,
        {"chu", "ch", "clinic", "espic"},
        {"biomedical"},
        {"vulnerability"},
        "vendor",
        [("Fabricant biomédical", "Station de pompes", "micrologiciel 3.x", "3.4")],
        "Les stations d'accueil des pompes à perfusion conservent un mot de passe d'administration "
        "par défaut.",
        "Changer le mot de passe par défaut\nCloisonner le réseau biomédical",
        "closed",
    ),
    (
        "ALERTE-2026-009",
        "Indicateurs de compromission d'une attaque en cours",
        Tlp.AMBER_STRICT,
        "critical",
        2,
        set(),
        {"network"},
        {"ransomware"},
        "cert_sante",
        [],
        "Le CERT Santé a observé des connexions vers une infrastructure de rançongiciel depuis "
        "votre établissement.",
        "Rechercher les adresses listées dans les journaux du pare-feu\nContacter le CERT Santé",
        "new",
    ),
    (
        "ALERTE-2026-010",
        "Fuite de comptes de messagerie de l'établissement",
        Tlp.AMBER_STRICT,
        "high",
        10,
        set(),
        {"messaging"},
        {"data_leak"},
        "cert_sante",
        [],
        "Des identifiants de messagerie de l'établissement circulent sur un forum criminel.",
        "Réinitialiser les mots de passe des comptes listés\nActiver la double authentification",
        "updated",
    ),
    (
        "ALERTE-2026-011",
        "Exfiltration de données patients signalée",
        Tlp.RED,
        "critical",
        1,
        set(),
        {"patient_record"},
        {"data_leak"},
        "cert_sante",
        [],
        "Un échantillon de données patients attribué à l'établissement est proposé à la vente.",
        "Réunir la cellule de crise\nPréparer la notification à la CNIL sous 72 heures",
        "new",
    ),
    (
        "ALERTE-2026-012",
        "Accès illégitime au serveur de sauvegarde",
        Tlp.RED,
        "high4",
        5,
        set(),
        {"backup"},
        {"ransomware"},
        "cert_sante",
        [],
        "Des connexions inhabituelles au serveur de sauvegarde ont été détectées.",
        "Déconnecter la sauvegarde du réseau\nVérifier l'intégrité des dernières copies",
        "new",
    ),
    (
        "ALERTE-2026-013",
        "Mise à jour de sécurité des navigateurs",
        Tlp.CLEAR,
        "low",
        3,
        set(),
        {"browser"},
        {"vulnerability"},
        "vendor",
        [("Mozilla", "Firefox ESR", "antérieures à 128.5", "128.5")],
        "Une mise à jour corrige des vulnérabilités de faible gravité.",
        "Déployer la mise à jour lors du prochain cycle",
        "new",
    ),
    (
        "ALERTE-2026-014",
        "Fin de support d'un système de téléphonie",
        Tlp.CLEAR,
        "none",
        25,
        set(),
        {"telephony"},
        set(),
        "vendor",
        [("Éditeur de téléphonie", "IPBX", "v9", "v11")],
        "La version 9 ne reçoit plus de correctifs de sécurité depuis le 1er janvier.",
        "Planifier la migration",
        "new",
    ),
    (
        "ALERTE-2026-015",
        "Vulnérabilité dans les automates de laboratoire",
        Tlp.GREEN,
        "medium4",
        14,
        {"chu", "ch"},
        {"laboratory"},
        {"vulnerability"},
        "cert_fr",
        [("Fabricant de laboratoire", "Middleware d'automates", "2.x", "2.9")],
        "Le middleware des automates accepte des connexions non authentifiées sur le réseau local.",
        "Cloisonner le réseau du laboratoire",
        "new",
    ),
    (
        "ALERTE-2026-016",
        "Hameçonnage ciblé des directions d'EHPAD",
        Tlp.GREEN,
        "high",
        8,
        {"ehpad", "esms"},
        {"messaging"},
        {"phishing"},
        "cert_sante",
        [],
        "De faux courriels de l'ARS demandent aux directions d'ouvrir un « rapport d'inspection ».",
        "Ne pas ouvrir la pièce jointe\nSignaler le message au référent",
        "new",
    ),
]
# Acknowledgements of the demo establishments: (alert reference, index of the concerned
# establishment, [(status, hours after publication)]); the rest have not answered.
ANSWERS = [
    ("ALERTE-2026-001", 0, [("taken", 3), ("in_progress", 20), ("fixed", 70)]),
    ("ALERTE-2026-001", 1, [("taken", 30), ("fixed", 96)]),
    ("ALERTE-2026-001", 2, [("in_progress", 50)]),
    ("ALERTE-2026-001", 3, [("not_affected", 6)]),
    ("ALERTE-2026-003", 0, [("fixed", 40)]),
    ("ALERTE-2026-003", 1, [("taken", 12)]),
    ("ALERTE-2026-005", 0, [("taken", 5), ("in_progress", 30)]),
    ("ALERTE-2026-006", 1, [("not_affected", 8)]),
    ("ALERTE-2026-007", 0, [("taken", 4), ("fixed", 50)]),
    ("ALERTE-2026-007", 2, [("fixed", 100)]),
    ("ALERTE-2026-016", 0, [("taken", 24)]),
]
WATCH = [
    (
        "Transposition de la directive NIS 2 : les établissements de santé concernés",
        "regulation",
        "Journal officiel",
        3,
        "La loi de transposition classe la plupart des établissements de "
        "santé en entités essentielles ou importantes, avec de nouvelles obligations de gestion "
        "des risques et de déclaration des incidents.",
        True,
    ),
    (
        "Programme CaRE : ouverture du domaine 2 sur la continuité d'activité",
        "regulation",
        "Ministère de la santé",
        10,
        "Le financement couvre les exercices de crise et les plans de "
        "continuité et de reprise d'activité.",
        False,
    ),
    (
        "Certification HDS : nouveau référentiel",
        "regulation",
        "Agence du numérique en santé",
        20,
        "Le nouveau référentiel de certification des hébergeurs de données de santé renforce les "
        "exigences de localisation des données.",
        False,
    ),
    (
        "Doctrine de l'ANSSI sur l'authentification multifacteur",
        "technology",
        "ANSSI",
        5,
        "Les recommandations mises à jour privilégient les facteurs résistants à l'hameçonnage "
        "pour les comptes d'administration.",
        False,
    ),
    (
        "Fin de support de Windows 10",
        "technology",
        "Microsoft",
        40,
        "Les postes sous Windows 10 "
        "ne reçoivent plus de mises à jour de sécurité sans abonnement étendu.",
        False,
    ),
    (
        "Sauvegardes immuables : retours d'expérience",
        "technology",
        "CERT Santé",
        15,
        "Plusieurs établissements ont pu redémarrer après un rançongiciel grâce à des copies "
        "immuables testées régulièrement.",
        False,
    ),
    (
        "Passkeys dans les logiciels hospitaliers",
        "technology",
        "Agence du numérique en santé",
        35,
        "Les premiers éditeurs proposent la connexion sans mot de passe compatible Pro Santé "
        "Connect.",
        False,
    ),
    (
        "Hausse des rançongiciels dans le secteur sanitaire",
        "threat",
        "CERT Santé",
        2,
        "Le rapport trimestriel observe une hausse des incidents de rançongiciel déclarés par les "
        "établissements de santé.",
        False,
    ),
    (
        "Fraude au président : nouveaux scénarios avec voix clonée",
        "threat",
        "Cybermalveillance",
        12,
        "Des escrocs utilisent des voix synthétiques imitant des directeurs d'établissement.",
        False,
    ),
    (
        "Attaques par déni de service contre les sites hospitaliers",
        "threat",
        "CERT-FR",
        25,
        "Des groupes hacktivistes revendiquent des attaques par déni de service contre des sites "
        "publics d'établissements.",
        False,
    ),
    (
        "Vulnérabilités des objets connectés biomédicaux",
        "threat",
        "ANSSI",
        45,
        "Un panorama des vulnérabilités des dispositifs médicaux connectés et des mesures de "
        "cloisonnement.",
        False,
    ),
]


def build(ctx) -> None:
    home = HomePage.objects.first()
    index = AlertIndexPage.objects.first()
    if index is None:
        index = AlertIndexPage(
            title="Alertes et veille",
            slug="alertes",
            intro="<p>Les alertes de sécurité relayées par l'équipe régionale et la veille "
            "technologique et réglementaire.</p>",
        )
        home.add_child(instance=index)
        index.save_revision().publish()
    ensure_alerts_workflow()
    receiving = list(
        Establishment.objects.filter(validated=True)
        .exclude(kind__in=("ars", "gcs"))
        .order_by("finess")
    )
    rssi = ctx.users.get(Role.RSSI)
    recipient = rssi.member_profile.establishment if rssi else receiving[0]
    now = timezone.now()
    created = 0
    for row in ALERTS:
        created += _alert(index, row, recipient, now)
    _answers(receiving, ctx.users, now)
    items = sum(_watch_item(index, row, now) for row in WATCH)
    _attack_page(home)
    ctx.write(f"{created} alerts, {items} watch items, the 'Vous êtes attaqué ?' page")


def _alert(index, row, recipient, now) -> int:
    (
        reference,
        title,
        tlp,
        severity,
        days,
        types,
        families,
        topics,
        source,
        products,
        summary,
        actions,
        status,
    ) = row
    if AlertPage.objects.filter(reference=reference).exists():
        return 0
    vector = CVSS.get(severity, "")
    page = AlertPage(
        title=title,
        slug=slugify(reference),
        reference=reference,
        tlp=tlp,
        establishment=recipient if tlp in (Tlp.AMBER_STRICT, Tlp.RED) else None,
        cvss_vector=vector,
        severity=severity.removesuffix("4"),
        cves=f"CVE-2026-{1000 + int(reference[-3:]) * 7}" if vector else "",
        product_families=families,
        topics=topics,
        establishment_types=types,
        source=source,
        source_reference=f"{source.upper()}-{reference[-3:]}",
        summary=summary,
        actions=actions,
        status=status,
        change_note="Correctif disponible ; versions corrigées précisées."
        if status == "updated"
        else "",
    )
    page.products = [
        AffectedProduct(vendor=v, product=p, versions=versions, fixed_in=fixed)
        for v, p, versions, fixed in products
    ]
    index.add_child(instance=page)
    # Demo content is loaded as already approved (the workflow applies to what editors publish).
    page.save_revision().publish(skip_permission_checks=True)
    moment = now - datetime.timedelta(days=days)
    AlertPage.objects.filter(pk=page.pk).update(first_published_at=moment, last_published_at=moment)
    page.changes.update(published_at=moment)
    reindex([AlertPage.objects.get(pk=page.pk)])  # its search entry carries the date
    return 1


def _answers(receiving, users, now) -> None:
    for reference, position, steps in ANSWERS:
        alert = AlertPage.objects.filter(reference=reference).first()
        if alert is None:
            continue
        concerned = [e for e in receiving if services.concerns(alert, e)]
        if position >= len(concerned):
            continue
        establishment = concerned[position]
        if Acknowledgement.objects.filter(alert=alert, establishment=establishment).exists():
            continue
        author = users.get(Role.RSSI)
        if author is None or author.member_profile.establishment_id != establishment.pk:
            author = None
        for status, hours in steps:
            Acknowledgement.objects.create(
                alert=alert,
                establishment=establishment,
                status=status,
                recorded_by=author,
                recorded_at=alert.first_published_at + datetime.timedelta(hours=hours),
                note="Correctif déployé sur tous les sites." if status == "fixed" else "",
            )


def _watch_item(index, row, now) -> int:
    title, category, source, days, summary, flags = row
    slug = slugify(title)[:80]
    if WatchItemPage.objects.filter(slug=slug).exists():
        return 0
    page = WatchItemPage(
        title=title,
        slug=slug,
        category=category,
        source=source,
        date=(now - datetime.timedelta(days=days)).date(),
        summary=summary,
    )
    if flags:
        document = _a_document(("first_response", "procedure", "guide"))
        if document is not None:
            page.documents = [WatchDocument(document=document)]
    index.add_child(instance=page)
    page.save_revision().publish()
    return 1


def _a_document(types):
    for document_type in types:
        page = (
            Page.objects.live()
            .filter(documentpage__document_type=document_type, documentpage__access_level="public")
            .order_by("path")
            .first()
        )
        if page is not None:
            return page
    return None


def _attack_page(home) -> None:
    if AttackResponsePage.objects.exists():
        return
    r = region.current()
    page = AttackResponsePage(
        title="Vous êtes attaqué ?",
        slug="vous-etes-attaque",
        intro="Rançongiciel, messagerie piratée, fraude au virement : les premiers gestes des "
        "premières minutes comptent. Gardez votre calme, isolez, prévenez, déclarez.",
        first_steps=(
            "<ol><li><b>Isolez</b> les postes et serveurs touchés du réseau (débranchez le "
            "câble, coupez le Wi-Fi), sans les éteindre : les traces utiles à l'enquête restent "
            "en mémoire.</li>"
            "<li><b>Prévenez</b> immédiatement votre RSSI ou votre DSI, puis la direction.</li>"
            "<li><b>Ne payez pas</b> de rançon et ne contactez pas les attaquants.</li>"
            "<li><b>Déclarez</b> l'incident au CERT Santé sur le portail de signalement.</li>"
            "<li><b>Notez</b> tout ce que vous observez, avec l'heure : messages affichés, "
            "fichiers renommés, actions déjà faites.</li>"
            "<li><b>Passez en mode dégradé</b> selon votre plan de continuité d'activité.</li></ol>"
        ),
        declaration_url="https://signalement.social-sante.gouv.fr/",
        national_cell=(
            "<p>La cellule ACSS (Accompagnement Cybersécurité des Structures de Santé) de "
            "l'Agence du numérique en santé opère le <b>CERT Santé</b>, qui accompagne les "
            "établissements victimes : 09 72 43 91 25, cyberveille@esante.gouv.fr.</p>"
        ),
        oncall_phone="",  # the region's (its configuration: REGION_ONCALL_PHONE)
        regional_contacts=(
            f"<ul><li>{r.gcs_name} : équipe cybersécurité régionale, {r.contact_email}</li>"
            f"<li>{r.ars_name} : référent cybersécurité, via l'astreinte régionale</li></ul>"
        ),
    )
    sheets = [d for d in (_a_document(("first_response",)), _a_document(("procedure",))) if d]
    page.sheets = [AttackSheet(document=d) for d in dict.fromkeys(sheets)]
    home.add_child(instance=page)
    page.save_revision().publish()
