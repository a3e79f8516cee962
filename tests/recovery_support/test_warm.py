"""What gunicorn's master and Celery's main process do before they fork: a worker
started or replaced afterwards compiles nothing on its first page."""

import gc
from pathlib import Path
from unittest import mock

from django.conf import settings
from jinja2 import Environment

from recovery_support.jinja import environment
from recovery_support.languages import WITH_COUNTRY_FORMATS
from recovery_support.warm import warm_up


def test_the_rows_macros_are_compiled_in_every_language_before_the_fork():
    environment.cache_clear()
    try:
        warm_up()
    finally:
        gc.unfreeze()
    folder = Path(settings.BASE_DIR) / "templates"
    names = [str(path.relative_to(folder)) for path in folder.rglob("*.jinja")]
    assert len(names) >= 5
    languages = [code for code, _ in settings.LANGUAGES] + sorted(WITH_COUNTRY_FORMATS)
    with mock.patch.object(Environment, "compile", side_effect=AssertionError("compiled")):
        for language in languages:
            for name in names:
                assert environment(language).get_template(name).module
