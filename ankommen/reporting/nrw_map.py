"""A map of North Rhine-Westphalia with the centres, drawn as SVG without tiles (the app runs without internet).

The land's shape comes from the 396 municipalities' coordinates, drawn as faint dots; the centres sit on it
with a shape per status (circle, triangle, diamond, open circle), explained by a legend in words, and each
point carries its name, status and value as a tooltip (<title>). The table beside it says everything the map
shows. The SVG uses presentation attributes only, like the charts (the CSP forbids `style`).
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from html import escape

from django.utils.formats import number_format
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, gettext, pgettext

from ankommen.core.exports import Table
from ankommen.reporting.charts import Chart

# The bounding box of NRW (degrees) with a little margin; points outside widen it.
NRW_SOUTH, NRW_NORTH = 50.30, 52.56
NRW_WEST, NRW_EAST = 5.84, 9.48
WIDTH = 520
LEGEND_HEIGHT = 56
MAX_NAMED_POINTS = 8


class MapStatus(StrEnum):
    """A centre's status on the map; the dashboard maps its traffic light onto these."""

    ON_TRACK = "on_track"
    WATCH = "watch"
    ACTION = "action"
    UNKNOWN = "unknown"


def status_label(status: MapStatus) -> str:
    return {
        MapStatus.ON_TRACK: pgettext("map status", "on track"),
        MapStatus.WATCH: pgettext("map status", "to watch"),
        MapStatus.ACTION: pgettext("map status", "needs action"),
        MapStatus.UNKNOWN: pgettext("map status", "no figures"),
    }[status]


# Shape, fill and outline per status: never colour alone, the shapes differ.
_SYMBOLS: dict[MapStatus, tuple[str, str, str]] = {
    MapStatus.ON_TRACK: ("circle", "#009E73", "#00513c"),
    MapStatus.WATCH: ("triangle", "#E69F00", "#6b4a00"),
    MapStatus.ACTION: ("diamond", "#D55E00", "#5e2900"),
    MapStatus.UNKNOWN: ("ring", "#ffffff", "#4d4d4d"),
}


_DRAW_ORDER = {MapStatus.UNKNOWN: 0, MapStatus.ON_TRACK: 1, MapStatus.WATCH: 2, MapStatus.ACTION: 3}


@dataclass(frozen=True)
class MapPoint:
    label: str
    latitude: float
    longitude: float
    status: MapStatus | str
    value_text: str = ""


def centre_map(
    points: Sequence[MapPoint],
    *,
    title: str,
    backdrop: Sequence[tuple[float, float]] | None = None,
    value_heading: str = "",
) -> Chart:
    """The map with its table. `backdrop` is (latitude, longitude) pairs; by default the municipalities'."""
    if backdrop is None:
        backdrop = municipality_coordinates()
    statuses = [MapStatus(point.status) for point in points]
    table = Table(
        title=title,
        columns=[gettext("Centre"), gettext("Status"), value_heading or gettext("Value")],
        rows=[
            [point.label, status_label(status), point.value_text]
            for point, status in zip(points, statuses, strict=True)
        ],
    )
    description = _describe(statuses)
    prefix = "m" + hashlib.sha256(repr((title, points, get_language())).encode("utf-8")).hexdigest()[:10]
    svg = _svg(points, statuses, backdrop=backdrop, title=title, description=description, prefix=prefix)
    return Chart(title=title, svg=svg, table=table, description=description)


def municipality_coordinates() -> list[tuple[float, float]]:
    from ankommen.regions.models import Municipality

    return list(Municipality.objects.order_by("key").values_list("latitude", "longitude"))


def _describe(statuses: list[MapStatus]) -> str:
    counts = ", ".join(
        f"{sum(1 for status in statuses if status is kind)} {status_label(kind)}"
        for kind in MapStatus
        if any(status is kind for status in statuses)
    )
    return gettext("Map of North Rhine-Westphalia with %(count)s centres (%(counts)s). The table lists them all.") % {
        "count": len(statuses),
        "counts": counts or "0",
    }


class _Projection:
    """Equirectangular, with longitude shrunk by the cosine of the middle latitude: true enough for one land."""

    def __init__(self, coordinates: Sequence[tuple[float, float]]) -> None:
        latitudes = [NRW_SOUTH, NRW_NORTH, *(lat for lat, _ in coordinates)]
        longitudes = [NRW_WEST, NRW_EAST, *(lon for _, lon in coordinates)]
        self.south, self.north = min(latitudes), max(latitudes)
        self.west, self.east = min(longitudes), max(longitudes)
        self.scale_x = math.cos(math.radians((self.south + self.north) / 2))
        span_x = (self.east - self.west) * self.scale_x
        self.factor = (WIDTH - 20) / span_x
        self.height = (self.north - self.south) * self.factor + 20

    def __call__(self, latitude: float, longitude: float) -> tuple[float, float]:
        x = 10 + (longitude - self.west) * self.scale_x * self.factor
        y = 10 + (self.north - latitude) * self.factor
        return round(x, 1), round(y, 1)


