"""Work every process would otherwise do on its first request or task, done once in the
parent before it forks: gunicorn's master (preload_app) and the Celery worker's main
process, so a child started or replaced (max_requests, a pool process restarted)
serves at once and shares these pages of memory."""

import gc
import logging
import time
from pathlib import Path

logger = logging.getLogger(__name__)


def warm_up() -> None:
    """Import every view and compile our templates (the Jinja2 ones in each language):
    about 1.7 s on a small machine, and 2 s in each Celery pool process before its
    first reminder's link (reverse() imports the URLconf). Then everything alive is
    frozen out of the garbage collector (as Python's gc.freeze() documents for a parent
    about to fork): a child's collections no longer walk these modules, templates and
    URL patterns again, nor write to their pages of memory, which the children then
    share."""
    from django.conf import settings
    from django.template import engines
    from django.urls import get_resolver

    from recovery_support.jinja import environment
    from recovery_support.languages import WITH_COUNTRY_FORMATS

    languages = [code for code, _ in settings.LANGUAGES] + sorted(WITH_COUNTRY_FORMATS)

    started = time.process_time()
    get_resolver().url_patterns  # noqa: B018 (imports the URLconf, and with it every view)
    engine = engines["django"]
    for folder in settings.TEMPLATES[0]["DIRS"]:
        for template in sorted(Path(folder).rglob("*.*")):
            if template.suffix in (".html", ".txt"):
                engine.get_template(str(template.relative_to(folder)))
            elif template.suffix == ".jinja":  # the rows' macros, in each language
                for language in languages:
                    environment(language).get_template(str(template.relative_to(folder))).module  # noqa: B018
    gc.collect()
    gc.freeze()
    logger.info("Views imported and templates compiled in %.1f s", time.process_time() - started)
