"""What an anonymous REX may say about its establishment, in one place.

The context a reader sees (type, size, department) is coarsened until at least
``settings.REX_ANONYMITY_K`` validated establishments of the region share it: the department
becomes the region, the size a wider band, then nothing, and the type its family. The REX pages,
the REX list, its filter, the author's review step, "Mes retours d'expérience", the moderators'
admin panel and the statistics all go through this module.

The portal does not record how many staff an establishment has, so a size band is assumed to
split its group evenly: showing one band out of n needs n × k establishments in the group.
"""

from collections import Counter
from dataclasses import dataclass

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy

from portal import region
from portal.accounts.models import Establishment, EstablishmentType


class TypeFamily(models.TextChoices):
    HEALTH = "health", gettext_lazy("Health establishment")
    MEDICO_SOCIAL = "medico_social", gettext_lazy("Medico-social establishment")
    REGIONAL_BODY = "regional_body", gettext_lazy("Regional body")


TYPE_FAMILIES = {
    EstablishmentType.CHU: TypeFamily.HEALTH,
    EstablishmentType.CH: TypeFamily.HEALTH,
    EstablishmentType.PRIVATE_CLINIC: TypeFamily.HEALTH,
    EstablishmentType.ESPIC: TypeFamily.HEALTH,
    EstablishmentType.GHT: TypeFamily.HEALTH,
    EstablishmentType.EHPAD: TypeFamily.MEDICO_SOCIAL,
    EstablishmentType.ESMS: TypeFamily.MEDICO_SOCIAL,
    EstablishmentType.ARS: TypeFamily.REGIONAL_BODY,
    EstablishmentType.GCS: TypeFamily.REGIONAL_BODY,
}


class WideSize(models.TextChoices):
    UNDER_250 = "under_250", gettext_lazy("Fewer than 250 staff")
    FROM_250 = "250_plus", gettext_lazy("250 staff or more")


# Each size band (docs_base.models.rex.SizeBand values) and its wider band.
WIDE_SIZES = {
    "under_50": WideSize.UNDER_250,
    "50_249": WideSize.UNDER_250,
    "250_999": WideSize.FROM_250,
    "1000_4999": WideSize.FROM_250,
    "5000_plus": WideSize.FROM_250,
}
FINE_BAND_COUNT = len(WIDE_SIZES)

# From the finest context to the coarsest: (type or family, band / wide band / no size,
# department or region). Levels needing a size or a department the REX lacks are skipped.
LEVELS = (
    ("type", "band", "department"),
    ("type", "wide", "department"),
    ("type", None, "department"),
    ("type", "band", "region"),
    ("type", "wide", "region"),
    ("type", None, "region"),
    ("family", "wide", "region"),
    ("family", None, "region"),
)


def family_of(kind: str) -> str:
    return TYPE_FAMILIES.get(kind, TypeFamily.HEALTH).value


def types_of(family: str) -> set[str]:
    return {kind.value for kind, fam in TYPE_FAMILIES.items() if fam == family}


def threshold() -> int:
    return max(1, settings.REX_ANONYMITY_K)


class Population:
    """The region's validated establishments, counted by (type, department): one query."""

    def __init__(self, counts: Counter, k: int | None = None):
        self.counts = counts
        self.k = threshold() if k is None else k

    @classmethod
    def load(cls) -> "Population":
        departments = list(region.current().departments)
        rows = Establishment.objects.filter(validated=True, department__in=departments)
        return cls(Counter(rows.values_list("kind", "department")))

    def count(self, kinds, department: str | None = None) -> int:
        kinds = set(kinds)
        return sum(
            number
            for (kind, dept), number in self.counts.items()
            if kind in kinds and (department is None or dept == department)
        )

    def safe_types(self) -> list[str]:
        """The types shown as such region-wide (the same rule as a REX page's type)."""
        return [kind for kind in EstablishmentType.values if self.count({kind}) >= self.k]


@dataclass(frozen=True)
class ShownContext:
    """What readers see of a REX's establishment."""

    type_label: str
    size_label: str
    place_label: str
    identifying: bool  # even the coarsest level is shared by fewer than k establishments
    coarsened: bool  # something was left out or widened
    named: bool  # the establishment consented to be named: nothing is coarsened
    k: int

    @property
    def parts(self) -> list[str]:
        return [part for part in (self.type_label, self.size_label, self.place_label) if part]

    def __str__(self) -> str:
        return " · ".join(self.parts)


def _labels(rex, type_level, size_level, place_level) -> tuple[str, str, str]:
    if type_level == "type":
        type_label = str(dict(EstablishmentType.choices).get(rex.establishment_type, ""))
    else:
        type_label = str(TypeFamily(family_of(rex.establishment_type)).label)
    size_label = ""
    if size_level == "band":
        size_label = rex.get_size_band_display()
    elif size_level == "wide":
        size_label = str(WIDE_SIZES[rex.size_band].label)
    place_label = rex.department_label if place_level == "department" else region.current().name
    return type_label, str(size_label), place_label


def shown_context(rex, population: Population | None = None) -> ShownContext:
    """The context shown with ``rex`` (a REX page or a member's submission)."""
    population = population or Population.load()
    k = population.k
    department = rex.department if rex.department in region.current().departments else ""
    size = rex.size_band if rex.size_band in WIDE_SIZES else ""
    if rex.show_establishment_name:
        levels = [("type", "band" if size else None, "department" if department else "region")]
        labels = _labels(rex, *levels[0])
        return ShownContext(*labels, identifying=False, coarsened=False, named=True, k=k)
    candidates = [
        level
        for level in LEVELS
        if (level[1] is None or size) and (level[2] == "region" or department)
    ]
    finest = candidates[0]
    for type_level, size_level, place_level in candidates:
        kinds = (
            {rex.establishment_type}
            if type_level == "type"
            else types_of(family_of(rex.establishment_type))
        )
        pool = population.count(kinds, department if place_level == "department" else None)
        bands = {"band": FINE_BAND_COUNT, "wide": len(WideSize.values)}.get(size_level, 1)
        if pool >= k * bands:
            break
    labels = _labels(rex, type_level, size_level, place_level)
    return ShownContext(
        *labels,
        identifying=pool < k * bands,
        coarsened=(type_level, size_level, place_level) != finest,
        named=False,
        k=k,
    )


def type_filter_choices(population: Population) -> list[tuple[str, str]]:
    """Filter values for the REX list: the types shown as such, then the families."""
    labels = dict(EstablishmentType.choices)
    return [(kind, labels[kind]) for kind in population.safe_types()] + list(TypeFamily.choices)


def kinds_for_filter(value: str) -> set[str]:
    return types_of(value) if value in TypeFamily.values else {value}
