"""Server-side SVG charts: the geometry is computed here, the template only draws it."""

from dataclasses import dataclass

BAR_LEFT = 130
BAR_WIDTH = 360
ROW_HEIGHT = 20


@dataclass(frozen=True)
class Series:
    name: str
    color: str


def bar_chart(title: str, rows: list[tuple[str, list[int]]], series: list[Series]) -> dict:
    """Stacked horizontal bars. ``rows`` = [(label, [value per series])]."""
    largest = max((sum(values) for _label, values in rows), default=0) or 1
    drawn = []
    for index, (label, values) in enumerate(rows):
        x: float = BAR_LEFT
        parts = []
        for value, s in zip(values, series, strict=True):
            width = round(BAR_WIDTH * value / largest, 1)
            parts.append({"x": x, "width": width, "color": s.color, "name": s.name, "value": value})
            x += width
        drawn.append(
            {"label": label, "y": index * ROW_HEIGHT, "parts": parts, "total": sum(values), "end": x + 4}
        )
    legend = [(s.name, s.color) for s in series] if len(series) > 1 else []
    return {
        "title": title,
        "rows": drawn,
        "height": max(ROW_HEIGHT, len(rows) * ROW_HEIGHT),
        "legend": legend,
    }
