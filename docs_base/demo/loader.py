"""Demo steps of the document base and the REX (``manage.py load_demo``).

Builds, under the home page, the "Base documentaire" catalogue with the documents of
``data/documents-*.toml`` (attached files generated now, in the "Base documentaire" collection)
and the "Retours d'expérience" index with the REX of ``data/rex.toml``, all published through
revisions. Idempotent: an existing page (found by its slug) is left as it is.
"""

import datetime
import html
import io

from django.conf import settings
from django.core.files.base import ContentFile
from django.utils import timezone
from wagtail.documents import get_document_model
from wagtail.models import Collection, Page, PageLogEntry, Revision
from wagtail.utils.file import hash_filelike

from docs_base.demo import content, office, pdf
from docs_base.models import (
    CostRange,
    DocumentAttachment,
    DocumentIndexPage,
    DocumentLanguage,
    DocumentPage,
    DocumentSource,
    DocumentStats,
    DocumentType,
    IncidentType,
    RexIndexPage,
    RexPage,
    SizeBand,
    Theme,
)
from portal import demo, page_cache, region
from portal.access import AccessLevel, Role, Tlp
from portal.accounts.models import Establishment, EstablishmentType, MemberProfile
from portal.models import HomePage
from search.indexing import reindex

COLLECTION_NAME = "Base documentaire"
DOCUMENTS_INDEX = {
    "slug": "base-documentaire",
    "title": "Base documentaire",
    "intro": (
        "<p>Guides, procédures, modèles, fiches réflexes et supports de sensibilisation "
        "rédigés ou sélectionnés par le {gcs} et l'{ars} pour les établissements de santé et "
        "médico-sociaux de la région {region}.</p>"
    ),
}
REX_INDEX = {
    "slug": "retours-experience",
    "title": "Retours d'expérience",
    "intro": (
        "<p>Comment des établissements comme le vôtre ont vécu un incident de sécurité, et ce "
        "qu'ils en ont appris. Les retours d'expérience sont anonymes et publiés après "
        "modération par le {gcs}.</p>"
    ),
}
ATTACHMENT_FORMATS = {
    # kind: (builder, extension, label)
    "pdf": (pdf.document_pdf, "pdf", "Version imprimable (PDF)"),
    "docx": (office.document_docx, "docx", "Modèle modifiable (Word)"),
    "xlsx": (office.document_xlsx, "xlsx", "Classeur à compléter (Excel)"),
}
PUBLISH_HOUR = datetime.time(9, 30)


def register_steps() -> None:
    demo.register(40, "Base documentaire", build_documents)
    demo.register(45, "Retours d'expérience", build_rex)


# --- shared helpers ----------------------------------------------------------------------------


def _home() -> HomePage | None:
    return HomePage.objects.order_by("path").first()


def _index(home, model, spec: dict, names: dict) -> Page:
    page = model.objects.child_of(home).filter(slug=spec["slug"]).first()
    if page is None:
        page = model(
            title=spec["title"],
            slug=spec["slug"],
            intro=content.regionalise(spec["intro"], names),
            show_in_menus=True,
        )
        home.add_child(instance=page)
        _publish(page, None)
    return page


def _moment(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, PUBLISH_HOUR))


def _publish(page, user) -> Revision:
    """Save a revision and publish it as ``user`` (a demo editor or moderator)."""
    revision = page.save_revision(user=user, log_action=True)
    revision.publish(user=user, skip_permission_checks=True)
    return revision


def _backdate(page, revisions: list[tuple[Revision, datetime.datetime]]) -> None:
    """Give the published revisions (and the page's publication dates) their demo dates."""
    for revision, moment in revisions:
        Revision.objects.filter(pk=revision.pk).update(created_at=moment)
        PageLogEntry.objects.filter(page=page, revision=revision).update(timestamp=moment)
    first, last = revisions[0][1], revisions[-1][1]
    PageLogEntry.objects.filter(page=page, action="wagtail.create").update(timestamp=first)
    Page.objects.filter(pk=page.pk).update(
        first_published_at=first, last_published_at=last, latest_revision_created_at=last
    )
    # A queryset update sends no signal: the search index gets the demo dates explicitly.
    reindex([type(page).objects.get(pk=page.pk)])


def _check(slug: str, label: str, values, allowed) -> None:
    unknown = set(values if not isinstance(values, str) else [values]) - set(allowed)
    if unknown:
        raise content.ContentError(f"{slug}: unknown {label} {sorted(unknown)}")


def _owners(ctx) -> dict[str, object]:
    owners = {str(role): user for role, user in ctx.users.items()}
    if len(owners) < len(Role.values):  # step run on its own: find the demo users
        for profile in MemberProfile.objects.select_related("user").order_by("pk"):
            for role in profile.roles:
                owners.setdefault(role, profile.user)
    return owners


def _first_establishment(kind: str) -> Establishment | None:
    return Establishment.objects.filter(kind=kind).order_by("finess").first()


# --- documents ---------------------------------------------------------------------------------


