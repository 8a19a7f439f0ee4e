"""Demo step of the events (``manage.py load_demo``, declared in ``elearning/module.py``): the
"Sensibiliser les équipes" page, 6 upcoming and 6 past events (webinars with the Gendarmerie,
regional days, training sessions), registrations of the demo members with a full session and
its waiting list, attendance and survey answers on past events, replays in the document base,
and the two escape-game kits with their loans (one pending) and session reports.
Idempotent: once the events page exists, nothing is added again."""

import datetime
import zoneinfo

from django.conf import settings
from django.core.files.base import ContentFile
from django.utils import timezone
from django.utils.text import slugify

from docs_base.models import DocumentPage
from elearning.events.models import (
    EventIndexPage,
    EventKind,
    EventPage,
    KitLoan,
    KitMaterial,
    KitPage,
    LoanStatus,
    Registration,
    RegistrationStatus,
    SessionReport,
    SurveyAnswer,
)
from elearning.events.services import participant_name
from portal import page_cache
from portal.access import AccessLevel, Role, can_view
from portal.accounts.mfa import MFA_REQUIRED_ROLES
from portal.accounts.models import Establishment, MemberProfile, MemberStatus
from portal.models import HomePage

PARIS = zoneinfo.ZoneInfo(settings.TIME_ZONE)

INDEX = {
    "title": "Sensibiliser les équipes : webinaires et escape game",
    "slug": "sensibilisation",
    "intro": (
        "<p>Webinaires avec la Gendarmerie nationale, journées régionales, sessions de formation "
        "et escape games Via'Escape et Sant'Escape : des formats concrets pour adopter les bons "
        "gestes.</p>"
    ),
    "body": (
        "<p>Les inscriptions, les présences et les comptes rendus de session alimentent les "
        "chiffres ci-dessus : ils sont calculés par le portail, jamais saisis à la main.</p>"
    ),
}

# title, kind, days from today, start hour, minutes, online, place, capacity, access, audience,
# summary
EVENTS = [
    (
        "Rançongiciels : les premières heures",
        EventKind.WEBINAR,
        5,
        14,
        90,
        True,
        "",
        150,
        AccessLevel.PUBLIC,
        (),
        "Que faire dans les premières heures d'une attaque par rançongiciel : isoler, alerter, "
        "préserver les traces, déclencher la cellule de crise.",
    ),
    (
        "Hameçonnage : reconnaître un courriel piégé",
        EventKind.WEBINAR,
        9,
        11,
        60,
        True,
        "",
        200,
        AccessLevel.PUBLIC,
        (Role.CAREGIVER, Role.ADMIN_AGENT),
        "Un webinaire court pour les soignants et les agents administratifs : les indices d'un "
        "courriel frauduleux et le bon réflexe de signalement.",
    ),
    (
        "Gestion de crise cyber : exercice sur table",
        EventKind.TRAINING,
        14,
        9,
        210,
        False,
        "GCS e-santé, salle Vercors, Grenoble",
        3,
        AccessLevel.MEMBERS,
        (Role.DIRECTOR, Role.RSSI, Role.DSI, Role.CAREGIVER),
        "Une matinée d'exercice pour les équipes de direction et les référents : scénario, "
        "main courante, communication de crise.",
    ),
    (
        "Durcir l'Active Directory d'un établissement",
        EventKind.WEBINAR,
        21,
        10,
        120,
        True,
        "",
        80,
        AccessLevel.ROLES,
        (Role.RSSI, Role.DSI),
        "Réservé aux RSSI et DSI : comptes à privilèges, tiering, journalisation et audit.",
    ),
    (
        "Journée régionale de la cybersécurité en santé",
        EventKind.REGIONAL_DAY,
        30,
        9,
        480,
        False,
        "Hôtel de Région, Lyon",
        250,
        AccessLevel.MEMBERS,
        (),
        "Retours d'expérience, ateliers et rencontres entre RSSI, directions et équipes "
        "soignantes de la région.",
    ),
    (
        "Devenir animateur Sant'Escape",
        EventKind.TRAINING,
        45,
        13,
        180,
        False,
        "GCS e-santé, Lyon",
        10,
        AccessLevel.MEMBERS,
        (),
        "Une demi-journée pour apprendre à animer l'escape game et à conduire le débriefing.",
    ),
    (
        "Les cybermenaces en santé, avec la Gendarmerie nationale",
        EventKind.WEBINAR,
        -20,
        14,
        90,
        True,
        "",
        300,
        AccessLevel.PUBLIC,
        (),
        "Panorama des attaques observées dans les établissements de santé et conseils des "
        "enquêteurs de la Gendarmerie nationale.",
    ),
    (
        "Sauvegardes : la règle 3-2-1 en pratique",
        EventKind.WEBINAR,
        -45,
        11,
        60,
        True,
        "",
        200,
        AccessLevel.PUBLIC,
        (),
        "Sauvegardes déconnectées, tests de restauration et plan de continuité d'activité.",
    ),
    (
        "Double authentification : pourquoi et comment",
        EventKind.WEBINAR,
        -70,
        14,
        60,
        True,
        "",
        200,
        AccessLevel.MEMBERS,
        (),
        "MFA sur les accès distants et la messagerie : retours d'expérience d'établissements.",
    ),
    (
        "Session référents cybersécurité",
        EventKind.TRAINING,
        -90,
        9,
        240,
        False,
        "ARS, Lyon",
        20,
        AccessLevel.MEMBERS,
        (),
        "Les missions du référent cybersécurité et les outils régionaux à sa disposition.",
    ),
    (
        "Journée régionale 2026",
        EventKind.REGIONAL_DAY,
        -120,
        9,
        480,
        False,
        "Centre de congrès, Saint-Étienne",
        250,
        AccessLevel.PUBLIC,
        (),
        "La première journée régionale : tables rondes, ateliers et escape game.",
    ),
    (
        "Fraude au président (FOVI) : les bons réflexes",
        EventKind.WEBINAR,
        -150,
        11,
        60,
        True,
        "",
        200,
        AccessLevel.PUBLIC,
        (),
        "Faux ordres de virement et usurpation d'identité : reconnaître et bloquer la fraude.",
    ),
]

