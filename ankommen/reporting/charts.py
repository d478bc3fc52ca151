"""Charts of the dashboards and reports: matplotlib (Agg) drawing SVG that is inlined in the page and the PDF.

One library for every chart. Each chart is readable without colour (a marker and line style per series, a
hatch per bar series, a legend) and always comes with its data table (`Chart.table`, rendered by
`reporting/_chart.html` and exportable through `ankommen.core.exports`).

The CSP (`style-src 'self'`) blocks `style` attributes and `<style>` elements, inline SVG included. matplotlib
writes both, so `_clean_svg` turns every `style` declaration into the SVG presentation attribute of the same
name (`fill`, `stroke`, `font-size`, ... are attributes in SVG; the CSP does not touch attributes), drops the
`<style>` element, the XML prolog and the metadata, and gives every referenced id a prefix unique to the chart,
so that several charts in one page do not clash. Text stays text (`svg.fonttype = none`): screen readers,
search and pdftotext see it, and no font is embedded or fetched. The output is deterministic (`svg.hashsalt`,
no date), so equal inputs give equal bytes, and charts are cached by a digest of their inputs.
"""

from __future__ import annotations

import hashlib
import io
import math
import re
import threading
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache
from html import escape
from typing import TYPE_CHECKING, Any

from django.utils.formats import number_format
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, gettext

from ankommen.core.exports import Table

if TYPE_CHECKING:
    from matplotlib.figure import Figure


@cache
def _matplotlib() -> None:
    """Load and configure matplotlib on the first chart, not when the URLs are loaded (it costs most of a second)."""
    import logging

    import matplotlib

    matplotlib.use("Agg")
    matplotlib.rcParams.update(
        {
            "svg.fonttype": "none",
            "svg.hashsalt": "ankommen",
            "font.family": "sans-serif",
            "font.sans-serif": ["Fira Sans", "DejaVu Sans"],
            "font.size": 9,
            "axes.spines.top": False,
            "axes.spines.right": False,
            "axes.titlesize": 10,
            "legend.frameon": False,
            "text.parse_math": False,
        }
    )
    # Fira Sans is the KERN page font; matplotlib measures with DejaVu Sans when Fira is not installed.
    logging.getLogger("matplotlib.font_manager").setLevel(logging.ERROR)


# Okabe-Ito: distinguishable with the common colour-vision deficiencies; shape and pattern carry it anyway.
COLOURS = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000", "#999999"]
MARKERS = ["o", "s", "^", "D", "v", "P", "X", "*"]
LINE_STYLES = ["-", "--", ":", "-."]
HATCHES = ["", "///", "...", "xxx", "\\\\\\", "---", "+++", "ooo"]
WIDTH_INCHES = 7.2
HEIGHT_INCHES = 3.2
MAX_VERTICAL_CATEGORIES = 12
MAX_AXIS_LABEL = 28
CACHE_SIZE = 256
NO_VALUE = "–"


@dataclass(frozen=True)
class Series:
    label: str
    values: Sequence[float | None]
    # What the data table shows instead of the value, e.g. "< 5" for a suppressed count (the value is then None).
    display: Sequence[str] | None = None


@dataclass(frozen=True)
class Chart:
    title: str
    # <svg role="img"> with <title> and <desc>, presentation attributes only (see the module docstring).
    svg: SafeString
    table: Table
    description: str = ""


def line_chart(
    *,
    title: str,
    x_labels: Sequence[str],
    series: Sequence[Series],
    y_label: str = "",
    x_heading: str = "",
) -> Chart:
    """Trends over periods: one line per series, with its own marker and line style; gaps where a value is None."""
    return _cached("line", title, list(x_labels), list(series), y_label, x_heading or gettext("Period"))


def bar_chart(
    *,
    title: str,
    categories: Sequence[str],
    series: Sequence[Series],
    y_label: str = "",
    category_heading: str = "",
) -> Chart:
    """Comparisons between categories: grouped bars, a hatch per series; horizontal for many categories."""
    return _cached("bar", title, list(categories), list(series), y_label, category_heading or gettext("Category"))


def chart_table(*, title: str, labels: Sequence[str], series: Sequence[Series], heading: str) -> Table:
    rows = []
    for index, label in enumerate(labels):
        row: list[object] = [label]
        for item in series:
            display = item.display[index] if item.display is not None and index < len(item.display) else ""
            value = item.values[index] if index < len(item.values) else None
            row.append(display or value)
        rows.append(row)
    return Table(title=title, columns=[heading, *(item.label for item in series)], rows=rows)


