"""Factories of the alerts tests: the index, alerts of any marking, watch items, the
"Vous êtes attaqué ?" page, acknowledgements."""

import datetime
import itertools

from django.utils import timezone

from portal.access import Tlp
from tests.portal.factories import home_page

_numbers = itertools.count(1)


def alert_index():
    from alerts.models import AlertIndexPage

    existing = AlertIndexPage.objects.first()
    if existing is not None:
        return existing
    index = AlertIndexPage(title="Alertes et veille", slug="alertes")
    home_page().add_child(instance=index)
    index.save_revision().publish()
    return index


def alert(
    title="Vulnérabilité critique",
    tlp=Tlp.CLEAR,
    establishment=None,
    published=True,
    published_at=None,
    products=(),
    **fields,
):
    """An alert, published (AMBER+ as if approved: the workflow is tested on its own)."""
    from alerts.models import AffectedProduct, AlertPage

    number = next(_numbers)
    fields.setdefault("reference", f"ALERTE-TEST-{number:04d}")
    fields.setdefault("slug", f"alerte-test-{number}")
    fields.setdefault("summary", f"Résumé de {title}")
    fields.setdefault("source", "cert_sante")
    fields.setdefault("severity", "high")
    page = AlertPage(title=title, tlp=tlp, establishment=establishment, **fields)
    page.products = [
        AffectedProduct(vendor=vendor, product=product, versions=versions)
        for vendor, product, versions in products
    ]
    page.live = published
    alert_index().add_child(instance=page)
    if not published:
        page.save_revision()
    if published:
        page.save_revision().publish(skip_permission_checks=True)
        page.refresh_from_db()
        if published_at is not None:
            type(page).objects.filter(pk=page.pk).update(
                first_published_at=published_at, last_published_at=published_at
            )
            page.refresh_from_db()
    return page


def watch_item(title="Décret NIS 2", tlp=Tlp.CLEAR, documents=(), **fields):
    from alerts.models import WatchDocument, WatchItemPage

    number = next(_numbers)
    fields.setdefault("slug", f"veille-{number}")
    fields.setdefault("summary", f"Résumé de {title}")
    fields.setdefault("category", "regulation")
    fields.setdefault("source", "Journal officiel")
    page = WatchItemPage(title=title, tlp=tlp, **fields)
    page.documents = [WatchDocument(document=doc) for doc in documents]
    alert_index().add_child(instance=page)
    page.save_revision().publish(skip_permission_checks=True)
    page.refresh_from_db()
    return page


def attack_page(**fields):
    from alerts.models import AttackResponsePage

    existing = AttackResponsePage.objects.first()
    if existing is not None:
        return existing
    fields.setdefault("intro", "Gardez votre calme : isolez, prévenez, déclarez.")
    fields.setdefault("first_steps", "<ol><li>Isolez les postes touchés du réseau.</li></ol>")
    fields.setdefault("national_cell", "<p>Cellule ACSS : 09 72 43 91 25</p>")
    fields.setdefault("oncall_phone", "04 00 00 00 00")
    page = AttackResponsePage(title="Vous êtes attaqué ?", slug="vous-etes-attaque", **fields)
    home_page().add_child(instance=page)
    page.save_revision().publish()
    return page


def acknowledgement(alert_page, establishment, status="taken", at=None, user=None, note=""):
    from alerts.models import Acknowledgement

    return Acknowledgement.objects.create(
        alert=alert_page,
        establishment=establishment,
        status=status,
        note=note,
        recorded_by=user,
        recorded_at=at or timezone.now(),
    )


def hours_after(moment, hours):
    return moment + datetime.timedelta(hours=hours)