def _symbol(status: MapStatus, x: float, y: float, size: float = 6.5) -> str:
    shape, fill, outline = _SYMBOLS[status]
    if shape == "circle":
        return f'<circle cx="{x}" cy="{y}" r="{size}" fill="{fill}" stroke="{outline}" stroke-width="1.2"/>'
    if shape == "ring":
        return (
            f'<circle cx="{x}" cy="{y}" r="{size - 1}" fill="{fill}" stroke="{outline}" stroke-width="2"'
            ' stroke-dasharray="2,1.5"/>'
        )
    if shape == "triangle":
        height = size * 1.9
        points = f"{x},{y - height * 0.6} {x - size * 1.1},{y + height * 0.4} {x + size * 1.1},{y + height * 0.4}"
        return f'<polygon points="{_round_points(points)}" fill="{fill}" stroke="{outline}" stroke-width="1.2"/>'
    reach = size * 1.25
    points = f"{x},{y - reach} {x + reach},{y} {x},{y + reach} {x - reach},{y}"
    return f'<polygon points="{_round_points(points)}" fill="{fill}" stroke="{outline}" stroke-width="1.2"/>'


def _round_points(points: str) -> str:
    return " ".join(",".join(f"{float(part):.1f}" for part in pair.split(",")) for pair in points.split())


def _svg(
    points: Sequence[MapPoint],
    statuses: list[MapStatus],
    *,
    backdrop: Sequence[tuple[float, float]],
    title: str,
    description: str,
    prefix: str,
) -> SafeString:
    project = _Projection([*backdrop, *((point.latitude, point.longitude) for point in points)])
    map_height = math.ceil(project.height)
    height = map_height + LEGEND_HEIGHT
    parts = [
        '<svg xmlns="http://www.w3.org/2000/svg"'
        f' viewBox="0 0 {WIDTH} {height}" width="100%" class="ankommen-chart__image ankommen-map" role="img"'
        f' focusable="false" aria-labelledby="{prefix}-title" aria-describedby="{prefix}-desc"'
        ' font-family="Fira Sans, DejaVu Sans, sans-serif" font-size="11">',
        f'<title id="{prefix}-title">{escape(title)}</title>',
        f'<desc id="{prefix}-desc">{escape(description)}</desc>',
        f'<rect x="0" y="0" width="{WIDTH}" height="{height}" fill="#ffffff"/>',
        '<g fill="#c9d3dd" aria-hidden="true">',
        *(
            '<circle cx="{}" cy="{}" r="2.4"/>'.format(*project(latitude, longitude))
            for latitude, longitude in backdrop
        ),
        "</g>",
        "<g>",
    ]
    named = len(points) <= MAX_NAMED_POINTS
    # Draw the statuses that need a look last, so that they lie on top.
    order = sorted(range(len(points)), key=lambda index: _DRAW_ORDER[statuses[index]])
    for index in order:
        point, status = points[index], statuses[index]
        x, y = project(point.latitude, point.longitude)
        tooltip = f"{point.label}: {status_label(status)}" + (f", {point.value_text}" if point.value_text else "")
        parts.append(f"<g><title>{escape(tooltip)}</title>{_symbol(status, x, y)}")
        if named:
            anchor = "end" if x > WIDTH * 0.7 else "start"
            offset = -10 if anchor == "end" else 10
            parts.append(
                f'<text x="{x + offset}" y="{y + 4}" text-anchor="{anchor}" fill="#1a1a1a"'
                f' stroke="#ffffff" stroke-width="3" paint-order="stroke">{escape(point.label)}</text>'
            )
        parts.append("</g>")
    parts.append("</g>")
    parts.append(_legend(statuses, top=map_height + 8))
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text is escaped above


def _legend(statuses: list[MapStatus], *, top: float) -> str:
    parts = [f'<g aria-hidden="true"><text x="10" y="{top + 10}" font-weight="bold">{escape(gettext("Legend"))}</text>']
    x = 10.0
    y = top + 34
    for kind in MapStatus:
        number = number_format(sum(1 for status in statuses if status is kind))
        label = f"{status_label(kind)} ({number})"
        parts.append(_symbol(kind, x + 7, y - 4))
        parts.append(f'<text x="{x + 18}" y="{y}">{escape(label)}</text>')
        x += 26 + 6.5 * len(label)
        if x > WIDTH - 110:
            x = 10.0
            y += 22
    parts.append("</g>")
    return "".join(parts)