# --- cache -----------------------------------------------------------------------------------------------------

_cache: OrderedDict[str, Chart] = OrderedDict()
# matplotlib's text layout and the shared rcParams are not made for concurrent drawing.
_lock = threading.Lock()


def _cache_key(*parts: Any) -> str:
    return hashlib.sha256(repr(parts).encode("utf-8")).hexdigest()


def _cached(kind: str, title: str, labels: list[str], series: list[Series], y_label: str, heading: str) -> Chart:
    frozen_series = [
        (item.label, tuple(_number(value) for value in item.values), tuple(item.display or ())) for item in series
    ]
    key = _cache_key(kind, title, labels, frozen_series, y_label, heading, get_language())
    with _lock:
        chart = _cache.get(key)
        if chart is not None:
            _cache.move_to_end(key)
            return chart
        table = chart_table(title=title, labels=labels, series=series, heading=heading)
        description = _describe(kind, labels, series)
        draw = _draw_line if kind == "line" else _draw_bars
        raw = _render(lambda figure: draw(figure, labels, series, y_label))
        svg = _clean_svg(raw, prefix="c" + key[:10], title=title, description=description)
        chart = Chart(title=title, svg=svg, table=table, description=description)
        _cache[key] = chart
        if len(_cache) > CACHE_SIZE:
            _cache.popitem(last=False)
        return chart


def clear_cache() -> None:
    with _lock:
        _cache.clear()


# --- drawing ---------------------------------------------------------------------------------------------------


def _number(value: object) -> float:
    if value is None:
        return math.nan
    return float(value)  # type: ignore[arg-type]


def format_number(value: float) -> str:
    if value == int(value):
        return number_format(int(value), force_grouping=True)
    return number_format(round(value, 2), force_grouping=True)


def _value_axis(axis: Any, series: list[Series]) -> None:
    values = [float(value) for item in series for value in item.values if value is not None]
    # Counts get whole-number ticks; an axis of nothing but zeros gets 0 and 1, not 0.00 to 0.05.
    whole = all(value.is_integer() for value in values)
    from matplotlib.ticker import FuncFormatter, MaxNLocator

    axis.set_major_formatter(FuncFormatter(lambda value, _position: format_number(value)))
    axis.set_major_locator(MaxNLocator(nbins=6, integer=whole, min_n_ticks=2))
    if not any(values):
        if axis is axis.axes.xaxis:
            axis.axes.set_xlim(0, 1)
        else:
            axis.axes.set_ylim(0, 1)


def _short(label: str) -> str:
    return label if len(label) <= MAX_AXIS_LABEL else label[: MAX_AXIS_LABEL - 1] + "…"


def _render(draw: Callable[[Figure], None], *, width: float = WIDTH_INCHES, height: float = HEIGHT_INCHES) -> str:
    _matplotlib()
    from matplotlib.figure import Figure

    # Fixed margins (`_margins`) instead of a layout engine: constrained layout draws every chart twice.
    figure = Figure(figsize=(width, height))
    draw(figure)
    buffer = io.StringIO()
    figure.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None, "Format": None, "Type": None})
    return buffer.getvalue()


def _margins(figure: Figure, *, left_chars: int, rotated: bool, legend: bool, label: bool) -> None:
    width, height = figure.get_size_inches()
    left = (0.35 + 0.065 * left_chars + (0.25 if label else 0)) / width
    bottom = (0.75 if rotated else 0.4) / height
    top = 1 - (0.45 if legend else 0.15) / height
    figure.subplots_adjust(left=left, right=1 - 0.15 / width, bottom=bottom, top=top)


def _no_data(axes: Any) -> None:
    axes.text(0.5, 0.5, gettext("No figures"), transform=axes.transAxes, ha="center", va="center")


def _legend(axes: Any, count: int) -> None:
    if count > 1:
        axes.legend(loc="lower left", bbox_to_anchor=(0, 1.0), ncols=min(count, 3), fontsize=8, handlelength=3)


