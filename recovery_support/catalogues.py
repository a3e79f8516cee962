"""The message catalogues, compiled without GNU gettext: `make run` and `make test`
(recovery_support/devstack.py) call compile_catalogues(); a production image runs
`python manage.py compile_catalogues` (polib is a runtime dependency)."""

from pathlib import Path

import polib

LOCALE_DIR = Path(__file__).resolve().parent.parent / "locale"


def compile_catalogues(root: Path = LOCALE_DIR) -> list[Path]:
    """Every locale/<lang>/LC_MESSAGES/*.po compiled to its .mo, where the .mo is missing
    or older: with polib, in Python, so a fresh machine needs no GNU gettext. Fuzzy and
    empty entries are left out, as msgfmt does (they read in English). The .mo files are
    not committed (.gitignore): they are built from the .po, which is what people review.
    Returns the files written."""
    written = []
    for po_path in sorted(root.glob("*/LC_MESSAGES/*.po")):
        mo_path = po_path.with_suffix(".mo")
        if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
            continue
        polib.pofile(str(po_path)).save_as_mofile(str(mo_path))
        written.append(mo_path)
    return written
