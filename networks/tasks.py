from celery import shared_task

from networks.services import removed_sources_purge


@shared_task
def purge_removed_sources() -> int:
    return removed_sources_purge()
