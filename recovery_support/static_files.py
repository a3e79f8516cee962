"""The static files' storage in production: WhiteNoise's compressed, hashed files,
each file's URL worked out once per process.

A page's shell asks for eight URLs ({% static %} and django-htmx's script tag), and
each cost about 20 µs: the hashed name looked up in the manifest, then the URL
split, joined and quoted. The manifest is read when the process starts and does not
change under it (collectstatic writes it before the app runs), so the same name
always gives the same URL.
"""

from django.conf import settings
from whitenoise.storage import CompressedManifestStaticFilesStorage


class StaticFilesStorage(CompressedManifestStaticFilesStorage):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._urls: dict[tuple, str] = {}

    def url(self, name, force=False) -> str:
        # DEBUG gives the name unhashed (Django's storage), so it is part of the key.
        key = (name, force, settings.DEBUG)
        try:
            return self._urls[key]
        except KeyError:
            # A name missing from the manifest raises here, every time: nothing kept.
            url = self._urls[key] = super().url(name, force)
            return url

    def post_process(self, *args, **kwargs):
        """collectstatic hashes the files anew: URLs worked out before are forgotten."""
        self._urls.clear()
        yield from super().post_process(*args, **kwargs)
