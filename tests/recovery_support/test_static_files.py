"""Production's static storage keeps each URL it works out: the same URLs WhiteNoise's
own storage gives, hashed from the manifest, and an error for a missing file."""

import json

import pytest
from django.test import override_settings
from whitenoise.storage import CompressedManifestStaticFilesStorage

from recovery_support.static_files import StaticFilesStorage

NAMES = ["css/app.css", "img/icon.svg", "img/icon.svg#mark", "js/app.js?v=2", "fonts/"]


@pytest.fixture
def manifest(tmp_path):
    paths = {"css/app.css": "css/app.1a2b.css", "img/icon.svg": "img/icon.3c4d.svg"}
    paths["js/app.js"] = "js/app.5e6f.js"
    (tmp_path / "staticfiles.json").write_text(
        json.dumps({"paths": paths, "version": "1.1", "hash": "x"})
    )
    return tmp_path


def test_its_urls_are_whitenoises(manifest):
    ours = StaticFilesStorage(location=manifest, base_url="/static/")
    theirs = CompressedManifestStaticFilesStorage(location=manifest, base_url="/static/")

    for _ in range(2):  # worked out, then kept
        assert [ours.url(name) for name in NAMES] == [theirs.url(name) for name in NAMES]
    assert ours.url("css/app.css") == "/static/css/app.1a2b.css"


def test_a_file_missing_from_the_manifest_raises_every_time(manifest):
    storage = StaticFilesStorage(location=manifest, base_url="/static/")

    for _ in range(2):
        with pytest.raises(ValueError, match="Missing staticfiles manifest entry"):
            storage.url("css/gone.css")


def test_with_debug_on_the_names_are_unhashed(manifest):
    storage = StaticFilesStorage(location=manifest, base_url="/static/")
    assert storage.url("css/app.css") == "/static/css/app.1a2b.css"

    with override_settings(DEBUG=True):
        assert storage.url("css/app.css") == "/static/css/app.css"