def _publisher(spec: content.DocumentSpec, r) -> str:
    return {
        DocumentSource.GCS: r.gcs_name,
        DocumentSource.ARS: r.ars_name,
        DocumentSource.CERT_SANTE: "CERT Santé (Agence du Numérique en Santé)",
        DocumentSource.ANSSI: "ANSSI",
        DocumentSource.MEMBER: f"Établissement membre, diffusé par le {r.gcs_name}",
    }[spec.source]


def _validate_document(spec: content.DocumentSpec) -> None:
    _check(spec.slug, "content type", spec.content_type, DocumentType.values)
    _check(spec.slug, "themes", spec.themes, Theme.values)
    _check(spec.slug, "audiences", spec.audiences, Role.values)
    _check(spec.slug, "roles", spec.roles, Role.values)
    _check(spec.slug, "establishment types", spec.establishment_types, EstablishmentType.values)
    _check(spec.slug, "source", spec.source, DocumentSource.values)
    _check(spec.slug, "language", spec.language, DocumentLanguage.values)


def _rich(*paragraphs: str) -> str:
    return "".join(f"<p>{html.escape(p, quote=False)}</p>" for p in paragraphs)


def document_body(spec: content.DocumentSpec) -> list[dict]:
    """The StreamField data of a document: one block per part of each section."""
    body = []
    for section in spec.sections:
        if section.heading:
            body.append({"type": "heading", "value": section.heading})
        if section.paragraphs:
            body.append({"type": "paragraph", "value": _rich(*section.paragraphs)})
        if section.steps:
            steps = [{"title": step, "text": ""} for step in section.steps]
            body.append({"type": "steps", "value": {"title": "", "steps": steps}})
        if section.checklist:
            body.append(
                {"type": "checklist", "value": {"title": "", "items": list(section.checklist)}}
            )
        if section.callout:
            body.append(
                {"type": "callout", "value": {"title": "À retenir", "text": _rich(section.callout)}}
            )
    return body


def _files(spec, collection, uploader, r) -> list[DocumentAttachment]:
    Document = get_document_model()
    issued = spec.reviewed or spec.published
    attachments = []
    for kind in spec.attachments:
        build, extension, label = ATTACHMENT_FORMATS[kind]
        data = build(
            spec, portal_name=settings.PORTAL_NAME, publisher=_publisher(spec, r), issued=issued
        )
        document = Document(
            title=f"{spec.title} ({extension.upper()})",
            collection=collection,
            uploaded_by_user=uploader,
            file_size=len(data),
            file_hash=hash_filelike(io.BytesIO(data)),
        )
        document.file.save(f"{spec.slug}.{extension}", ContentFile(data), save=False)
        document.save()
        attachments.append(DocumentAttachment(document=document, label=label))
    return attachments


def _collection() -> Collection:
    root = Collection.get_first_root_node()
    collection = root.get_children().filter(name=COLLECTION_NAME).first()
    return collection or root.add_child(name=COLLECTION_NAME)


