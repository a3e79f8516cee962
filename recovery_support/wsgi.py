import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "recovery_support.settings")

application = get_wsgi_application()

# gunicorn loads this module once, in its master (preload_app): its workers fork warm.
from recovery_support.warm import warm_up  # noqa: E402 (after Django is set up)

warm_up()
