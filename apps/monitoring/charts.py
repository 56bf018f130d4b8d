"""Bar charts of the yearly report as PNG images (matplotlib, Agg, no pyplot global state).

DejaVu Serif ships with matplotlib and has Cyrillic, so the charts look the same on every
server and need no system fonts or network.
"""

from __future__ import annotations

import io
from collections.abc import Sequence

FONT = {"family": "DejaVu Serif", "size": 9}
COLOURS = ("#9aa7b8", "#2f4b7c")  # «before» light, «after» dark; readable in greyscale


def _figure(height: float):
    # Imported here: matplotlib costs ~0.4 s to import, and only the report draws.
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    figure = Figure(figsize=(6.3, height), layout="constrained")
    FigureCanvasAgg(figure)
    return figure


def _png(figure) -> bytes:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=150, metadata={"Software": None})
    return buffer.getvalue()


def _number(value: float) -> str:
    return f"{value:g}".replace(".", ",")


def bars(labels: Sequence[str], values: Sequence[float], *, xlabel: str) -> bytes:
    """Horizontal bars, one per label, the value written at the end of each bar."""
    height = 1.0 + 0.4 * len(labels)
    figure = _figure(height)
    axes = figure.add_subplot()
    positions = range(len(labels))
    drawn = axes.barh(positions, values, height=0.6, color=COLOURS[1])
    axes.bar_label(drawn, labels=[_number(v) for v in values], padding=3, fontsize=9)
    axes.set_yticks(list(positions), labels=list(labels), **FONT)
    axes.set_ylim(len(labels) - 0.5, -0.5)
    axes.set_xlabel(xlabel, **FONT)
    axes.set_xlim(0, max([*values, 1]) * 1.15)
    axes.xaxis.get_major_locator().set_params(integer=True)
    axes.tick_params(labelsize=9)
    axes.spines[["top", "right"]].set_visible(False)
    return _png(figure)


def paired_bars(
    labels: Sequence[str],
    before: Sequence[float | None],
    after: Sequence[float | None],
    *,
    legend: tuple[str, str],
    xlabel: str,
    limit: float,
) -> bytes:
    """Two horizontal bars per label (e.g. start and end), with a legend; a missing value is
    left out and its label says «нет данных»."""
    height = 1.4 + 0.6 * len(labels)
    figure = _figure(height)
    axes = figure.add_subplot()
    width = 0.38
    for shift, values, name, colour in (
        (-width / 2, before, legend[0], COLOURS[0]),
        (width / 2, after, legend[1], COLOURS[1]),
    ):
        positions = [i + shift for i, v in enumerate(values) if v is not None]
        shown = [v for v in values if v is not None]
        drawn = axes.barh(positions, shown, height=width, color=colour, label=name)
        axes.bar_label(drawn, labels=[_number(v) for v in shown], padding=3, fontsize=8)
        for i, v in enumerate(values):
            if v is None and (before[i] is not None or after[i] is not None):
                axes.text(0.05, i + shift, "нет данных", va="center", **FONT)
    for i in range(len(labels)):
        if before[i] is None and after[i] is None:
            axes.text(0.05, i, "нет данных", va="center", **FONT)
    axes.set_yticks(range(len(labels)), labels=list(labels), **FONT)
    axes.set_ylim(len(labels) - 0.5, -0.5)  # the first label on top
    axes.set_xlim(0, limit * 1.1)
    axes.set_xlabel(xlabel, **FONT)
    axes.tick_params(labelsize=9)
    figure.legend(prop=FONT, loc="outside upper center", ncols=2, frameon=False)
    axes.spines[["top", "right"]].set_visible(False)
    return _png(figure)
