"""The demo content of the document base and the REX, read from ``data/*.toml``.

Documents (``data/documents-*.toml``, one ``[[document]]`` table each):

- ``slug``, ``title``, ``summary``: text; ``content_type``: a ``DocumentType`` code;
  ``themes``: ``Theme`` codes; ``audiences``: ``Role`` codes; ``establishment_types``:
  ``EstablishmentType`` codes (empty: every kind); ``source``: a ``DocumentSource`` code;
  ``language`` (default ``fr``).
- ``access``: ``public``, ``members``, ``roles`` (with ``roles``) or ``establishment`` (with
  ``establishment``: the kind of the demo establishment, the first of that kind by FINESS).
- ``owner``: the role of the demo user who keeps it up to date.
- ``published``, ``reviewed``, ``review_due``: days relative to the day the demo is loaded
  (negative: in the past), or a date for dated documents; ``reviewed`` omitted: never reviewed.
- ``archived``, ``featured`` (booleans), ``popularity`` (download count),
  ``changes``: the change notes of the revisions published after the first one.
- ``attachments``: generated files, among ``pdf``, ``docx`` and ``xlsx`` (``xlsx`` needs a
  ``[document.table]`` with ``name``, ``columns`` and ``rows``).
- ``[[document.sections]]``: ``heading``, ``text`` (paragraphs separated by a blank line),
  ``steps`` (ordered), ``checklist``, ``callout``: each optional.

REX (``data/rex.toml``, one ``[[rex]]`` table each): ``slug``, ``title``, ``summary``,
``incident_type``, ``tlp``, ``establishment_type``, ``size_band``, ``department``,
``published`` (days relative to the load day), ``duration_days``,
``cost_range``, ``cost_note``, ``impacts`` (``patient_care``, ``pay``, ``billing``,
``services_shut_down``, ``data``), ``[[rex.impact_details]]`` (``kind``, ``text``),
``context``, ``detection``, ``[[rex.timeline]]`` (``date``, optional ``time``, ``event``;
the first step's date is the start of the incident),
``what_worked``, ``what_failed``, ``lessons``, ``recommendations`` (list), ``related``
(slugs of demo documents).

``{gcs}``, ``{ars}`` and ``{region}`` in any text are replaced by the configured region's
names: the demo content serves every region.
"""

import datetime
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

DATA_DIR = Path(__file__).with_name("data")

ACCESS_KINDS = ("public", "members", "roles", "establishment")
ATTACHMENT_KINDS = ("pdf", "docx", "xlsx")
MODERATION = datetime.timedelta(days=21)  # from the end of an incident to its REX
IMPACT_KINDS = ("patient_care", "pay", "billing", "services_shut_down", "data")

# French labels: the demo content (and the generated files) are written in French.
IMPACT_LABELS = {
    "patient_care": "Prise en charge des patients",
    "pay": "Paie",
    "billing": "Facturation",
    "services_shut_down": "Services à l'arrêt",
    "data": "Données",
}
SOURCE_LABELS = {
    "gcs": "GCS",
    "ars": "ARS",
    "cert_sante": "CERT Santé",
    "anssi": "ANSSI",
    "member": "Établissement membre",
}
TYPE_LABELS = {
    "guide": "Guide",
    "procedure": "Procédure",
    "template": "Modèle",
    "first_response": "Fiche réflexe",
    "poster": "Affiche",
    "video": "Vidéo",
    "flyer": "Flyer",
    "webinar_replay": "Replay de webinaire",
    "contract_clause": "Clause contractuelle",
}
MONTHS = (
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
)


class ContentError(ValueError):
    """The demo data files are inconsistent (a bug in the data, reported with the slug)."""


def french_date(day: datetime.date) -> str:
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


@dataclass(frozen=True)
class Section:
    heading: str = ""
    paragraphs: tuple[str, ...] = ()
    steps: tuple[str, ...] = ()
    checklist: tuple[str, ...] = ()
    callout: str = ""


@dataclass(frozen=True)
class Table:
    name: str
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


