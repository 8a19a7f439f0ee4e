"""Accessible SVG bar charts (geometry computed here, drawn by a template with its data table)."""

from dataclasses import dataclass, field

from benchmarks.scoring import MAX_SCORE

WIDTH = 560
LABEL_WIDTH = 220
ROW_HEIGHT = 30
BAR_HEIGHT = 16
VALUE_SPACE = 50


@dataclass(frozen=True)
class Bar:
    label: str
    value: float | None
    display: str
    y: int
    width: int
    x_value: int


@dataclass
class Chart:
    key: str
    title: str
    column: str
    value_column: str
    bars: list = field(default_factory=list)
    width: int = WIDTH
    height: int = 0
    label_width: int = LABEL_WIDTH
    bar_height: int = BAR_HEIGHT
    scale_ticks: list = field(default_factory=list)

    @property
    def description(self) -> str:
        return "; ".join(f"{bar.label} : {bar.display}" for bar in self.bars)


def score_chart(key, title, column, value_column, rows, display) -> Chart:
    """Horizontal bars on a fixed 0–5 scale, so that charts of several solutions compare."""
    usable = WIDTH - LABEL_WIDTH - VALUE_SPACE
    bars = []
    for position, (label, value) in enumerate(rows):
        width = round(usable * (value or 0) / MAX_SCORE)
        bars.append(
            Bar(
                label=str(label),
                value=value,
                display=display(value),
                y=position * ROW_HEIGHT + 6,
                width=width,
                x_value=LABEL_WIDTH + width + 6,
            )
        )
    ticks = [
        (LABEL_WIDTH + round(usable * tick / MAX_SCORE), tick) for tick in range(MAX_SCORE + 1)
    ]
    return Chart(
        key=key,
        title=title,
        column=column,
        value_column=value_column,
        bars=bars,
        height=max(len(rows), 1) * ROW_HEIGHT + 20,
        scale_ticks=ticks,
    )
