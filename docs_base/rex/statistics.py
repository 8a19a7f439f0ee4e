"""Regional figures over the published REX the member may view: counts only, never a title.

The access model filters the REX before counting, so a restricted REX is not even counted.

One query reads five small columns of the live REX; everything else is computed here, so the
cost does not depend on how the figures are cut. The charts are plain SVG geometry computed
here and drawn by the template (no script, no inline style).
"""

import statistics
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from docs_base.models.rex import IncidentType, RexPage
from portal.access import visible_to
from portal.accounts.models import EstablishmentType

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


def regional_figures(user) -> RegionalFigures:
    rows = list(
        visible_to(user, RexPage.objects.live()).values_list(
            "incident_type",
            "establishment_type",
            "occurred_on",
            "impact_patient_care",
            "duration_days",
        )
    )
    total = len(rows)
    by_incident: dict[str, int] = {}
    by_establishment: dict[str, int] = {}
    for incident, establishment, *_rest in rows:
        by_incident[incident] = by_incident.get(incident, 0) + 1
        by_establishment[establishment] = by_establishment.get(establishment, 0) + 1

    def labelled(counts, choices):
        labels = dict(choices)
        pairs = [(str(labels.get(code, code)), count) for code, count in counts.items()]
        return sorted(pairs, key=lambda pair: (-pair[1], pair[0]))

    patient_care = sum(1 for row in rows if row[3])
    durations = [row[4] for row in rows if row[4] is not None]
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
            labelled(by_establishment, EstablishmentType.choices),
        ),
        bar_chart(
            "quarter",
            _("Published experience feedback by quarter of the incident"),
            _("Quarter"),
            _quarters(row[2] for row in rows if row[2] is not None),
        ),
    ]
    return RegionalFigures(
        total=total,
        patient_care_count=patient_care,
        patient_care_share=round(100 * patient_care / total) if total else None,
        median_duration=statistics.median(durations) if durations else None,
        charts=charts,
    )