def _draw_line(figure: Figure, labels: list[str], series: list[Series], y_label: str) -> None:
    axes = figure.add_subplot()
    positions = list(range(len(labels)))
    has_values = False
    for index, item in enumerate(series):
        values = [_number(value) for value in item.values][: len(labels)]
        has_values |= any(not math.isnan(value) for value in values)
        axes.plot(
            positions[: len(values)],
            values,
            label=item.label,
            color=COLOURS[index % len(COLOURS)],
            marker=MARKERS[index % len(MARKERS)],
            linestyle=LINE_STYLES[index % len(LINE_STYLES)],
            linewidth=1.6,
            markersize=5,
        )
    step = max(1, math.ceil(len(labels) / 12))
    axes.set_xticks(positions[::step], [_short(label) for label in labels[::step]])
    rotated = len(labels) > 6 and max((len(label) for label in labels), default=0) > 5
    if rotated:
        axes.tick_params(axis="x", labelrotation=45)
        for text in axes.get_xticklabels():
            text.set_horizontalalignment("right")
    _margins(figure, left_chars=_tick_chars(series), rotated=rotated, legend=len(series) > 1, label=bool(y_label))
    if len(labels) == 1:
        axes.set_xlim(-1, 1)
    _value_axis(axes.yaxis, series)
    if _all_non_negative(series):
        axes.set_ylim(bottom=0)
    axes.grid(axis="y", color="#d0d0d0", linewidth=0.6)
    axes.set_axisbelow(True)
    if y_label:
        axes.set_ylabel(y_label)
    if not has_values:
        _no_data(axes)
    _legend(axes, len(series))


def _tick_chars(series: list[Series]) -> int:
    """Room for the value axis's tick labels: the widest value, formatted, with a little to spare."""
    values = [abs(float(value)) for item in series for value in item.values if value is not None]
    return len(format_number(max(values, default=0) * 1.2)) + 1


def _all_non_negative(series: list[Series]) -> bool:
    return all(value is None or float(value) >= 0 for item in series for value in item.values)


def _draw_bars(figure: Figure, labels: list[str], series: list[Series], y_label: str) -> None:
    horizontal = len(labels) > MAX_VERTICAL_CATEGORIES
    if horizontal:
        figure.set_size_inches(WIDTH_INCHES, max(HEIGHT_INCHES, 0.9 + 0.16 * len(labels) * max(1, len(series))))
    axes = figure.add_subplot()
    count = max(1, len(series))
    width = 0.8 / count
    has_values = False
    for index, item in enumerate(series):
        offsets = [position - 0.4 + width * (index + 0.5) for position in range(len(labels))]
        values = [_number(value) for value in item.values][: len(labels)]
        has_values |= any(not math.isnan(value) for value in values)
        drawn = [0.0 if math.isnan(value) else value for value in values]
        style: dict[str, Any] = {
            "label": item.label,
            "color": COLOURS[index % len(COLOURS)],
            "edgecolor": "#000000",
            "linewidth": 0.6,
            "hatch": HATCHES[index % len(HATCHES)],
        }
        if horizontal:
            axes.barh(offsets[: len(drawn)], drawn, height=width, **style)
        else:
            axes.bar(offsets[: len(drawn)], drawn, width=width, **style)
        # A hidden or missing value gets its text where the bar would be, so no bar reads as zero.
        for offset, value, position in zip(offsets, values, range(len(values)), strict=False):
            if math.isnan(value):
                text = (item.display[position] if item.display and position < len(item.display) else "") or NO_VALUE
                if horizontal:
                    axes.text(0, offset, " " + text, va="center", ha="left", fontsize=7)
                else:
                    axes.text(offset, 0, text, va="bottom", ha="center", fontsize=7)
    positions = list(range(len(labels)))
    short = [_short(label) for label in labels]
    if horizontal:
        _margins(
            figure,
            left_chars=max((len(label) for label in short), default=4),
            rotated=False,
            legend=count > 1,
            label=False,
        )
        axes.set_yticks(positions, short)
        axes.invert_yaxis()
        _value_axis(axes.xaxis, series)
        axes.grid(axis="x", color="#d0d0d0", linewidth=0.6)
        if y_label:
            axes.set_xlabel(y_label)
    else:
        axes.set_xticks(positions, short)
        rotated = len(labels) > 4 and max((len(label) for label in labels), default=0) > 8
        if rotated:
            axes.tick_params(axis="x", labelrotation=30)
            for tick in axes.get_xticklabels():
                tick.set_horizontalalignment("right")
        _margins(figure, left_chars=_tick_chars(series), rotated=rotated, legend=count > 1, label=bool(y_label))
        _value_axis(axes.yaxis, series)
        axes.grid(axis="y", color="#d0d0d0", linewidth=0.6)
        if y_label:
            axes.set_ylabel(y_label)
    axes.set_axisbelow(True)
    if not has_values:
        _no_data(axes)
    _legend(axes, len(series))


