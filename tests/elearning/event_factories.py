"""Factories of the events' and kits' tests (pages created and published as editors do)."""

import datetime

from django.core.files.base import ContentFile
from django.utils import timezone
from django.utils.text import slugify

from portal.access import AccessLevel
from tests.portal.factories import home_page


def event_index():
    from elearning.events.models import EventIndexPage

    existing = EventIndexPage.objects.first()
    if existing is not None:
        return existing
    index = EventIndexPage(title="Sensibiliser les équipes", slug="sensibilisation")
    home_page().add_child(instance=index)
    index.save_revision().publish()
    return index


def event(title="Webinaire sauvegardes", starts_in=datetime.timedelta(days=10), **fields):
    """A published event starting ``starts_in`` from now (negative: past), for 90 minutes."""
    from elearning.events.models import EventPage

    starts_at = fields.pop("starts_at", None) or timezone.now() + starts_in
    fields.setdefault("slug", slugify(title))
    fields.setdefault("kind", "webinar")
    fields.setdefault("summary", f"Résumé de {title}")
    fields.setdefault("ends_at", starts_at + datetime.timedelta(minutes=90))
    fields.setdefault("online", True)
    fields.setdefault("online_link", "https://visio.example/rejoindre-canari-0000")
    fields.setdefault("capacity", 30)
    fields.setdefault("programme", "<p>Programme</p>")
    fields.setdefault("access_level", AccessLevel.PUBLIC)
    page = EventPage(title=title, starts_at=starts_at, **fields)
    event_index().add_child(instance=page)
    page.save_revision().publish()
    page.refresh_from_db()
    return page


def kit(title="Sant'Escape", materials=True, **fields):
    from elearning.events.models import KitMaterial, KitPage

    fields.setdefault("slug", slugify(title))
    fields.setdefault("summary", f"Résumé de {title}")
    fields.setdefault("duration_minutes", 45)
    fields.setdefault("story", "<p>Des journalistes peu scrupuleux…</p>")
    fields.setdefault("contents", "<ul><li>Cadenas</li></ul>")
    fields.setdefault("access_level", AccessLevel.PUBLIC)
    page = KitPage(title=title, **fields)
    event_index().add_child(instance=page)
    page.save_revision().publish()
    if materials:
        for name, guide in (("Affiches", False), ("Guide de l'animateur", True)):
            item = KitMaterial(kit=page, title=name, facilitators_only=guide)
            content = ContentFile(f"{name} texte".encode())
            item.file.save(f"{slugify(name)}.txt", content, save=False)
            item.save()
    page.refresh_from_db()
    return page