def _create_document(index, spec, collection, owners, r) -> int:
    owner = owners.get(spec.owner_role)
    page = DocumentPage(
        title=spec.title,
        slug=spec.slug,
        summary=spec.summary,
        search_description=spec.summary,
        body=document_body(spec),
        document_type=spec.content_type,
        themes=spec.themes,
        audiences=spec.audiences,
        establishment_types=spec.establishment_types,
        source=spec.source,
        language=spec.language,
        owner=owner,
        last_reviewed_at=spec.reviewed,
        review_due=spec.review_due,
        archived=spec.archived,
        featured=spec.featured and not spec.archived,
        access_level=AccessLevel(spec.access),
        allowed_roles=spec.roles,
    )
    if spec.access == "establishment":
        page.establishment = _first_establishment(spec.establishment_kind)
        if page.establishment is None:
            raise content.ContentError(f"{spec.slug}: no {spec.establishment_kind} establishment")
    page.attachments = _files(spec, collection, owners.get(Role.EDITOR), r)
    index.add_child(instance=page)

    # The first publication, then one per change note, spread between publication and review;
    # the GCS editor publishes (the owner may be a member who does not edit pages).
    editor = owners.get(Role.EDITOR)
    end = min(spec.reviewed or timezone.localdate(), timezone.localdate())
    span = max((end - spec.published).days, len(spec.changes) + 1)
    revisions = []
    for number, note in enumerate(("", *spec.changes)):
        page.change_note = note
        day = spec.published + datetime.timedelta(days=span * number // (len(spec.changes) + 1))
        revisions.append((_publish(page, editor), _moment(day)))
    _backdate(page, revisions)
    DocumentStats.objects.update_or_create(page=page, defaults={"downloads": spec.popularity})
    reindex([type(page).objects.get(pk=page.pk)])
    return len(spec.attachments)


def build_documents(ctx) -> None:
    home = _home()
    if home is None:
        ctx.write("pas de page d'accueil : base documentaire non créée")
        return
    r = region.current()
    names = content.region_names(r)
    specs = content.load_documents(timezone.localdate(), r)
    for spec in specs:
        _validate_document(spec)
    index = _index(home, DocumentIndexPage, DOCUMENTS_INDEX, names)
    existing = set(DocumentPage.objects.child_of(index).values_list("slug", flat=True))
    missing = [spec for spec in specs if spec.slug not in existing]
    collection = _collection() if missing else None
    owners = _owners(ctx)
    files = sum(_create_document(index, spec, collection, owners, r) for spec in missing)
    if missing:
        page_cache.invalidate()
    ctx.write(
        f"{len(specs)} documents ({len(missing)} créés, {files} fichiers joints générés), "
        f"{len({t for spec in specs for t in spec.themes})} thématiques"
    )


# --- experience feedback (REX) ----------------------------------------------------------------


def _validate_rex(spec: content.RexSpec) -> None:
    _check(spec.slug, "incident type", spec.incident_type, IncidentType.values)
    _check(spec.slug, "TLP", spec.tlp, Tlp.values)
    _check(spec.slug, "establishment type", spec.establishment_type, EstablishmentType.values)
    _check(spec.slug, "size band", spec.size_band, SizeBand.values)
    _check(spec.slug, "cost range", spec.cost_range, CostRange.values)


def _department(spec: content.RexSpec, position: int, r) -> str:
    """The REX's department, or one of the configured region's when it is elsewhere."""
    if spec.department in r.departments:
        return spec.department
    codes = list(r.departments)
    return codes[position % len(codes)] if codes else ""


def rex_fields(spec: content.RexSpec) -> dict:
    """The debrief fields of a REX page (the free texts, in French, as an RSSI wrote them)."""
    impact = "\n\n".join(
        f"{content.IMPACT_LABELS[kind]} : {text}" for kind, text in spec.impact_details
    )
    if spec.cost_note:
        impact = f"{impact}\n\nCoût : {spec.cost_note}." if impact else f"Coût : {spec.cost_note}."
    fields = {
        "summary": spec.summary,
        "incident_type": spec.incident_type,
        "occurred_on": spec.incident_date,
        "detection": spec.detection,
        "duration_days": spec.duration_days,
        "impact_patient_care": "patient_care" in spec.impacts,
        "impact_pay": "pay" in spec.impacts,
        "impact_billing": "billing" in spec.impacts,
        "impact_services_shut_down": "services_shut_down" in spec.impacts,
        "impact_data": "data" in spec.impacts,
        "impact_description": impact,
        "cost_range": spec.cost_range,
        "what_worked": spec.what_worked,
        "what_did_not_work": spec.what_failed,
        "lessons_learnt": spec.lessons,
        "recommendations": "\n".join(f"– {item}" for item in spec.recommendations),
        "tlp": spec.tlp,
        "establishment_type": spec.establishment_type,
        "size_band": spec.size_band,
    }
    # The debrief has no field of its own for the context: it opens the detection account.
    field_names = {f.name for f in RexPage._meta.get_fields()}
    if "context" in field_names:
        fields["context"] = spec.context
    elif spec.context:
        fields["detection"] = f"{spec.context}\n\n{spec.detection}"
    return fields


def _timeline(spec: content.RexSpec) -> list[dict]:
    return [
        {
            "type": "step",
            "value": {
                "date": step.date.isoformat(),
                "time": f"{step.time}:00" if step.time else None,
                "description": step.event,
            },
        }
        for step in spec.timeline
    ]


def _create_rex(index, spec, position, documents_by_slug, moderator, r) -> None:
    missing = [slug for slug in spec.related if slug not in documents_by_slug]
    if missing:
        raise content.ContentError(f"{spec.slug}: cites unknown documents {missing}")
    page = RexPage(
        title=spec.title,
        slug=spec.slug,
        search_description=spec.summary,
        department=_department(spec, position, r),
        timeline=_timeline(spec),
        cited_pages=[{"type": "page", "value": documents_by_slug[slug]} for slug in spec.related],
        **rex_fields(spec),
    )
    index.add_child(instance=page)
    _backdate(page, [(_publish(page, moderator), _moment(spec.published))])


def build_rex(ctx) -> None:
    home = _home()
    if home is None:
        ctx.write("pas de page d'accueil : retours d'expérience non créés")
        return
    r = region.current()
    specs = content.load_rex(timezone.localdate(), r)
    for spec in specs:
        _validate_rex(spec)
    index = _index(home, RexIndexPage, REX_INDEX, content.region_names(r))
    existing = set(RexPage.objects.child_of(index).values_list("slug", flat=True))
    missing = [(n, spec) for n, spec in enumerate(specs) if spec.slug not in existing]
    documents_by_slug = dict(DocumentPage.objects.values_list("slug", "pk"))
    moderator = _owners(ctx).get(Role.MODERATOR)
    for position, spec in missing:
        _create_rex(index, spec, position, documents_by_slug, moderator, r)
    if missing:
        page_cache.invalidate()
    kinds = {spec.incident_type for spec in specs}
    ctx.write(
        f"{len(specs)} retours d'expérience ({len(missing)} créés), {len(kinds)} types d'incident"
    )
