"""Writes to the support network. Views validate input with forms; these apply it."""

from datetime import date, timedelta
from typing import Any

from django.utils import timezone

from networks.models import ContactLog, SupportSource

PURGE_AFTER = timedelta(days=1)


def source_create(*, owner, data: dict[str, Any]) -> SupportSource:
    return SupportSource.objects.create(owner=owner, **data)


def source_update(*, source: SupportSource, data: dict[str, Any]) -> SupportSource:
    for field, value in data.items():
        setattr(source, field, value)
    source.save()
    return source


def source_remove(*, source: SupportSource) -> SupportSource:
    """Hide the source at once; it can be restored until it is purged."""
    source.deleted_at = timezone.now()
    source.save(update_fields=["deleted_at", "updated_at"])
    return source


def source_restore(*, source: SupportSource) -> SupportSource:
    source.deleted_at = None
    source.save(update_fields=["deleted_at", "updated_at"])
    return source


def contact_log(*, source: SupportSource, on: date | None = None) -> ContactLog:
    """Record that the member was in touch with the source today (once a day)."""
    contacted_on = on or timezone.localdate()
    log, _ = ContactLog.objects.get_or_create(source=source, contacted_on=contacted_on)
    return log


def contacts_log(*, sources: list[SupportSource], on: date) -> None:
    """Record contacts with several sources on one day, in one statement."""
    ContactLog.objects.bulk_create(
        [ContactLog(source=source, contacted_on=on) for source in sources],
        ignore_conflicts=True,
    )


def removed_sources_purge() -> int:
    """Delete for good the sources removed more than a day ago."""
    cutoff = timezone.now() - PURGE_AFTER
    deleted, _ = SupportSource.objects.filter(deleted_at__lt=cutoff).delete()
    return deleted
