import os
from pathlib import Path

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "recovery_support.settings")

application = get_wsgi_application()


def warm_up() -> None:
    """Import every view and compile our templates now, not on a process's first
    request (about 1.5 s on a small machine). gunicorn loads this module once, in its
    master (preload_app), so a worker it starts, or replaces after max_requests,
    answers at once."""
    from django.conf import settings
    from django.template import engines
    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018 (imports the URLconf, and with it every view)
    engine = engines["django"]
    for folder in settings.TEMPLATES[0]["DIRS"]:
        for template in sorted(Path(folder).rglob("*.*")):
            if template.suffix in (".html", ".txt"):
                engine.get_template(str(template.relative_to(folder)))


warm_up()
