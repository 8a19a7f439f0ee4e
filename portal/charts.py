"""Horizontal bar charts drawn as plain SVG by ``portal/includes/bar_chart.html`` (no script,
no inline style); each chart is shown with a data table carrying the same figures. Any module's
figures pages use them (alert dashboards, training reports)."""

from dataclasses import dataclass, field

CHART_WIDTH = 640
LABEL_HEIGHT = 18
BAR_HEIGHT = 16
ROW_HEIGHT = 44
VALUE_SPACE = 48


@dataclass(frozen=True)
class Bar:
    label: str
    count: int
    y_label: int
    y_bar: int
    width: int
    x_value: int
    y_value: int


@dataclass
class Chart:
    key: str
    title: str
    column: str
    value_label: str
    description: str
    rows: list
    bars: list = field(default_factory=list)
    height: int = 0
    width: int = CHART_WIDTH
    bar_height: int = BAR_HEIGHT


def bar_chart(key, title, column, value_label, rows: list[tuple[str, int]]) -> Chart:
    top = max((count for _label, count in rows), default=0) or 1
    usable = CHART_WIDTH - VALUE_SPACE
    bars = []
    for position, (label, count) in enumerate(rows):
        y = position * ROW_HEIGHT
        width = round(usable * count / top)
        bars.append(
            Bar(
                label=str(label),
                count=count,
                y_label=y + LABEL_HEIGHT - 4,
                y_bar=y + LABEL_HEIGHT,
                width=width,
                x_value=width + 6,
                y_value=y + LABEL_HEIGHT + BAR_HEIGHT - 3,
            )
        )
    return Chart(
        key=key,
        title=str(title),
        column=str(column),
        value_label=str(value_label),
        description="; ".join(f"{label}: {count}" for label, count in rows),
        rows=[(str(label), count) for label, count in rows],
        bars=bars,
        height=max(len(rows), 1) * ROW_HEIGHT,
    )
