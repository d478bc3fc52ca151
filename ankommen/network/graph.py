"""The network drawn as a graph: the centre in the middle, organisations on a circle, one numbered line per
cooperation. Plain geometry for a server-rendered SVG; the numbers match the rows of the table beside it, and the
kinds differ by line pattern and node shape, so the drawing reads without colour."""

from __future__ import annotations

import math
from dataclasses import dataclass

from ankommen.network.models import Cooperation, CooperationKind, Organisation

WIDTH = 640
HEIGHT = 560
RADIUS = 220
CENTRE_X = WIDTH / 2
CENTRE_Y = HEIGHT / 2
LABEL_LIMIT = 28
CENTRE_BOX = 36

# Line patterns per kind of cooperation (SVG stroke-dasharray); solid for agreements.
DASHES = {
    CooperationKind.AGREEMENT: "",
    CooperationKind.SERVICE_CONTRACT: "10 4",
    CooperationKind.PROJECT: "3 4",
    CooperationKind.NETWORK_MEMBERSHIP: "12 4 3 4",
}


@dataclass(frozen=True)
class Node:
    key: str
    label: str
    x: float
    y: float
    is_centre: bool
    label_x: float
    label_y: float
    anchor: str

    @property
    def box_x(self) -> float:
        return round(self.x - CENTRE_BOX / 2, 1)

    @property
    def box_y(self) -> float:
        return round(self.y - CENTRE_BOX / 2, 1)


@dataclass(frozen=True)
class Edge:
    number: int
    x1: float
    y1: float
    x2: float
    y2: float
    mid_x: float
    mid_y: float
    dash: str
    kind_label: str


@dataclass(frozen=True)
class Graph:
    width: int
    height: int
    nodes: list[Node]
    edges: list[Edge]
    legend: list[tuple[str, str]]


def _short(text: str) -> str:
    return text if len(text) <= LABEL_LIMIT else f"{text[: LABEL_LIMIT - 1]}…"


def network_graph(*, centre_name: str, cooperations: list[Cooperation]) -> Graph:
    organisations: dict[int, Organisation] = {}
    for cooperation in cooperations:
        organisations.setdefault(cooperation.organisation_id, cooperation.organisation)
        if cooperation.partner is not None:
            organisations.setdefault(cooperation.partner.pk, cooperation.partner)
    ordered = sorted(organisations.values(), key=lambda o: (o.name, o.pk))
    positions: dict[str, tuple[float, float]] = {"centre": (CENTRE_X, CENTRE_Y)}
    nodes = [
        Node(
            key="centre",
            label=_short(centre_name),
            x=CENTRE_X,
            y=CENTRE_Y,
            is_centre=True,
            label_x=CENTRE_X,
            label_y=CENTRE_Y + 34,
            anchor="middle",
        )
    ]
    count = max(len(ordered), 1)
    for index, organisation in enumerate(ordered):
        angle = -math.pi / 2 + 2 * math.pi * index / count
        x = CENTRE_X + RADIUS * math.cos(angle)
        y = CENTRE_Y + RADIUS * math.sin(angle)
        positions[f"o{organisation.pk}"] = (x, y)
        right_side = math.cos(angle) >= -1e-9
        nodes.append(
            Node(
                key=f"o{organisation.pk}",
                label=_short(organisation.name),
                x=round(x, 1),
                y=round(y, 1),
                is_centre=False,
                label_x=round(x + (14 if right_side else -14), 1),
                label_y=round(y + (22 if math.sin(angle) > 0.3 else -14 if math.sin(angle) < -0.3 else 4), 1),
                anchor="start" if right_side else "end",
            )
        )
    edges = []
    for number, cooperation in enumerate(cooperations, start=1):
        x1, y1 = positions[f"o{cooperation.organisation_id}"]
        x2, y2 = positions[f"o{cooperation.partner.pk}"] if cooperation.partner is not None else positions["centre"]
        edges.append(
            Edge(
                number=number,
                x1=round(x1, 1),
                y1=round(y1, 1),
                x2=round(x2, 1),
                y2=round(y2, 1),
                mid_x=round((x1 + x2) / 2, 1),
                mid_y=round((y1 + y2) / 2, 1),
                dash=DASHES.get(CooperationKind(cooperation.kind), ""),
                kind_label=str(cooperation.get_kind_display()),
            )
        )
    legend = [(str(kind.label), DASHES[kind]) for kind in CooperationKind]
    return Graph(width=WIDTH, height=HEIGHT, nodes=nodes, edges=edges, legend=legend)
