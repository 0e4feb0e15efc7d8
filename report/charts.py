"""The overview's charts laid out for inline SVG. Pure: numbers in, shapes out; the
template draws them (and escapes every label).

    bar_chart(shares)        -> BarChart   each outlet's share of wire copy and other shared copy
    heat_map(outlet_pairs)   -> HeatMap    passages from a source outlet (row) to a target (column)
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from report.page import OutletShare

LABEL_WIDTH = 220
BAR_WIDTH = 440
ROW_HEIGHT = 22
CELL = 22
TOP_MARGIN = 130


@dataclass(frozen=True)
class Bar:
    label: str
    y: int
    wire_width: float
    other_width: float
    wire_ratio: float
    shared_ratio: float
    articles: int


@dataclass(frozen=True)
class BarChart:
    bars: list[Bar]
    width: int
    height: int
    left_out: int  # outlets not drawn


def bar_chart(shares: list[OutletShare], limit: int = 40) -> BarChart:
    """outlet shares (in the order to draw) -> one stacked bar per outlet, at most `limit`."""
    bars = [
        Bar(
            label=s.outlet,
            y=i * ROW_HEIGHT,
            wire_width=round(BAR_WIDTH * s.wire_ratio, 1),
            other_width=round(BAR_WIDTH * max(0.0, s.shared_ratio - s.wire_ratio), 1),
            wire_ratio=s.wire_ratio,
            shared_ratio=s.shared_ratio,
            articles=s.articles,
        )
        for i, s in enumerate(shares[:limit])
    ]
    return BarChart(bars, LABEL_WIDTH + BAR_WIDTH + 170, max(1, len(bars)) * ROW_HEIGHT, max(0, len(shares) - limit))


@dataclass(frozen=True)
class Cell:
    x: int
    y: int
    fill: str
    source: str
    target: str
    passages: int
    shared_chars: int


@dataclass(frozen=True)
class HeatMap:
    outlets: list[str]
    cells: list[Cell]
    size: int  # side of the grid in pixels
    label_width: int  # room for the row labels, left
    top_margin: int  # room for the slanted column labels, above
    max_passages: int
    left_out: int  # outlets not drawn


def shade(fraction: float) -> str:
    """0..1 -> a colour from pale to deep blue."""
    low, high = (239, 243, 255), (8, 48, 107)
    r, g, b = (round(lo + (hi - lo) * fraction) for lo, hi in zip(low, high, strict=True))
    return f"#{r:02x}{g:02x}{b:02x}"


def heat_map(outlet_pairs: list[dict], limit: int = 25) -> HeatMap:
    """outlets.csv rows -> the source x target matrix of the `limit` outlets sharing most passages."""
    involvement: dict[str, int] = {}
    for row in outlet_pairs:
        for name in (row["source_outlet"], row["target_outlet"]):
            involvement[name] = involvement.get(name, 0) + row["passages"]
    ranked = sorted(involvement, key=lambda o: (-involvement[o], o))
    outlets = sorted(ranked[:limit])
    position = {o: i for i, o in enumerate(outlets)}
    drawn = [r for r in outlet_pairs if r["source_outlet"] in position and r["target_outlet"] in position]
    top = max((r["passages"] for r in drawn), default=1)
    cells = [
        Cell(
            x=position[r["target_outlet"]] * CELL,
            y=position[r["source_outlet"]] * CELL,
            fill=shade(math.log1p(r["passages"]) / math.log1p(top)),
            source=r["source_outlet"],
            target=r["target_outlet"],
            passages=r["passages"],
            shared_chars=r["shared_chars"],
        )
        for r in drawn
    ]
    return HeatMap(outlets, cells, len(outlets) * CELL, LABEL_WIDTH, TOP_MARGIN, top, max(0, len(ranked) - limit))
