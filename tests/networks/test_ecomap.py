import math
from itertools import combinations

import pytest
from markupsafe import Markup

from networks.ecomap import layout
from networks.models import Category, SupportSource
from recovery_support.jinja import draw, template


def sources(count: int) -> list[SupportSource]:
    categories = Category.values
    return [
        SupportSource(
            pk=index + 1,
            name=f"Person number {index}",
            category=categories[index % len(categories)],
            closeness=index % 5 + 1,
            influence="supports",
        )
        for index in range(count)
    ]


@pytest.mark.parametrize("count", [1, 12, 60])
def test_nodes_and_labels_stay_on_the_canvas_and_apart(count):
    ecomap = layout(sources(count))
    assert len(ecomap.nodes) == count
    for node in ecomap.nodes:
        assert node.radius <= node.x <= ecomap.size - node.radius
        assert node.radius <= node.y <= ecomap.size - node.radius
        # a label of 14 characters is at most about 9 px a character wide
        width = len(node.label) * ecomap.font_size * 0.6
        left = {
            "start": node.label_x,
            "end": node.label_x - width,
            "middle": node.label_x - width / 2,
        }[node.anchor]
        assert left >= 0 and left + width <= ecomap.size, node.label
    for a, b in combinations(ecomap.nodes, 2):
        assert math.dist((a.x, a.y), (b.x, b.y)) > a.radius + b.radius + 4
    for node in ecomap.nodes:
        distance = math.dist((node.x, node.y), (ecomap.centre, ecomap.centre))
        assert distance > ecomap.centre_radius + node.radius


def test_sources_of_a_category_sit_together():
    ecomap = layout(sources(24))
    order = [node.source.category for node in ecomap.nodes]
    # each category appears as one unbroken run, in the order of the choices
    runs = [c for i, c in enumerate(order) if i == 0 or order[i - 1] != c]
    assert runs == Category.values


def test_closer_ties_get_thicker_lines_and_risky_ties_their_own_style():
    items = sources(2)
    items[0].closeness, items[1].closeness = 1, 5
    items[1].influence = "risk"
    first, second = layout(items).nodes
    assert first.line_width < second.line_width
    assert (first.tie, second.tie) == ("supports", "risk")


def test_long_names_are_shortened_on_the_map():
    item = sources(1)[0]
    item.name = "The Thursday evening recovery circle"
    assert layout([item]).nodes[0].label == "The Thursda…"


def test_the_svg_escapes_typed_names_and_marks_crisis_contacts():
    hostile = SupportSource(
        pk=1, name='<b>"x"</b>', category="family", closeness=3, influence="supports"
    )
    crisis = SupportSource(
        pk=2, name="Ana", category="friend", closeness=5, influence="risk", crisis_contact=True
    )
    ecomap = layout([hostile, crisis])
    svg = template("networks/map.svg.jinja").module
    drawn, ties = str(svg.map_nodes(ecomap)), str(svg.map_ties(ecomap))
    assert "<b>" not in drawn
    assert "&lt;b&gt;&#34;x&#34;&lt;/b&gt;" in drawn
    assert drawn.count('class="node__crisis"') == 1
    assert drawn.count('class="node node--') == 2
    assert ties.count('<line class="tie tie--') == 2
    assert 'class="tie tie--risk"' in ties


def test_the_svg_file_alone_is_drawn_without_autoescaping_and_still_escapes_names():
    """map.svg.jinja escapes its one typed text with |e; what draw() gives a Django
    page is safe markup, and every other .jinja file stays autoescaped."""
    hostile = SupportSource(
        pk=1, name="<script>x</script>", category="family", closeness=3, influence="supports"
    )
    drawn = draw("networks/map.svg.jinja", "map_nodes", layout([hostile]))
    assert isinstance(drawn, Markup)
    assert "<script>" not in drawn and "&lt;script&gt;" in drawn
    assert template("networks/network.jinja").environment.autoescape("networks/network.jinja")
    assert not template("networks/map.svg.jinja").environment.autoescape("networks/map.svg.jinja")
