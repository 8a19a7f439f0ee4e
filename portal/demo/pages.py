"""Demo home page and standard pages, written from the source articles (see shared/seeds)."""

from django.conf import settings
from wagtail.models import Page, Site

from portal import region
from portal.access import AccessLevel, Role
from portal.accounts.models import Establishment
from portal.models import HomePage, StandardPage


def _p(*paragraphs: str) -> list[dict]:
    return [{"type": "paragraph", "value": "".join(f"<p>{p}</p>" for p in paragraphs)}]


def _page_specs(r) -> list[dict]:
    return [
        {
            "slug": "programme-regional",
            "title": "Le programme régional de cybersécurité",
            "intro": (
                f"Depuis le plan national de renforcement de la cybersécurité lancé en juillet "
                f"2021, l'{r.ars_name} et le {r.gcs_name} accompagnent les établissements de "
                f"santé et les structures médico-sociales de la région {r.name}."
            ),
            "menu": True,
            "body": _p(
                "Un établissement touché par un rançongiciel peut être désorganisé de quelques "
                "semaines à plusieurs mois, selon la gravité de l'attaque et son niveau de "
                "préparation. Le coût d'une cyberattaque peut atteindre 700 k€.",
                "Le programme poursuit trois objectifs : faire comprendre que la cybersécurité "
                "est l'affaire de tous, faire prendre conscience des conséquences d'une attaque "
                "sur la prise en charge des patients, la paie et la facturation, et partager les "
                "bons réflexes pour que chaque structure soit mieux préparée.",
            )
            + [
                {
                    "type": "key_figures",
                    "value": {
                        "figures": [
                            {"figure": "500+", "caption": "personnels sensibilisés en webinaire"},
                            {"figure": "16", "caption": "établissements ont joué l'escape game"},
                            {"figure": "90 %", "caption": "des attaques passent par la messagerie"},
                        ]
                    },
                },
                {
                    "type": "quote",
                    "value": {
                        "text": (
                            "La majorité des cyberattaques a pour origine une défaillance "
                            "humaine : la sensibilisation de tous les personnels est notre "
                            "première ligne de défense."
                        ),
                        "author": "Référente régionale sécurité des systèmes d'information",
                        "role": r.gcs_name,
                    },
                },
            ],
        },
        {
            "slug": "espace-rssi",
            "title": "Espace RSSI : accompagnement des responsables sécurité",
            "intro": (
                "Réservé aux RSSI et DSI : priorités régionales, appui à la gestion de crise et "
                "contacts de la cellule ACSS."
            ),
            "menu": False,
            "access_level": AccessLevel.ROLES,
            "roles": {Role.RSSI, Role.DSI},
            "body": _p(
                "En cas d'incident, déclarez-le au CERT Santé et prévenez l'ARS. La cellule "
                "d'accompagnement cybersécurité des structures de santé (ACSS) de l'Agence du "
                "numérique en santé vous appuie dans la réponse.",
                "Priorités du trimestre : sauvegardes déconnectées testées, double "
                "authentification sur tous les accès distants, revue des comptes à privilèges.",
            ),
        },
        {
            "slug": "cellule-de-crise-ch",
            "title": "Annuaire de crise de l'établissement",
            "intro": "Contacts d'astreinte et procédure d'activation de la cellule de crise.",
            "menu": False,
            "access_level": AccessLevel.ESTABLISHMENT,
            "establishment_kind": "ch",
            "body": _p(
                "Astreinte informatique : joignable 24 h/24 par le standard. La cellule de "
                "crise est activée par la direction dès qu'un rançongiciel est suspecté.",
            ),
        },
    ]


def build_pages(ctx) -> None:
    r = region.current()
    root = Page.get_first_root_node()
    home = HomePage.objects.child_of(root).first()
    if home is None:
        home = HomePage(
            title="Accueil",
            slug="accueil",
            hero_title="Ensemble, renforçons la cybersécurité de nos établissements",
            intro=(
                f"<p>Le {settings.PORTAL_NAME} réunit les établissements de santé et "
                f"médico-sociaux de la région {r.name} : guides, retours d'expériences, alertes, "
                "forum des RSSI et formations de sensibilisation.</p>"
            ),
        )
        root.add_child(instance=home)
        home.save_revision().publish()
    # Wagtail's own welcome page is replaced by the portal's home page.
    for stale in Page.objects.child_of(root).exclude(pk=home.pk).filter(depth=2):
        if not stale.get_children().exists() and stale.specific_class is Page:
            stale.delete()
    Site.objects.update_or_create(
        is_default_site=True,
        defaults={"hostname": "localhost", "root_page": home, "site_name": settings.PORTAL_NAME},
    )
    for spec in _page_specs(r):
        page = StandardPage.objects.child_of(home).filter(slug=spec["slug"]).first()
        if page is not None:
            continue
        page = StandardPage(
            title=spec["title"],
            slug=spec["slug"],
            intro=spec["intro"],
            body=spec["body"],
            show_in_menus=spec["menu"],
            access_level=spec.get("access_level", AccessLevel.PUBLIC),
            allowed_roles=spec.get("roles", frozenset()),
        )
        if kind := spec.get("establishment_kind"):
            page.establishment = Establishment.objects.filter(kind=kind).order_by("finess").first()
        home.add_child(instance=page)
        page.save_revision().publish()
    ctx.write(f"home page and {len(_page_specs(r))} pages")