@dataclass(frozen=True)
class DocumentSpec:
    slug: str
    title: str
    summary: str
    content_type: str
    themes: frozenset
    audiences: frozenset
    establishment_types: frozenset
    source: str
    language: str
    access: str
    roles: frozenset
    establishment_kind: str
    owner_role: str
    published: datetime.date
    reviewed: datetime.date | None
    review_due: datetime.date | None
    archived: bool
    featured: bool
    popularity: int
    changes: tuple[str, ...]
    attachments: tuple[str, ...]
    sections: tuple[Section, ...]
    table: Table | None = None

    @property
    def type_label(self) -> str:
        return TYPE_LABELS.get(self.content_type, self.content_type)

    @property
    def source_label(self) -> str:
        return SOURCE_LABELS.get(self.source, self.source)

    @property
    def restricted(self) -> bool:
        return self.access != "public"


@dataclass(frozen=True)
class TimelineStep:
    date: datetime.date
    time: str
    event: str


@dataclass(frozen=True)
class RexSpec:
    slug: str
    title: str
    summary: str
    incident_type: str
    tlp: str
    establishment_type: str
    size_band: str
    department: str
    incident_date: datetime.date
    published: datetime.date
    duration_days: int
    cost_range: str
    cost_note: str
    impacts: frozenset
    impact_details: tuple[tuple[str, str], ...]
    context: str
    detection: str
    timeline: tuple[TimelineStep, ...]
    what_worked: str
    what_failed: str
    lessons: str
    recommendations: tuple[str, ...]
    related: tuple[str, ...] = field(default=())


def regionalise(value, names: dict[str, str]):
    if isinstance(value, str):
        for key, name in names.items():
            value = value.replace("{" + key + "}", name)
        return value
    if isinstance(value, list):
        return [regionalise(item, names) for item in value]
    if isinstance(value, dict):
        return {key: regionalise(item, names) for key, item in value.items()}
    return value


def region_names(region) -> dict[str, str]:
    return {"gcs": region.gcs_name, "ars": region.ars_name, "region": region.name}


def _read(pattern: str, key: str, names: dict[str, str]) -> list[dict]:
    rows = []
    for path in sorted(DATA_DIR.glob(pattern)):
        with path.open("rb") as fh:
            rows.extend(tomllib.load(fh).get(key, []))
    return regionalise(rows, names)


def _paragraphs(text: str) -> tuple[str, ...]:
    return tuple(" ".join(p.split()) for p in text.split("\n\n") if p.strip())


def _day(today: datetime.date, value) -> datetime.date | None:
    """A date given as such, or as a number of days from ``today``."""
    if value is None or isinstance(value, datetime.date):
        return value
    return today + datetime.timedelta(days=int(value))


def _document(row: dict, today: datetime.date) -> DocumentSpec:
    slug = row["slug"]
    access = row.get("access", "public")
    if access not in ACCESS_KINDS:
        raise ContentError(f"{slug}: unknown access {access!r}")
    if access == "roles" and not row.get("roles"):
        raise ContentError(f"{slug}: access 'roles' needs roles")
    if access == "establishment" and not row.get("establishment"):
        raise ContentError(f"{slug}: access 'establishment' needs an establishment kind")
    attachments = tuple(row.get("attachments", ()))
    if unknown := set(attachments) - set(ATTACHMENT_KINDS):
        raise ContentError(f"{slug}: unknown attachment kinds {sorted(unknown)}")
    table = None
    if raw := row.get("table"):
        table = Table(raw["name"], tuple(raw["columns"]), tuple(tuple(r) for r in raw["rows"]))
    if "xlsx" in attachments and table is None:
        raise ContentError(f"{slug}: an xlsx attachment needs a [document.table]")
    reviewed = _day(today, row.get("reviewed"))
    review_due = _day(today, row.get("review_due"))
    if reviewed and reviewed > today:
        raise ContentError(f"{slug}: reviewed in the future")
    if reviewed and review_due and review_due < reviewed:
        raise ContentError(f"{slug}: review due before the last review")
    if len(row["summary"]) > 600:
        raise ContentError(f"{slug}: summary longer than 600 characters")
    sections = tuple(
        Section(
            heading=s.get("heading", ""),
            paragraphs=_paragraphs(s.get("text", "")),
            steps=tuple(s.get("steps", ())),
            checklist=tuple(s.get("checklist", ())),
            callout=" ".join(s.get("callout", "").split()),
        )
        for s in row.get("sections", ())
    )
    if not sections:
        raise ContentError(f"{slug}: no sections")
    return DocumentSpec(
        slug=slug,
        title=row["title"],
        summary=" ".join(row["summary"].split()),
        content_type=row["content_type"],
        themes=frozenset(row["themes"]),
        audiences=frozenset(row.get("audiences", ())),
        establishment_types=frozenset(row.get("establishment_types", ())),
        source=row["source"],
        language=row.get("language", "fr"),
        access=access,
        roles=frozenset(row.get("roles", ())),
        establishment_kind=row.get("establishment", ""),
        owner_role=row.get("owner", "editor"),
        published=_day(today, row["published"]),
        reviewed=reviewed,
        review_due=review_due,
        archived=row.get("archived", False),
        featured=row.get("featured", False),
        popularity=int(row.get("popularity", 0)),
        changes=tuple(row.get("changes", ())),
        attachments=attachments,
        sections=sections,
        table=table,
    )


