"""The catalogue: documents the reader may see, combinable facets with counts, sort, pages.

Facets combine as OR within a facet and AND across facets. The count of a facet value is the
number of documents the reader would get by adding that value to the current selection
(the other facets' filters applied, not its own): every count comes from one aggregate query
over documents the reader may view, so restricted documents are never counted.
"""

from dataclasses import dataclass, field
from functools import reduce
from operator import and_, or_
from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.db.models import Count, F, Q
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from docs_base.models.documents import DocumentPage, DocumentSource, DocumentType, Theme
from portal.access import Role
from portal.accounts.models import EstablishmentType

# The roles documents are written for (staff roles publish, they are not an audience).
READER_ROLES = (
    Role.DIRECTOR,
    Role.RSSI,
    Role.DSI,
    Role.DPO,
    Role.CAREGIVER,
    Role.ADMIN_AGENT,
    Role.ARS_REFERENT,
)
PER_PAGE = 12
FEATURED = 3


@dataclass(frozen=True)
class FacetSpec:
    name: str  # GET parameter
    label: str
    field: str
    codes: type  # TextChoices
    multi: bool  # stored as ",a,b," (a set of codes) or one code
    empty_means_all: bool = False  # an empty set: the document fits every value
    only: tuple = ()  # offer only these codes (all when empty)

    def choices(self) -> list[tuple[str, str]]:
        return [
            (code, label)
            for code, label in self.codes.choices
            if not self.only or code in self.only
        ]

    def value_q(self, code: str) -> Q:
        if not self.multi:
            return Q(**{self.field: code})
        q = Q(**{f"{self.field}__contains": f",{code},"})
        if self.empty_means_all:
            q |= Q(**{self.field: ""})
        return q

    def selection_q(self, codes) -> Q | None:
        if not codes:
            return None
        return reduce(or_, (self.value_q(code) for code in codes))


FACETS = (
    FacetSpec("theme", _("Theme"), "themes", Theme, multi=True),
    FacetSpec("type", _("Content type"), "document_type", DocumentType, multi=False),
    FacetSpec(
        "audience",
        _("Audience"),
        "audiences",
        Role,
        multi=True,
        empty_means_all=True,
        only=READER_ROLES,
    ),
    FacetSpec(
        "establishment_type",
        _("Establishment type"),
        "establishment_types",
        EstablishmentType,
        multi=True,
        empty_means_all=True,
    ),
    FacetSpec("source", _("Source"), "source", DocumentSource, multi=False),
)

SORTS = {
    "date": ("-last_published_at", "-pk"),
    "popularity": ("-popularity", "-last_published_at", "-pk"),
}
SORT_LABELS = {"date": _("Newest first"), "popularity": _("Most downloaded first")}


@dataclass
class FacetValue:
    code: str
    label: str
    count: int
    selected: bool


@dataclass
class FacetView:
    name: str
    label: str
    values: list[FacetValue] = field(default_factory=list)

    @property
    def selected_count(self) -> int:
        return sum(1 for value in self.values if value.selected)


@dataclass
class ActiveFilter:
    label: str
    remove_url: str


@dataclass
class Catalogue:
    page_obj: object
    facets: list[FacetView]
    total: int
    sort: str
    sort_options: list[tuple[str, str]]
    active_filters: list[ActiveFilter]
    page_query: str  # the current selection as a query string, without "page"
    featured: list = field(default_factory=list)


def listed_documents(user, queryset=None):
    """Live, non-archived documents outside Wagtail privacy that the user may view."""
    return (DocumentPage.objects.all() if queryset is None else queryset).listed(user)


def selection(params) -> dict[str, list[str]]:
    """The valid codes asked for, per facet; unknown codes are ignored."""
    chosen = {}
    for spec in FACETS:
        valid = {code for code, _label in spec.choices()}
        codes = [code for code in dict.fromkeys(params.getlist(spec.name)) if code in valid]
        if codes:
            chosen[spec.name] = codes
    return chosen


def _filters(chosen, except_facet=None) -> Q:
    parts = [
        spec.selection_q(chosen.get(spec.name))
        for spec in FACETS
        if spec.name != except_facet and chosen.get(spec.name)
    ]
    return reduce(and_, parts, Q())


def facet_counts(base, chosen) -> dict[tuple[str, str], int]:
    """Every facet value's count in one aggregate query."""
    aggregates = {}
    keys = {}
    for spec in FACETS:
        others = _filters(chosen, except_facet=spec.name)
        for index, (code, _label) in enumerate(spec.choices()):
            alias = f"c_{spec.name}_{index}"
            keys[alias] = (spec.name, code)
            aggregates[alias] = Count("pk", filter=spec.value_q(code) & others)
    row = base.order_by().aggregate(**aggregates)
    return {keys[alias]: value for alias, value in row.items()}


def _query(chosen, sort, **extra) -> str:
    pairs = [(name, code) for name, codes in chosen.items() for code in codes]
    if sort != "date":
        pairs.append(("sort", sort))
    pairs.extend(extra.items())
    return urlencode(pairs)


def browse(user, index_page, params) -> Catalogue:
    chosen = selection(params)
    sort = params.get("sort") if params.get("sort") in SORTS else "date"
    base = listed_documents(user, DocumentPage.objects.child_of(index_page))
    counts = facet_counts(base, chosen)

    results = base.filter(_filters(chosen)).defer_streamfields()  # cards show no body
    if sort == "popularity":
        results = results.annotate(popularity=Coalesce(F("stats__downloads"), 0))
    results = results.order_by(*SORTS[sort])
    page_obj = Paginator(results, PER_PAGE).get_page(params.get("page"))

    facets = []
    active = []
    for spec in FACETS:
        selected = chosen.get(spec.name, [])
        view = FacetView(spec.name, spec.label)
        for code, label in spec.choices():
            view.values.append(FacetValue(code, label, counts[(spec.name, code)], code in selected))
            if code in selected:
                remaining = dict(chosen)
                remaining[spec.name] = [c for c in selected if c != code]
                active.append(ActiveFilter(label, "?" + _query(remaining, sort)))
        facets.append(view)
    featured = []
    if not chosen and page_obj.number == 1:
        featured = list(
            base.filter(featured=True)
            .defer_streamfields()
            .order_by("-last_published_at", "-pk")[:FEATURED]
        )
    return Catalogue(
        featured=featured,
        page_obj=page_obj,
        facets=facets,
        total=page_obj.paginator.count,
        sort=sort,
        sort_options=list(SORT_LABELS.items()),
        active_filters=active,
        page_query=_query(chosen, sort),
    )
