"""Regional figures over the published REX the member may view: counts only, never a title.

The access model filters the REX before counting, so a restricted REX is not even counted.
Counts per establishment type and per department follow the context each REX's page shows
(``anonymity.shown_context``): a cell never says more than the pages do.

One query reads five small columns of the live REX; everything else is computed here, so the
cost does not depend on how the figures are cut. The charts are plain SVG geometry computed
here and drawn by the template (no script, no inline style).
"""

import statistics
from dataclasses import dataclass, field
from typing import NamedTuple

from django.utils.translation import gettext as _

from docs_base.models import SizeBand
from docs_base.models.rex import IncidentType, RexPage
from docs_base.rex import anonymity
from portal import region
from portal.access import visible_to

CHART_WIDTH = 640
LABEL_HEIGHT = 18
BAR_HEIGHT = 16
ROW_HEIGHT = 44
VALUE_SPACE = 48  # room after the longest bar for its value


@dataclass(frozen=True)
class Bar:
    label: str
    count: int
    y_label: int  # baseline of the label text
    y_bar: int
    width: int
    x_value: int
    y_value: int


@dataclass
class Chart:
    key: str
    title: str
    column: str  # header of the table's first column
    description: str
    rows: list[tuple[str, int]]
    bars: list[Bar] = field(default_factory=list)
    height: int = 0
    width: int = CHART_WIDTH
    bar_height: int = BAR_HEIGHT


def bar_chart(key: str, title: str, column: str, rows: list[tuple[str, int]]) -> Chart:
    """A horizontal bar chart: one labelled bar per row, its value written after it."""
    top = max((count for _label, count in rows), default=0) or 1
    usable = CHART_WIDTH - VALUE_SPACE
    bars = []
    for position, (label, count) in enumerate(rows):
        y = position * ROW_HEIGHT
        width = round(usable * count / top)
        bars.append(
            Bar(
                label=label,
                count=count,
                y_label=y + LABEL_HEIGHT - 4,
                y_bar=y + LABEL_HEIGHT,
                width=width,
                x_value=width + 6,
                y_value=y + LABEL_HEIGHT + BAR_HEIGHT - 3,
            )
        )
    description = "; ".join(f"{label}: {count}" for label, count in rows)
    return Chart(
        key=key,
        title=title,
        column=column,
        description=description,
        rows=rows,
        bars=bars,
        height=max(len(rows), 1) * ROW_HEIGHT,
    )


class _Context(NamedTuple):
    """The context columns of a REX, as ``anonymity.shown_context`` reads them."""

    establishment_type: str
    size_band: str
    department: str
    show_establishment_name: bool

    def get_size_band_display(self) -> str:
        return str(dict(SizeBand.choices).get(self.size_band, ""))

    @property
    def department_label(self) -> str:
        return region.current().department_label(self.department)


def quarter_of(day) -> tuple[int, int]:
    return day.year, (day.month - 1) // 3 + 1


def quarter_label(year: int, quarter: int) -> str:
    return _("Q%(quarter)s %(year)s") % {"quarter": quarter, "year": year}


def _quarters(days) -> list[tuple[str, int]]:
    """Counts per quarter, from the first quarter with an incident to the last (gaps at 0)."""
    counts: dict[tuple[int, int], int] = {}
    for day in days:
        key = quarter_of(day)
        counts[key] = counts.get(key, 0) + 1
    if not counts:
        return []
    (year, quarter), last = min(counts), max(counts)
    rows = []
    while (year, quarter) <= last:
        rows.append((quarter_label(year, quarter), counts.get((year, quarter), 0)))
        year, quarter = (year + 1, 1) if quarter == 4 else (year, quarter + 1)
    return rows


@dataclass
class RegionalFigures:
    total: int
    patient_care_count: int
    patient_care_share: int | None  # percentage, None without any REX
    median_duration: float | None  # days, None when no REX gives a duration
    charts: list[Chart]
    anonymity_k: int  # each REX's context is shared by at least this many establishments


def regional_figures(user) -> RegionalFigures:
    rows = list(
        visible_to(user, RexPage.objects.live()).values_list(
            "incident_type",
            "occurred_on",
            "impact_patient_care",
            "duration_days",
            "establishment_type",
            "size_band",
            "department",
            "show_establishment_name",
        )
    )
    total = len(rows)
    population = anonymity.Population.load()
    by_incident: dict[str, int] = {}
    by_type: dict[str, int] = {}
    by_place: dict[str, int] = {}
    region_name = region.current().name
    not_shown = _("Department not shown")
    for incident, _day, _care, _days, *context in rows:
        by_incident[incident] = by_incident.get(incident, 0) + 1
        # Each REX counts under its type and place as its page shows them: a cell never says
        # more than the pages, and so is shared by k establishments (or flagged there).
        shown = anonymity.shown_context(_Context(*context), population)
        by_type[shown.type_label] = by_type.get(shown.type_label, 0) + 1
        place = not_shown if shown.place_label == region_name else shown.place_label
        by_place[place] = by_place.get(place, 0) + 1

    def ranked(pairs):
        return sorted(pairs, key=lambda pair: (-pair[1], pair[0]))

    def labelled(counts, choices):
        labels = dict(choices)
        return ranked((str(labels.get(code, code)), count) for code, count in counts.items())

    patient_care = sum(1 for row in rows if row[2])
    durations = [row[3] for row in rows if row[3] is not None]
    charts = [
        bar_chart(
            "incident-type",
            _("Published experience feedback by incident type"),
            _("Incident type"),
            labelled(by_incident, IncidentType.choices),
        ),
        bar_chart(
            "establishment-type",
            _("Published experience feedback by establishment type"),
            _("Establishment type"),
            ranked(by_type.items()),
        ),
        bar_chart(
            "department",
            _("Published experience feedback by department"),
            _("Department"),
            ranked(by_place.items()),
        ),
        bar_chart(
            "quarter",
            _("Published experience feedback by quarter of the incident"),
            _("Quarter"),
            _quarters(row[1] for row in rows if row[1] is not None),
        ),
    ]
    return RegionalFigures(
        total=total,
        patient_care_count=patient_care,
        patient_care_share=round(100 * patient_care / total) if total else None,
        median_duration=statistics.median(durations) if durations else None,
        charts=charts,
        anonymity_k=population.k,
    )