def load_documents(today: datetime.date, region) -> list[DocumentSpec]:
    specs = [
        _document(row, today) for row in _read("documents-*.toml", "document", region_names(region))
    ]
    slugs = [spec.slug for spec in specs]
    if duplicates := {slug for slug in slugs if slugs.count(slug) > 1}:
        raise ContentError(f"duplicate document slugs: {sorted(duplicates)}")
    return specs


def _rex(row: dict, today: datetime.date) -> RexSpec:
    slug = row["slug"]
    impacts = frozenset(row.get("impacts", ()))
    if unknown := impacts - set(IMPACT_KINDS):
        raise ContentError(f"{slug}: unknown impacts {sorted(unknown)}")
    details = tuple((d["kind"], " ".join(d["text"].split())) for d in row.get("impact_details", ()))
    if unknown := {kind for kind, _ in details} - impacts:
        raise ContentError(f"{slug}: impact details for unflagged impacts {sorted(unknown)}")
    if len(row["summary"]) > 600:
        raise ContentError(f"{slug}: summary longer than 600 characters")
    timeline = tuple(
        TimelineStep(step["date"], step.get("time", ""), " ".join(step["event"].split()))
        for step in row.get("timeline", ())
    )
    if not timeline:
        raise ContentError(f"{slug}: no timeline")
    return RexSpec(
        slug=slug,
        title=row["title"],
        summary=" ".join(row["summary"].split()),
        incident_type=row["incident_type"],
        tlp=row["tlp"],
        establishment_type=row["establishment_type"],
        size_band=row.get("size_band", ""),
        department=row.get("department", ""),
        incident_date=min(step.date for step in timeline),
        # Published some time after the return to normal, and never in the future.
        published=min(
            max(_day(today, row["published"]), max(step.date for step in timeline) + MODERATION),
            today,
        ),
        duration_days=int(row["duration_days"]),
        cost_range=row["cost_range"],
        cost_note=" ".join(row.get("cost_note", "").split()),
        impacts=impacts,
        impact_details=details,
        context=" ".join(row.get("context", "").split()),
        detection=" ".join(row["detection"].split()),
        timeline=timeline,
        what_worked=" ".join(row["what_worked"].split()),
        what_failed=" ".join(row["what_failed"].split()),
        lessons=" ".join(row["lessons"].split()),
        recommendations=tuple(row.get("recommendations", ())),
        related=tuple(row.get("related", ())),
    )


def load_rex(today: datetime.date, region) -> list[RexSpec]:
    specs = [_rex(row, today) for row in _read("rex.toml", "rex", region_names(region))]
    slugs = [spec.slug for spec in specs]
    if duplicates := {slug for slug in slugs if slugs.count(slug) > 1}:
        raise ContentError(f"duplicate REX slugs: {sorted(duplicates)}")
    return specs