KITS = [
    {
        "title": "Sant'Escape",
        "summary": "Les joueurs deviennent des journalistes peu scrupuleux prêts à tout pour "
        "voler les données de santé d'un célèbre patient.",
        "story": (
            "<p>Les personnels deviennent des journalistes peu scrupuleux à la recherche d'un "
            "scoop : ils ont 45 minutes pour déjouer le système informatique d'un prestigieux "
            "institut médical et dérober les données de santé d'un célèbre patient.</p><p>Le "
            "jeu révèle les failles d'un système d'information et celles des utilisateurs "
            "eux-mêmes.</p>"
        ),
        "players": (4, 6),
    },
    {
        "title": "Via'Escape",
        "summary": "Une équipe soignante doit rétablir le système d'information de l'hôpital "
        "avant l'arrivée des patients du matin.",
        "story": (
            "<p>Une attaque a paralysé l'informatique de l'hôpital pendant la nuit. L'équipe a "
            "45 minutes pour retrouver les bons réflexes, reconstituer les mots de passe mal "
            "protégés et relancer le service.</p>"
        ),
        "players": (3, 6),
    },
]
KIT_CONTENTS = (
    "<ul><li>Valise de jeu avec cadenas, enveloppes et indices</li><li>Ordinateur portable "
    "préparé (hors réseau)</li><li>Affiches et livret de débriefing</li></ul>"
)


def build(ctx) -> None:
    home = HomePage.objects.order_by("path").first()
    if home is None or EventIndexPage.objects.exists():
        return
    index = EventIndexPage(
        title=INDEX["title"], slug=INDEX["slug"], intro=INDEX["intro"], body=INDEX["body"]
    )
    home.add_child(instance=index)
    index.save_revision().publish()
    members = _members()
    replays = _replays()
    events = [_event(index, spec, replays) for spec in EVENTS]
    _registrations(events, members)
    kits = [_kit(index, spec, ctx) for spec in KITS]
    _loans(kits, ctx)
    page_cache.invalidate()
    ctx.write(
        f"{len(events)} events, {Registration.objects.count()} registrations, "
        f"{len(kits)} kits, {KitLoan.objects.count()} loans"
    )


def _members() -> list:
    """The approved demo members, establishment staff first (stable order)."""
    profiles = MemberProfile.objects.filter(status=MemberStatus.APPROVED).select_related("user")
    return [p.user for p in profiles.order_by("user__username") if p.user.is_active]


def _at(days: int, hour: int) -> datetime.datetime:
    day = timezone.localdate() + datetime.timedelta(days=days)
    return datetime.datetime.combine(day, datetime.time(hour), tzinfo=PARIS)


def _event(index, spec, replays) -> EventPage:
    title, kind, days, hour, minutes, online, place, capacity, access, audience, summary = spec
    starts_at = _at(days, hour)
    page = EventPage(
        title=title,
        slug=slugify(title)[:80],
        kind=kind,
        summary=summary,
        starts_at=starts_at,
        ends_at=starts_at + datetime.timedelta(minutes=minutes),
        online=online,
        place=place,
        online_link=f"https://visio.demo.example/{slugify(title)[:40]}" if online else "",
        capacity=capacity,
        audience=set(audience),
        programme=(
            "<ul><li>Accueil et tour de table</li><li>Présentation et cas concrets</li>"
            "<li>Questions et réponses</li></ul>"
        ),
        speakers="<p>Équipe cybersécurité du GCS e-santé"
        + (", Gendarmerie nationale" if "Gendarmerie" in title else "")
        + "</p>",
        access_level=access,
        allowed_roles=set(audience) if access == AccessLevel.ROLES else set(),
    )
    index.add_child(instance=page)
    page.save_revision().publish()
    if days < 0 and kind == EventKind.WEBINAR and replays:
        page.replay = replays[days % len(replays)]
        page.save_revision().publish()
    return page


