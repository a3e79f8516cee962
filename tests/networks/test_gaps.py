from datetime import date, datetime, timedelta

import pytest
from django.utils import timezone

from networks.gaps import find_gaps
from networks.models import SupportSource

TODAY = date(2026, 11, 21)


def source(**fields) -> SupportSource:
    """An unsaved source, as the selector returns it (with `last_contact`)."""
    defaults = dict(
        name="Maria",
        category="family",
        support_types=["emotional"],
        closeness=4,
        influence="supports",
        crisis_contact=False,
        boundaries_note="",
        contact_every_days=None,
    )
    last_contact = fields.pop("last_contact", None)
    created = fields.pop("created_at", None)
    item = SupportSource(**{**defaults, **fields})
    item.last_contact = last_contact
    item.created_at = created or timezone.make_aware(datetime(2026, 9, 1))
    return item


# A network with nothing missing: each rule below removes one thing from it.
def covered_network() -> list[SupportSource]:
    return [
        source(
            name="Maria",
            category="family",
            support_types=["emotional", "practical"],
            crisis_contact=True,
        ),
        source(
            name="SMART group",
            category="support_group",
            support_types=["informational", "relapse_prevention"],
        ),
        source(name="Dana", category="counselor", support_types=["relapse_prevention"]),
        source(name="Jess", category="friend", support_types=["emotional"]),
    ]


def codes(sources) -> set[str]:
    return {gap.code for gap in find_gaps(sources, TODAY)}


def test_a_covered_network_has_no_gaps():
    assert codes(covered_network()) == set()


def test_no_professional_support():
    sources = [s for s in covered_network() if s.category != "counselor"]
    assert "no_professional" in codes(sources)
    assert "no_professional" not in codes(covered_network())


def test_no_support_group_or_community():
    sources = [s for s in covered_network() if s.category != "support_group"]
    assert "no_group" in codes(sources)
    faith = [*sources, source(name="Church", category="faith", support_types=[])]
    assert "no_group" not in codes(faith)


def test_one_person_carrying_most_of_the_support():
    sources = [
        source(
            name="Maria",
            support_types=["emotional", "practical", "informational"],
            crisis_contact=True,
        ),
        source(name="Jess", category="friend", support_types=["emotional"]),
    ]
    gaps = find_gaps(sources, TODAY)
    carrying = [g for g in gaps if g.code == "one_person_carries"]
    assert len(carrying) == 1 and "Maria" in carrying[0].message
    assert "one_person_carries" not in codes(covered_network())


def test_a_single_source_carries_everything():
    assert "one_person_carries" in codes([source()])


def test_nobody_available_in_a_crisis():
    sources = covered_network()
    sources[0].crisis_contact = False
    assert "no_crisis_contact" in codes(sources)
    assert "no_crisis_contact" not in codes(covered_network())


def test_a_risky_tie_does_not_count_as_crisis_cover():
    sources = covered_network()
    sources[0].crisis_contact = False
    sources.append(
        source(name="Tony", influence="risk", crisis_contact=True, boundaries_note="Phone only.")
    )
    assert "no_crisis_contact" in codes(sources)


@pytest.mark.parametrize(
    "missing", ["emotional", "practical", "informational", "relapse_prevention"]
)
def test_a_kind_of_support_nobody_gives(missing):
    sources = covered_network()
    for item in sources:
        item.support_types = [t for t in item.support_types if t != missing]
    assert f"no_{missing}" in codes(sources)
    assert f"no_{missing}" not in codes(covered_network())


def test_someone_not_contacted_for_longer_than_planned():
    sources = covered_network()
    sources[2].contact_every_days = 7
    sources[2].last_contact = TODAY - timedelta(days=9)
    gaps = [g for g in find_gaps(sources, TODAY) if g.code == "overdue_contact"]
    assert [g.message for g in gaps] == [
        "You planned to be in touch with Dana every week; it has been 9 days."
    ]
    sources[2].last_contact = TODAY - timedelta(days=7)
    assert "overdue_contact" not in codes(sources)


def test_never_contacted_counts_from_when_the_source_was_added():
    sources = covered_network()
    sources[3].contact_every_days = 30
    sources[3].created_at = timezone.make_aware(datetime(2026, 11, 1))
    assert "overdue_contact" not in codes(sources)
    sources[3].created_at = timezone.make_aware(datetime(2026, 10, 1))
    assert "overdue_contact" in codes(sources)


def test_a_risky_tie_without_boundaries():
    sources = [*covered_network(), source(name="Tony", influence="risk", support_types=[])]
    assert "risk_without_boundaries" in codes(sources)
    sources[-1].boundaries_note = "No meeting at the bar."
    assert "risk_without_boundaries" not in codes(sources)
