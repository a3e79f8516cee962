"""The Spanish catalogue is whole: every message translated, none fuzzy, every
placeholder kept, and (where GNU gettext is installed to extract them) every message
the code marks is in it."""

import re
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.utils import translation

CATALOGUE = Path(settings.BASE_DIR) / "locale" / "es" / "LC_MESSAGES" / "django.po"
PLACEHOLDER = re.compile(r"%\([a-z_]+\)[sd]|%[sd]|\{[a-z_]+\}")
# Words we never use for people, in either language (docs/glossary-es.md).
SHAMING = re.compile(r"\b(adict[oa]s?|drogadict[oa]s?|limpi[oa]s?|suci[oa]s?|fracaso)\b", re.I)


def _entries() -> list[polib.POEntry]:
    return [entry for entry in polib.pofile(str(CATALOGUE)) if not entry.obsolete]


def _translations(entry: polib.POEntry) -> list[str]:
    return list(entry.msgstr_plural.values()) if entry.msgid_plural else [entry.msgstr]


def test_every_message_is_translated_and_none_is_fuzzy():
    entries = _entries()
    assert len(entries) > 1000, "the whole product, not a part of it"
    untranslated = [e.msgid for e in entries if not all(_translations(e))]
    fuzzy = [e.msgid for e in entries if e.fuzzy]
    assert untranslated == [] and fuzzy == []


def test_every_placeholder_and_edge_space_is_kept():
    wrong = []
    for entry in _entries():
        # A plural's placeholders are its plural's: an English singular may say "the
        # other client" where the plural says "the other %(count)s clients".
        wanted = sorted(PLACEHOLDER.findall(entry.msgid_plural or entry.msgid))
        for text in _translations(entry):
            # A singular may say "un" for "%(count)s"; every other placeholder stays.
            found = sorted(PLACEHOLDER.findall(text))
            if entry.msgid_plural and found != wanted:
                found = sorted(set(found) | {p for p in wanted if "count" in p})
            edges = (text[:1].isspace(), text[-1:].isspace())
            if found != wanted or edges != (entry.msgid[:1].isspace(), entry.msgid[-1:].isspace()):
                wrong.append((entry.msgid, text))
    assert wrong == []


def test_no_translation_uses_a_word_that_shames():
    assert [t for e in _entries() for t in _translations(e) if SHAMING.search(t)] == []


def test_the_compiled_catalogue_is_the_one_read():
    with translation.override("es"):
        assert translation.gettext("Your support network") == "Tu red de apoyo"


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="GNU gettext extracts messages")
def test_every_message_the_code_marks_is_in_the_catalogue(tmp_path):
    """makemessages on a copy of the project: nothing new to translate, nothing dropped."""
    project = Path(settings.BASE_DIR)
    copy = tmp_path / "project"
    shutil.copytree(
        project,
        copy,
        ignore=shutil.ignore_patterns(".venv", ".git", "test-output", ".run", "*.mo", "tests"),
    )
    subprocess.run(
        [*[sys.executable, "manage.py", "makemessages"], "-l", "es", "--no-obsolete"],
        cwd=copy,
        check=True,
        capture_output=True,
    )
    fresh = polib.pofile(str(copy / "locale" / "es" / "LC_MESSAGES" / "django.po"))
    new = [e.msgid for e in fresh if not e.obsolete and (not e.translated() or e.fuzzy)]
    assert new == [], "run makemessages and translate these"
    # And every message of the catalogue is still found in the code: one that is not
    # was dropped by the copy's makemessages (the words of templates/**/*.jinja are
    # read by our command only).
    kept = {(e.msgctxt, e.msgid) for e in fresh}
    committed = polib.pofile(str(project / "locale" / "es" / "LC_MESSAGES" / "django.po"))
    dropped = [e.msgid for e in committed if not e.obsolete and (e.msgctxt, e.msgid) not in kept]
    assert dropped == [], "no longer in the code: run makemessages (--no-obsolete)"