def _replays():
    """The document base's own recordings (its demo step ran before this one)."""
    return list(
        DocumentPage.objects.live()
        .filter(document_type__in=["webinar_replay", "video"], archived=False)
        .order_by("path")
    )


def _registrations(events, members) -> None:
    """Upcoming: a few demo members, the full training with its waiting list. Past: the members
    who could view it registered, most present, some survey answers."""
    now = timezone.now()
    for number, event in enumerate(events):
        allowed = [m for m in members if _may_attend(m, event)]
        if event.starts_at > now and event.capacity <= 3:
            # The full session and its waiting list: members who sign in with a password only.
            easy = [m for m in allowed if not set(m.member_profile.roles) & MFA_REQUIRED_ROLES]
            chosen = easy[: event.capacity + 2]
        elif event.starts_at > now:
            chosen = allowed[: 3 + number]
        else:
            chosen = allowed
        earlier = min(now, event.starts_at) - datetime.timedelta(days=10)
        for position, user in enumerate(chosen):
            profile = user.member_profile
            full = position >= event.capacity
            registration = Registration.objects.create(
                event=event,
                user=user,
                establishment_id=profile.establishment_id,
                roles=profile.roles,
                status=RegistrationStatus.WAITING if full else RegistrationStatus.REGISTERED,
                created_at=earlier - datetime.timedelta(minutes=position),
                participant_name=participant_name(user),
                attended=event.ends_at < now and position % 5 != 4,
            )
            if registration.attended and position % 2 == 0:
                SurveyAnswer.objects.create(
                    registration=registration,
                    rating=5 - position % 3,
                    comment="Très concret, merci." if position % 4 == 0 else "",
                )


def _may_attend(user, event) -> bool:
    roles = set(user.member_profile.roles)
    return can_view(user, event) and (not event.audience or bool(roles & set(event.audience)))


def _kit(index, spec, ctx) -> KitPage:
    low, high = spec["players"]
    kit = KitPage(
        title=spec["title"],
        slug=slugify(spec["title"]),
        summary=spec["summary"],
        duration_minutes=45,
        players_min=low,
        players_max=high,
        story=spec["story"],
        contents=KIT_CONTENTS,
    )
    index.add_child(instance=kit)
    editor = ctx.users.get(Role.EDITOR)
    if editor is not None:
        kit.facilitators.add(editor)
    kit.save_revision().publish()
    for title, guide, text in (
        ("Affiches de la session", False, "Affiches à imprimer en A3."),
        ("Livret de débriefing", False, "Les questions du débriefing, étape par étape."),
        ("Guide de l'animateur", True, "Solutions des énigmes et déroulé minute par minute."),
    ):
        item = KitMaterial(kit=kit, title=title, facilitators_only=guide)
        item.file.save(f"{slugify(title)}.txt", ContentFile(text.encode()), save=False)
        item.save()
    return kit


def _loans(kits, ctx) -> None:
    today = timezone.localdate()
    establishments = list(Establishment.objects.order_by("finess")[:4])
    requester = ctx.users.get(Role.DIRECTOR)
    staff = ctx.users.get(Role.REGIONAL_ADMIN)
    if not establishments:
        return
    plan = [
        # kit, establishment, start (days from today), length, status, reports (players)
        (0, 0, -60, 5, LoanStatus.APPROVED, (6, 5, 6)),
        (0, 1, -25, 7, LoanStatus.APPROVED, (4, 6)),
        (1, 2, -40, 4, LoanStatus.APPROVED, (5,)),
        (0, 2, 20, 5, LoanStatus.APPROVED, ()),
        (1, 0, 12, 3, LoanStatus.PENDING, ()),
        (1, 3 % len(establishments), 35, 6, LoanStatus.DECLINED, ()),
    ]
    for kit_no, est_no, start, length, status, reports in plan:
        establishment = establishments[est_no % len(establishments)]
        starts_on = today + datetime.timedelta(days=start)
        loan = KitLoan.objects.create(
            kit=kits[kit_no],
            establishment=establishment,
            requested_by=requester,
            starts_on=starts_on,
            ends_on=starts_on + datetime.timedelta(days=length - 1),
            status=status,
            decided_by=staff if status != LoanStatus.PENDING else None,
            decided_at=timezone.now() if status != LoanStatus.PENDING else None,
            decision_note="Le kit est déjà prévu ailleurs à ces dates."
            if status == LoanStatus.DECLINED
            else "",
        )
        for day, players in enumerate(reports):
            SessionReport.objects.create(
                loan=loan,
                played_on=starts_on + datetime.timedelta(days=day),
                players=players,
                roles={Role.CAREGIVER, Role.ADMIN_AGENT},
                duration_minutes=45 + 5 * day,
                debrief="Les joueurs ont repéré le mot de passe sur post-it ; échanges riches "
                "sur le verrouillage des postes.",
                filed_by=requester,
            )
