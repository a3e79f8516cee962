"""Reads of the support network, always scoped to the person asking."""

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from django.db.models import Max, Q
from django.db.models.functions import Lower
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from networks.models import SupportSource
from recovery_support.sql_once import STAND_IN_ID, SqlOnce

UNDO_WINDOW = timedelta(hours=1)


@dataclass(frozen=True)
class Network:
    sources: list[SupportSource]  # current ones, each with `last_contact` (date or None)
    recently_removed: list[SupportSource]  # removed within the undo window
    today: date

    def find(self, pk: int) -> SupportSource:
        found = next((s for s in [*self.sources, *self.recently_removed] if s.pk == pk), None)
        if found is None:  # removed for good between the write and this read
            raise Http404
        return found

    def filtered(self, *, category: str = "", support: str = "") -> list[SupportSource]:
        return [
            source
            for source in self.sources
            if (not category or source.category == category)
            and (not support or support in source.support_types)
        ]


def _annotated(owner_id: int):
    # Meta.ordering is not applied to GROUP BY queries: order explicitly.
    return (
        SupportSource.objects.filter(owner_id=owner_id)
        .annotate(last_contact=Max("contacts__contacted_on"))
        .order_by(Lower("name"), "pk")
    )


def _undoable_since():
    return timezone.now() - UNDO_WINDOW


# Its SQL built once (recovery_support/sql_once.py), from stand-ins no query holds itself.
_NETWORK = SqlOnce(
    lambda owner_id, since: _annotated(owner_id).filter(
        Q(deleted_at__isnull=True) | Q(deleted_at__gte=since)
    ),
    owner_id=STAND_IN_ID,
    since=datetime(1900, 1, 1, tzinfo=UTC),
)


def network_for(user) -> Network:
    """The whole network in one query: current sources and those still undoable."""
    sources, removed = [], []
    for row in _NETWORK.rows(owner_id=user.pk, since=_undoable_since()):
        (removed if row.deleted_at else sources).append(row)
    return Network(sources=sources, recently_removed=removed, today=timezone.localdate())


def source_for(user, pk: int, *, include_removed: bool = False) -> SupportSource:
    """One of the person's own sources, or 404 (never someone else's)."""
    rows = _annotated(user.pk)
    if not include_removed:
        rows = rows.filter(deleted_at__isnull=True)
    return get_object_or_404(rows, pk=pk)


def crisis_contacts_for(user) -> list[SupportSource]:
    return list(
        SupportSource.objects.filter(
            owner_id=user.pk, deleted_at__isnull=True, crisis_contact=True
        ).exclude(influence="risk")
    )


def overdue_sources_of(owner_ids) -> dict[int, list[SupportSource]]:
    """{person id: their current sources with a planned contact cadence, each with its
    `last_contact`}, for a batch of reminders (one query); gaps.days_overdue tells
    which are overdue on a given day."""
    found: dict[int, list[SupportSource]] = {}
    rows = (
        SupportSource.objects.filter(
            owner_id__any_of=owner_ids, deleted_at__isnull=True, contact_every_days__isnull=False
        )
        .annotate(last_contact=Max("contacts__contacted_on"))
        .order_by("owner_id", "pk")
    )
    for row in rows:
        found.setdefault(row.owner_id, []).append(row)
    return found
