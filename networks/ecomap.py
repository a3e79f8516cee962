"""Layout of the ecomap: the member in the centre, sources around them.

Sources are placed clockwise in category order, so each category forms a
cluster, with a little space between clusters. Past a dozen or so the nodes
alternate between rings so labels keep clear of each other. Everything is
computed here; the map's repeated markup, a line and a dot for each source, is
drawn by Jinja2 (templates/networks/map.svg.jinja), the rest by the page.
"""

import math
from collections.abc import Sequence
from dataclasses import dataclass

from networks.models import (
    COMMUNITY_CATEGORIES,
    PROFESSIONAL_CATEGORIES,
    Category,
    Influence,
    SupportSource,
)

CATEGORY_ORDER = {value: index for index, value in enumerate(Category.values)}
TIES = frozenset(Influence.values)  # (Choices.values builds its list anew at each use)
PER_RING = 14
LABEL_CHARS = 12


@dataclass(slots=True)  # not frozen: a frozen dataclass sets each field the slow way
class Node:
    source: SupportSource
    x: float
    y: float
    radius: float
    line_width: float
    tie: str  # supports / neutral / mixed / risk: the line style
    group: str  # personal / community / professional: the fill
    label: str
    label_x: float
    label_y: float
    anchor: str


@dataclass(frozen=True)
class Ecomap:
    size: int
    rings: int
    centre: float
    centre_radius: float
    font_size: int
    nodes: list[Node]


def group_of(source: SupportSource) -> str:
    if source.category in PROFESSIONAL_CATEGORIES:
        return "professional"
    if source.category in COMMUNITY_CATEGORIES:
        return "community"
    return "personal"


def _label(name: str) -> str:
    name = " ".join(name.split())
    return name if len(name) <= LABEL_CHARS else name[: LABEL_CHARS - 1].rstrip() + "…"


def layout(sources: Sequence[SupportSource]) -> Ecomap:
    ordered = sorted(sources, key=lambda s: (CATEGORY_ORDER.get(s.category, 99), s.name.lower()))
    count = len(ordered)
    rings = max(1, math.ceil(count / PER_RING))
    size = 720 + 180 * (rings - 1)
    centre = size / 2
    # Large type: on a phone the whole map is scaled down to the screen width.
    font_size = 20 if rings == 1 else 18
    node_radius = 15 if rings == 1 else 12
    # Room outside the outer ring for a full-length label, so none is cut off.
    label_room = node_radius + 6 + LABEL_CHARS * font_size * 0.6 + 8
    outer = centre - label_room
    inner = outer if rings == 1 else 150
    ring_step = (outer - inner) / (rings - 1) if rings > 1 else 0

    # A gap of one slot between categories keeps clusters apart.
    slots: list[int] = []
    position = 0
    previous = None
    for source in ordered:
        if previous is not None and source.category != previous:
            position += 1
        slots.append(position)
        position += 1
        previous = source.category
    total_slots = max(position, 1)

    nodes = []
    for index, (source, slot) in enumerate(zip(ordered, slots, strict=True)):
        angle = -math.pi / 2 + 2 * math.pi * slot / total_slots
        radius = inner + (index % rings) * ring_step
        x = centre + radius * math.cos(angle)
        y = centre + radius * math.sin(angle)
        cos = math.cos(angle)
        offset = node_radius + 6
        label_x = x + offset * cos
        label_y = y + offset * math.sin(angle) + font_size * 0.35
        if abs(cos) < 0.08:
            anchor = "middle"
            label_y = y + (node_radius + font_size + 2) * (1 if math.sin(angle) > 0 else -0.6)
        else:
            anchor = "start" if cos > 0 else "end"
        nodes.append(
            Node(
                source=source,
                x=round(x, 1),
                y=round(y, 1),
                radius=node_radius,
                line_width=round(0.8 + source.closeness * 1.1, 1),
                tie=source.influence if source.influence in TIES else "neutral",
                group=group_of(source),
                label=_label(source.name),
                label_x=round(label_x, 1),
                label_y=round(label_y, 1),
                anchor=anchor,
            )
        )
    return Ecomap(
        size=size, rings=rings, centre=centre, centre_radius=34, font_size=font_size, nodes=nodes
    )