def _describe(kind: str, labels: list[str], series: list[Series]) -> str:
    parts = []
    for item in series:
        known = [(label, float(value)) for label, value in zip(labels, item.values, strict=False) if value is not None]
        if not known:
            parts.append(gettext("%(series)s: no figures shown") % {"series": item.label})
            continue
        highest = max(known, key=lambda pair: pair[1])
        if kind == "line":
            parts.append(
                gettext("%(series)s from %(first)s (%(first_label)s) to %(last)s (%(last_label)s)")
                % {
                    "series": item.label,
                    "first": format_number(known[0][1]),
                    "first_label": known[0][0],
                    "last": format_number(known[-1][1]),
                    "last_label": known[-1][0],
                }
            )
        else:
            parts.append(
                gettext("%(series)s highest at %(label)s with %(value)s")
                % {"series": item.label, "label": highest[0], "value": format_number(highest[1])}
            )
    summary = "; ".join(parts)
    return gettext("%(summary)s. All figures are in the data table.") % {"summary": summary} if summary else ""


# --- SVG for a page under a strict CSP ----------------------------------------------------------------------------

_STYLE_ATTRIBUTE = re.compile(r' style="([^"]*)"')
_ID_ATTRIBUTE = re.compile(r' id="([^"]+)"')
_REFERENCE = re.compile(r'(xlink:href="#|href="#|url\(#)([^")]+)')
_SVG_OPEN = re.compile(r"<svg\b[^>]*>")
_VIEW_BOX = re.compile(r'viewBox="([^"]+)"')
_DROPPED = [
    re.compile(r"<metadata>.*?</metadata>\s*", re.DOTALL),
    re.compile(r"<style[^>]*>.*?</style>\s*", re.DOTALL),
    re.compile(r"<defs>\s*</defs>\s*"),
]
# The properties matplotlib writes; each is also an SVG presentation attribute.
_PRESENTATION = {
    "clip-path",
    "fill",
    "fill-opacity",
    "fill-rule",
    "font-family",
    "font-size",
    "font-style",
    "font-weight",
    "opacity",
    "stroke",
    "stroke-dasharray",
    "stroke-dashoffset",
    "stroke-linecap",
    "stroke-linejoin",
    "stroke-miterlimit",
    "stroke-opacity",
    "stroke-width",
    "text-anchor",
    "dominant-baseline",
    "letter-spacing",
}


def _attributes(match: re.Match[str]) -> str:
    attributes = []
    for declaration in match.group(1).split(";"):
        name, _, value = declaration.partition(":")
        name, value = name.strip(), value.strip()
        if name in _PRESENTATION and value:
            attributes.append(f' {name}="{escape(value, quote=True)}"')
    return "".join(attributes)


def _clean_svg(raw: str, *, prefix: str, title: str, description: str) -> SafeString:
    svg = raw[raw.index("<svg") :]
    for pattern in _DROPPED:
        svg = pattern.sub("", svg)
    svg = _STYLE_ATTRIBUTE.sub(_attributes, svg)
    referenced = {match.group(2) for match in _REFERENCE.finditer(svg)}

    def rename_id(match: re.Match[str]) -> str:
        return f' id="{prefix}-{match.group(1)}"' if match.group(1) in referenced else ""

    svg = _ID_ATTRIBUTE.sub(rename_id, svg)
    svg = _REFERENCE.sub(lambda match: f"{match.group(1)}{prefix}-{match.group(2)}", svg)
    view_box_match = _VIEW_BOX.search(svg)
    view_box = view_box_match.group(1) if view_box_match else "0 0 518 230"
    described_by = f' aria-describedby="{prefix}-desc"' if description else ""
    opening = (
        '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"'
        f' viewBox="{view_box}" width="100%" class="ankommen-chart__image" role="img" focusable="false"'
        f' aria-labelledby="{prefix}-title"{described_by} stroke-linejoin="round" stroke-linecap="butt">'
        f'<title id="{prefix}-title">{escape(title)}</title>'
        + (f'<desc id="{prefix}-desc">{escape(description)}</desc>' if description else "")
    )
    svg = _SVG_OPEN.sub(lambda _match: opening, svg, count=1)
    return mark_safe(svg.strip())  # noqa: S308 - built from matplotlib's output with every text escaped
