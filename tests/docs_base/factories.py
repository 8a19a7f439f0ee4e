"""Factories and helpers of the docs_base tests (shared: add, don't rewrite)."""

from django.core.files.base import ContentFile
from django.utils.text import slugify

from tests.portal.factories import home_page

# --- Document base -----------------------------------------------------------------------------


def document_index(parent=None, **fields):
    """The document catalogue page (created once, under the home page)."""
    from docs_base.models.documents import DocumentIndexPage

    existing = DocumentIndexPage.objects.first()
    if existing is not None:
        return existing
    parent = parent or home_page()
    fields.setdefault("title", "Base documentaire")
    fields.setdefault("slug", "base-documentaire")
    index = DocumentIndexPage(**fields)
    parent.add_child(instance=index)
    index.save_revision().publish()
    return index


def document_page(parent=None, attachments=(), publish=True, **fields):
    """A published document page; ``attachments`` are Wagtail documents to attach."""
    from docs_base.models.documents import DocumentAttachment, DocumentPage

    parent = parent or document_index()
    fields.setdefault("title", "Guide")
    fields.setdefault("slug", slugify(fields["title"]))
    fields.setdefault("summary", f"Résumé de {fields['title']}")
    fields.setdefault("document_type", "guide")
    fields.setdefault("live", publish)
    page = DocumentPage(**fields)
    page.attachments = [DocumentAttachment(document=document) for document in attachments]
    parent.add_child(instance=page)
    if publish:
        page.save_revision().publish()
        page.refresh_from_db()
    return page


def publish_new_revision(page, **changes):
    """Edit a document page and publish the edit as a new revision."""
    page = type(page).objects.get(pk=page.pk)
    for name, value in changes.items():
        setattr(page, name, value)
    page.save_revision().publish()
    page.refresh_from_db()
    return page


def wagtail_document(title="Fiche réflexe", filename="fiche.pdf", content=b"%PDF-1.4 fiche"):
    from wagtail.documents import get_document_model

    document = get_document_model()(title=title)
    document.file.save(filename, ContentFile(content), save=False)
    document.save()
    return document


# --- Experience feedback (REX) ----------------------------------------------------------------


def rex_index(parent=None, **fields):
    """The experience feedback index page (created once, under the home page)."""
    from docs_base.models.rex import RexIndexPage

    existing = RexIndexPage.objects.first()
    if existing is not None:
        return existing
    parent = parent or home_page()
    fields.setdefault("title", "Retours d'expérience")
    fields.setdefault("slug", "retours-experience")
    index = RexIndexPage(**fields)
    parent.add_child(instance=index)
    index.save_revision().publish()
    return index


def rex_page(parent=None, publish=True, **fields):
    """A REX page (published unless ``publish=False``); its access follows ``tlp``."""
    import datetime

    from docs_base.models.rex import RexPage

    parent = parent or rex_index()
    fields.setdefault("title", "Rançongiciel un dimanche")
    fields.setdefault("slug", fields["title"].lower().replace(" ", "-").replace("'", "-"))
    fields.setdefault("summary", f"Résumé : {fields['title']}")
    fields.setdefault("establishment_type", "ch")
    fields.setdefault("incident_type", "ransomware")
    fields.setdefault("occurred_on", datetime.date(2024, 3, 2))
    fields.setdefault("lessons_learnt", "Tester la restauration des sauvegardes.")
    page = RexPage(live=publish, **fields)
    parent.add_child(instance=page)
    if publish:
        page.save_revision().publish()
        page.refresh_from_db()
    return page


def rex_submission(owner, **fields):
    """A member's draft with every required answer given."""
    import datetime

    from docs_base.models.rex import RexSubmission

    profile = owner.member_profile
    fields.setdefault("establishment", profile.establishment)
    fields.setdefault("title", "Compromission de la messagerie du directeur")
    fields.setdefault("summary", "Un compte de messagerie piraté a servi à un hameçonnage interne.")
    fields.setdefault("establishment_type", "ch")
    fields.setdefault("department", "38")
    fields.setdefault("incident_type", "account_takeover")
    fields.setdefault("occurred_on", datetime.date(2024, 1, 15))
    fields.setdefault("detection", "Des collègues ont signalé un courriel étrange.")
    fields.setdefault("lessons_learnt", "Activer la double authentification sur la messagerie.")
    fields.setdefault(
        "timeline",
        [{"date": "2024-01-15", "time": "08:30", "description": "Premiers signalements."}],
    )
    return RexSubmission.objects.create(owner=owner, **fields)


def reader(roles=("caregiver",), establishment=None, **kwargs):
    """An approved member (with a TOTP factor when the roles need one)."""
    from tests.portal.factories import EstablishmentFactory, MemberFactory

    return MemberFactory(
        profile__roles=set(roles),
        profile__establishment=establishment or EstablishmentFactory(),
        **kwargs,
    )


def documents_editor(establishment=None):
    """A GCS editor: staff, in Wagtail's "Editors" group (page and document permissions)."""
    from django.contrib.auth.models import Group

    user = reader(roles=("editor",), establishment=establishment)
    user.is_staff = True
    user.save()
    user.groups.add(Group.objects.get(name="Editors"))
    return user
