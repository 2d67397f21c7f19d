"""The dashboard's charts as PNG images for the Word document, drawn on the server with
matplotlib (no browser, no internet) in the font the project vendors: static/vendor/
noto-sans-cjk-sc (a GB 2312 subset of Noto Sans CJK SC), so Chinese labels never depend on
the machine's fonts."""

from __future__ import annotations

import threading
from collections import OrderedDict
from io import BytesIO
from pathlib import Path

from django.conf import settings
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from ..charts import Chart

FONT = Path(settings.BASE_DIR) / "static/vendor/noto-sans-cjk-sc/NotoSansCJKsc-Regular-GB2312.otf"
COLOURS = ["#2f6db5", "#d9822b", "#3a9a5b", "#b53f3f"]
DRAWN_KEPT = 64  # pictures kept a process (~30-60 KB each)
_DRAWN: OrderedDict[tuple, bytes] = OrderedDict()
_LOCK = threading.Lock()


def _setup():
    """matplotlib without a display, the vendored font registered: once a process, when this
    module is first imported (a web worker at its start, ~0.4 s), not in a reader's request."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import font_manager

    font_manager.fontManager.addfont(str(FONT))
    return font_manager.FontProperties(fname=str(FONT))


_FONT = _setup()


def _font():
    return _FONT


def png(chart: Chart, *, width: float = 6.0, height: float = 3.2) -> bytes:
    """``chart`` drawn as the dashboard draws it: a line, bars or horizontal bars. A chart is
    drawn once a process for the same figures (its ``data``: title, categories, values)."""
    key = (chart.data, width, height)
    with _LOCK:
        drawn = _DRAWN.get(key)
        if drawn is not None:
            _DRAWN.move_to_end(key)
            return drawn
    drawn = _draw(chart, width=width, height=height)
    with _LOCK:
        _DRAWN[key] = drawn
        while len(_DRAWN) > DRAWN_KEPT:
            _DRAWN.popitem(last=False)
    return drawn


def _draw(chart: Chart, *, width: float, height: float) -> bytes:
    font = _font()

    figure = Figure(figsize=(width, height), dpi=150)
    axes = figure.add_subplot()
    categories = [str(c) for c in chart.categories]
    positions = list(range(len(categories)))
    for index, (name, figures) in enumerate(chart.series):
        values = [f.value for f in figures]
        colour = COLOURS[index % len(COLOURS)]
        if chart.kind == "line":
            axes.plot(positions, values, marker="o", color=colour, label=name)
            for x, y in zip(positions, values, strict=True):
                axes.annotate(
                    str(y),
                    (x, y),
                    textcoords="offset points",
                    xytext=(0, 5),
                    ha="center",
                    fontproperties=font,
                    fontsize=7,
                )
        elif chart.kind == "hbar":
            bars = axes.barh(positions, values, color=colour, label=name)
            axes.bar_label(bars, fontproperties=font, fontsize=7, padding=2)
        else:
            bars = axes.bar(positions, values, color=colour, label=name)
            axes.bar_label(bars, fontproperties=font, fontsize=7, padding=2)
    if chart.kind == "hbar":
        axes.set_yticks(positions, categories, fontproperties=font, fontsize=8)
        axes.invert_yaxis()
        axes.set_xlabel(chart.unit, fontproperties=font)
    else:
        axes.set_xticks(positions, categories, fontproperties=font, fontsize=8)
        axes.set_ylabel(chart.unit, fontproperties=font, rotation=0, labelpad=12)
    whole = all(isinstance(f.value, int) for _name, figures in chart.series for f in figures)
    if whole:
        (axes.xaxis if chart.kind == "hbar" else axes.yaxis).set_major_locator(
            MaxNLocator(integer=True)
        )
    axes.set_title(chart.title, fontproperties=font, fontsize=11)
    axes.spines[["top", "right"]].set_visible(False)
    if len(chart.series) > 1:
        axes.legend(prop=font)
    if chart.kind == "hbar":
        figure.tight_layout()  # the branches' names: as wide as they come
    else:
        # Years and short categories under the axis: fixed margins, not measured (tight_layout
        # drew each picture twice, half its time).
        figure.subplots_adjust(left=0.1, right=0.97, top=0.88, bottom=0.12)
    out = BytesIO()
    figure.savefig(out, format="png")
    return out.getvalue()
