"""The checker of unmarked text (recovery_support/untranslated.py) finds what is planted
in its fixtures, and nothing that is marked; the whole project is checked too."""

from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from recovery_support import untranslated

FIXTURES = Path(__file__).parent / "fixtures"


def found(path: Path) -> set[tuple[int, str]]:
    return {(f.line, f.text) for f in untranslated.find([path], root=FIXTURES, allowlist=[])}


def test_it_finds_every_planted_text_in_a_template_and_nothing_marked():
    assert found(FIXTURES / "templates" / "planted.html") == {
        (4, "Planted unmarked words"),
        (6, 'alt="Planted alt text"'),
        (8, 'value="Planted button"'),
        (10, 'data-saving="Planted saving…"'),
        (11, "Planted chart title"),
        (14, "|pluralize (use blocktranslate count)"),
        (14, '|date:"j F" (use |local_date)'),
        (15, "Planted in a script."),
    }


def test_it_finds_every_planted_text_in_a_python_module_and_nothing_marked():
    assert found(FIXTURES / "planted.py") == {
        (13, "Planted words in a constant."),
        (18, "Planted label"),
        (19, "UNLABELLED"),
        (23, "planted verbose name"),
        (28, "Planted label"),
        (29, "Planted choice"),
        (32, "Planted error."),
        (36, "Planted for {…}."),
        (41, "An f-string {…} in gettext"),
        (42, "Planted notice."),
    }


def test_the_command_prints_each_finding_and_fails(capsys):
    with pytest.raises(CommandError):
        call_command("untranslated", str(FIXTURES / "templates" / "planted.html"))
    assert "planted.html:4: [T1] Planted unmarked words" in capsys.readouterr().out


def test_a_mistyped_path_is_an_error_not_a_pass():
    with pytest.raises(CommandError):
        call_command("untranslated", "templates/no-such-folder")


def test_an_allowlisted_text_is_not_reported():
    allowed = [untranslated.Allowed("templates/planted.html", "Planted chart title", "test")]
    findings = untranslated.find(
        [FIXTURES / "templates" / "planted.html"], root=FIXTURES, allowlist=allowed
    )
    assert "Planted chart title" not in {f.text for f in findings}
    assert "Planted unmarked words" in {f.text for f in findings}


def test_every_exception_says_why():
    entries = untranslated.read_allowlist()
    assert entries
    assert all(len(entry.reason.split()) >= 3 for entry in entries)


def test_every_allowlisted_file_exists():
    root = untranslated.PROJECT_DIR
    for entry in untranslated.read_allowlist():
        assert list(root.glob(entry.pattern)) or list(root.glob("*/" + entry.pattern)), entry


def test_every_visible_text_in_the_project_is_marked():
    findings = untranslated.find()
    assert not findings, "\n".join(map(str, findings))
