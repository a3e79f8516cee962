"""Find text a person reads that is not marked for translation (issue 19).

`python manage.py untranslated [paths...]` prints each finding as `file:line: text`;
tests/i18n/test_untranslated.py runs it over the whole project. Exceptions, each with
its reason, are in locale/untranslated-allowlist.txt.

The rules, by kind of file:

Templates (templates/**/*.html, *.txt, *.svg, and the Jinja2 rows *.jinja, whose
{{ _("...") }} the lexer reads as a marked string), read with Django's template lexer:
  T1  Text between tags that holds a letter, outside {% translate %} and
      {% blocktranslate %}...{% endblocktranslate %} (and outside {% comment %},
      {# #}, <!-- -->, <style>). Variables ({{ x }}) and tags count as no text.
  T2  Visible attributes holding a letter: alt, title, aria-label, aria-description,
      aria-placeholder, aria-roledescription, aria-valuetext, placeholder, label,
      value of <input type="submit|button|reset">; and data-* attributes whose
      value reads like words (begins with a capital letter or holds a space), since
      our scripts show those (static/js reads its words from the page).
  T3  In <script> (JSON data blocks and inline code): a quoted string that reads like
      prose (rule P below).
  T4  Filters that write English: |pluralize (use {% blocktranslate count %}),
      |yesno:"..." with words, |default:"..." / |default_if_none:"..." with prose, and
      |date:"..." / |time:"..." with a hand-written format (use |local_date:"DAY"
      or a named format such as "TIME_FORMAT").
  T5  Words given to {% include ... with x="..." %} or {% with x="..." %} that read
      like prose (rule P).
  .txt templates (email bodies and subjects) are plain text: T1 applies to all of it.

Python (every module but tests, migrations and benchmarks):
  Y1  A string or f-string given as a model field's first argument (its verbose
      name), or as label=, help_text=, verbose_name=,
      verbose_name_plural=, empty_label=, subject=, title=, body=, notice=,
      problem=, placeholder=, or as a value of error_messages= / Meta.labels /
      Meta.help_texts / Meta.error_messages / widget attrs (placeholder, title,
      aria-label, alt).
  Y2  The message of ValidationError(...), of messages.<level>(request, ...) and
      messages.add_message(request, level, ...), and of form.add_error(field, ...).
  Y3  The label of a choice: the second item of each pair in a choices= list, and
      every member of a TextChoices/IntegerChoices class (one without a label is
      labelled from its name, in English).
  Y4  Any other string that reads like prose (rule P), wherever it is, except in a
      docstring, a gettext call, a log call, print(), warnings.warn(), sys.exit(),
      a raised exception other than ValidationError (Http404's words are never
      shown), SQL (cursor.execute, RawSQL), a comparison, a dictionary key, and a
      management command's help and output (self.stdout.write). This is what finds
      push titles and bodies, email subjects, nudges, day-count notices and
      rate-limit refusals without a list of their names.
  Y5  An f-string inside gettext (it cannot be looked up: use %(name)s).
  Y6  HTML with words in it given to format_html() or mark_safe().

JavaScript (static/js/*.js):
  J1  A quoted string that reads like prose (rule P): put the words in the page
      (a data- attribute or a JSON block rendered from a template) instead.

Rule P, "reads like prose": begins (after any opening quote mark) with a capital
letter followed by a small one ("Saved", not "INSERT" or "OK"), and holds a space or
ends with . ! ? … or :. "Saved." and "Time for your check-in" are prose; "checkin",
"/plan/", "HOME", "America/New_York" and "%(name)s" are not.
"""

import ast
import fnmatch
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

from django.template.base import DebugLexer, TokenType

PROJECT_DIR = Path(__file__).resolve().parent.parent
ALLOWLIST = PROJECT_DIR / "locale" / "untranslated-allowlist.txt"
# What `untranslated` reads when given no paths: everything a person may see.
DEFAULT_PATHS = ("templates", "recovery_support", "networks", "plans", "sharing", "static/js")
TEMPLATE_SUFFIXES = {".html", ".txt", ".svg", ".jinja"}
SKIPPED_PARTS = {"migrations", "tests", "__pycache__", "fixtures"}

LETTER = re.compile(r"[^\W\d_]")
# A stand-in for a variable or a marked string: no letters, no newlines of its own.
HOLE = "\ue000"


@dataclass(frozen=True, order=True)
class Finding:
    path: str
    line: int
    text: str
    rule: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: [{self.rule}] {self.text}"


def reads_like_prose(text: str) -> bool:
    """Rule P."""
    stripped = text.strip().lstrip("“\"'(¡¿«")
    if len(stripped) < 2 or not (stripped[0].isupper() and stripped[1].islower()):
        return False
    return " " in stripped or stripped.rstrip("”\"')»").endswith((".", "!", "?", "…", ":"))


def _shown(text: str) -> str:
    """A finding's text on one line, holes shown as {…}."""
    return " ".join(text.replace(HOLE, "{…}").split())[:120]


# --- Templates ---------------------------------------------------------------

VISIBLE_ATTRIBUTES = {
    "alt",
    "title",
    "aria-label",
    "aria-description",
    "aria-placeholder",
    "aria-roledescription",
    "aria-valuetext",
    "placeholder",
    "label",
}
BUTTON_INPUTS = {"submit", "button", "reset"}
OPENS_MARKED = {"blocktranslate", "blocktrans"}
CLOSES_MARKED = {"endblocktranslate", "endblocktrans"}
MARKED = {"translate", "trans"}
STRING = re.compile(r"""(?P<q>["'])(?P<s>(?:\\.|(?!(?P=q)).)*)(?P=q)""")
ENGLISH_FILTERS = re.compile(r"""\|\s*(pluralize)\b(?!\s*:\s*(["'])[^"'a-zA-Z]*\2)""")
WORD_FILTERS = re.compile(r"""\|\s*(yesno|default|default_if_none)\s*:\s*(["'])(.*?)\2""")
FORMAT_FILTERS = re.compile(r"""\|\s*(date|time)\s*:\s*(["'])(.*?)\2""")
NAMED_FORMAT = re.compile(r"^[A-Z_]+$")
WITH_WORDS = re.compile(r"""(\w+)\s*=\s*(["'])(.*?)\2""")


def _skeleton(source: str) -> tuple[str, list[tuple[int, str, str]]]:
    """The template's text with every variable, tag and marked string replaced by HOLE
    (newlines kept, so lines still count), and the findings of rules T4 and T5 met in
    its variables and tags on the way."""
    parts: list[str] = []
    found: list[tuple[int, str, str]] = []
    depth = 0  # inside blocktranslate or comment
    for token in DebugLexer(source).tokenize():
        start, end = token.position
        raw = source[start:end]
        filler = HOLE + "\n" * raw.count("\n")
        if token.token_type == TokenType.BLOCK:
            name = token.contents.split()[0] if token.contents.split() else ""
            if name in OPENS_MARKED or name == "comment":
                depth += 1
            elif name in CLOSES_MARKED or name == "endcomment":
                depth = max(0, depth - 1)
            elif depth == 0 and name in {"include", "with"}:
                for match in WITH_WORDS.finditer(token.contents):
                    if reads_like_prose(match.group(3)):
                        found.append((token.lineno, "T5", match.group(3)))
            if depth == 0 and name not in MARKED:
                found.extend(_filter_findings(token.contents, token.lineno))
            parts.append(filler)
        elif token.token_type == TokenType.VAR:
            if depth == 0:
                found.extend(_filter_findings(token.contents, token.lineno))
            parts.append(filler)
        elif token.token_type == TokenType.COMMENT or depth:
            parts.append(filler)
        else:
            parts.append(raw)
    # A tag whose name a tag chooses (`<{% if href %}a href=…{% else %}button{% endif %}`)
    # stays a tag.
    skeleton = re.sub(f"<(/?){HOLE}+", r"<\1x-tag ", "".join(parts))
    return skeleton, found


def _filter_findings(contents: str, line: int) -> Iterator[tuple[int, str, str]]:
    for match in ENGLISH_FILTERS.finditer(contents):
        yield line, "T4", f"|{match.group(1)} (use blocktranslate count)"
    for match in WORD_FILTERS.finditer(contents):
        words = match.group(3)
        if (match.group(1) == "yesno" and LETTER.search(words)) or reads_like_prose(words):
            yield line, "T4", f'|{match.group(1)}:"{match.group(3)}"'
    for match in FORMAT_FILTERS.finditer(contents):
        if not NAMED_FORMAT.match(match.group(3)):
            yield line, "T4", f'|{match.group(1)}:"{match.group(3)}" (use |local_date)'


class _VisibleText(HTMLParser):
    """Text and visible attributes with letters in an HTML skeleton (rules T1-T3)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[int, str, str]] = []
        self.inside: list[str] = []

    def handle_starttag(self, tag, attrs):
        line = self.getpos()[0]
        attributes = dict(attrs)
        for name, value in attrs:
            if not value or not LETTER.search(value):
                continue
            if (
                name in VISIBLE_ATTRIBUTES
                or (name.startswith("data-") and reads_like_prose(value))
                or (
                    name == "value"
                    and tag == "input"
                    and (attributes.get("type") or "").lower() in BUTTON_INPUTS
                )
            ):
                self.found.append((line, "T2", f'{name}="{value}"'))
        if tag in {"script", "style"}:
            self.inside.append(tag)

    def handle_endtag(self, tag):
        if self.inside and self.inside[-1] == tag:
            self.inside.pop()

    def handle_data(self, data):
        line = self.getpos()[0]
        if "style" in self.inside:
            return
        if "script" in self.inside:
            self.found.extend((line + n, "T3", text) for n, text in _prose_strings(data) if text)
            return
        match = LETTER.search(data)
        if match:
            self.found.append((line + data.count("\n", 0, match.start()), "T1", data))


def check_template(path: Path, source: str) -> list[tuple[int, str, str]]:
    skeleton, found = _skeleton(source)
    if path.suffix == ".txt":
        for number, text in enumerate(skeleton.splitlines(), 1):
            if LETTER.search(text):
                found.append((number, "T1", text))
        return found
    parser = _VisibleText()
    parser.feed(skeleton)
    parser.close()
    return found + parser.found


def _prose_strings(code: str) -> Iterator[tuple[int, str]]:
    """Quoted strings that read like prose in JavaScript or JSON: (line offset, text)."""
    for match in STRING.finditer(code):
        if reads_like_prose(match.group("s")):
            yield code.count("\n", 0, match.start()), match.group("s")


# --- Python ------------------------------------------------------------------

VISIBLE_KEYWORDS = {
    "label",
    "help_text",
    "verbose_name",
    "verbose_name_plural",
    "empty_label",
    "subject",
    "title",
    "body",
    "notice",
    "problem",
    "placeholder",
}
VISIBLE_ATTR_KEYS = {"placeholder", "title", "aria-label", "alt"}
GETTEXT = {
    "_",
    "gettext",
    "gettext_lazy",
    "gettext_noop",
    "ngettext",
    "ngettext_lazy",
    "pgettext",
    "pgettext_lazy",
    "npgettext",
    "npgettext_lazy",
    "_lazy",
    "format_lazy",
}
MESSAGE_LEVELS = {"debug", "info", "success", "warning", "error"}
LOG_METHODS = {"debug", "info", "warning", "error", "exception", "critical", "log", "warn"}
QUIET_CALLS = {"print", "exit", "warn", "execute", "executemany", "RawSQL", "raw", "extra"}
HTML_CALLS = {"format_html", "mark_safe"}
CHOICES_BASES = {"TextChoices", "IntegerChoices", "Choices"}


def _name(node: ast.AST) -> str:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    return ""


def _text(node: ast.AST) -> str | None:
    """The words of a string or f-string (f-string holes as HOLE), else None."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return "".join(v.value if isinstance(v, ast.Constant) else HOLE for v in node.values)
    return None


class _PythonChecker(ast.NodeVisitor):
    def __init__(self, management_command: bool):
        self.found: list[tuple[int, str, str]] = []
        self.quiet = 0  # inside something whose strings no person reads
        self.management_command = management_command
        self.reported: set[int] = set()  # ids of nodes reported by an explicit rule

    def report(self, node: ast.AST, rule: str) -> None:
        text = _text(node)
        if text is not None and LETTER.search(text) and id(node) not in self.reported:
            self.reported.add(id(node))
            self.found.append((node.lineno, rule, text))

    def report_values(self, node: ast.AST, rule: str, keys: set[str] | None = None) -> None:
        """The values of a dict literal (nested dicts too), or of its `keys` only."""
        if not isinstance(node, ast.Dict):
            return
        for key, value in zip(node.keys, node.values, strict=True):
            if key is None or (keys is not None and _text(key) not in keys):
                continue
            if isinstance(value, ast.Dict):
                self.report_values(value, rule)
            else:
                self.report(value, rule)

    def quietly(self, node: ast.AST) -> None:
        self.quiet += 1
        self.generic_visit(node)
        self.quiet -= 1

    # Docstrings and bare strings.
    def visit_Expr(self, node: ast.Expr) -> None:
        if _text(node.value) is not None:
            return
        self.generic_visit(node)

    def visit_Raise(self, node: ast.Raise) -> None:
        exc = node.exc.func if isinstance(node.exc, ast.Call) else node.exc
        if exc is not None and _name(exc) == "ValidationError":
            self.generic_visit(node)
        else:
            self.quietly(node)

    def visit_Compare(self, node: ast.Compare) -> None:
        self.quietly(node)

    def visit_Subscript(self, node: ast.Subscript) -> None:
        self.visit(node.value)
        self.quiet += 1
        self.visit(node.slice)
        self.quiet -= 1

    def visit_Dict(self, node: ast.Dict) -> None:
        self.quiet += 1
        for key in node.keys:
            if key is not None:
                self.visit(key)
        self.quiet -= 1
        for value in node.values:
            self.visit(value)

    def visit_Assign(self, node: ast.Assign) -> None:
        names = {_name(target) for target in node.targets}
        if names & {"error_messages", "labels", "help_texts"}:
            self.report_values(node.value, "Y1")
        if "attrs" in names:
            self.report_values(node.value, "Y1", VISIBLE_ATTR_KEYS)
        if self.management_command and "help" in names:
            return
        self.generic_visit(node)

    def visit_ClassDef(self, node: ast.ClassDef) -> None:
        if {_name(base) for base in node.bases} & CHOICES_BASES:
            for statement in node.body:
                if isinstance(statement, ast.Assign) and not _name(statement.targets[0]).startswith(
                    "_"
                ):
                    value = statement.value
                    label = value.elts[-1] if isinstance(value, ast.Tuple) else None
                    if label is None or _text(label) is not None:
                        where = label if label is not None else statement
                        text = _text(label) if label is not None else _name(statement.targets[0])
                        self.found.append((where.lineno, "Y3", text or ""))
                        if label is not None:
                            self.reported.add(id(label))
        self.generic_visit(node)

    def visit_Call(self, node: ast.Call) -> None:
        name = _name(node.func)
        owner = _name(node.func.value) if isinstance(node.func, ast.Attribute) else ""
        if name in GETTEXT:
            for arg in node.args:
                if isinstance(arg, ast.JoinedStr):
                    self.found.append((arg.lineno, "Y5", _text(arg) or ""))
            return
        if (
            name in QUIET_CALLS
            or (name in LOG_METHODS and owner in {"logger", "logging", "log", "warnings"})
            or (name == "write" and owner in {"stdout", "stderr"})
            or (self.management_command and name == "add_argument")
        ):
            self.quietly(node)
            return
        if name in HTML_CALLS and node.args:
            text = _text(node.args[0]) or ""
            if LETTER.search(re.sub(r"<[^>]*>|\{[^}]*\}", "", text)):
                self.report(node.args[0], "Y6")
        if owner == "models" and name.endswith("Field") and node.args:
            self.report(node.args[0], "Y1")  # a model field's verbose name, given first
        if name == "ValidationError" and node.args:
            self.report(node.args[0], "Y2")
        if owner == "messages" and name in MESSAGE_LEVELS and len(node.args) >= 2:
            self.report(node.args[1], "Y2")
        if owner == "messages" and name == "add_message" and len(node.args) >= 3:
            self.report(node.args[2], "Y2")
        if name == "add_error" and len(node.args) >= 2:
            self.report(node.args[1], "Y2")
        for keyword in node.keywords:
            if keyword.arg in VISIBLE_KEYWORDS:
                self.report(keyword.value, "Y1")
            elif keyword.arg in {"error_messages", "labels", "help_texts"}:
                self.report_values(keyword.value, "Y1")
            elif keyword.arg == "attrs":
                self.report_values(keyword.value, "Y1", VISIBLE_ATTR_KEYS)
            elif keyword.arg == "choices" and isinstance(keyword.value, ast.List | ast.Tuple):
                for pair in keyword.value.elts:
                    if isinstance(pair, ast.Tuple) and len(pair.elts) == 2:
                        self.report(pair.elts[1], "Y3")
        self.generic_visit(node)

    def visit_Constant(self, node: ast.Constant) -> None:
        if not self.quiet and isinstance(node.value, str) and reads_like_prose(node.value):
            self.report(node, "Y4")

    def visit_JoinedStr(self, node: ast.JoinedStr) -> None:
        text = _text(node) or ""
        if not self.quiet and reads_like_prose(text):
            self.report(node, "Y4")
        else:
            self.generic_visit(node)


def check_python(path: Path, source: str) -> list[tuple[int, str, str]]:
    checker = _PythonChecker(management_command="management" in path.parts)
    checker.visit(ast.parse(source, filename=str(path)))
    return checker.found


def check_javascript(path: Path, source: str) -> list[tuple[int, str, str]]:
    """Rule J1, on the code without its comments."""
    code = re.sub(r"/\*.*?\*/", lambda m: "\n" * m.group().count("\n"), source, flags=re.S)
    code = re.sub(r"(^|[^:\\])//[^\n]*", r"\1", code)
    return [(n + 1, "J1", text) for n, text in _prose_strings(code)]


# --- Files, the allowlist, the whole --------------------------------------------


@dataclass(frozen=True)
class Allowed:
    pattern: str  # a path, or a glob of paths
    text: str  # the text allowed there, or "*" for the whole file
    reason: str

    def allows(self, finding: Finding) -> bool:
        return fnmatch.fnmatch(finding.path, self.pattern) and (
            self.text == "*" or self.text == finding.text
        )


def read_allowlist(path: Path = ALLOWLIST) -> list[Allowed]:
    """Lines `path | text | reason` (text `*` for a whole file); # starts a comment.
    A line without a reason is an error: every exception says why."""
    allowed = []
    for number, line in enumerate(path.read_text().splitlines(), 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        parts = [part.strip() for part in line.split(" | ")]
        if len(parts) != 3 or not all(parts):
            raise ValueError(f"{path}:{number}: write `path | text | reason`")
        allowed.append(Allowed(*parts))
    return allowed


def files_under(paths: Iterable[Path]) -> Iterator[Path]:
    """The files named, and those under the folders named, less tests, migrations and
    fixtures found inside a folder (a folder of fixtures named itself is read)."""
    for path in paths:
        if not path.exists():  # a mistyped path must not pass as "nothing found"
            raise FileNotFoundError(path)
        if path.is_file():
            yield path
            continue
        for candidate in sorted(path.rglob("*")):
            inside = set(candidate.relative_to(path).parts)
            if candidate.is_file() and not SKIPPED_PARTS & inside:
                yield candidate


def check_file(path: Path) -> list[tuple[int, str, str]]:
    source = path.read_text(encoding="utf-8")
    if path.suffix == ".py":
        return check_python(path, source)
    if path.suffix == ".js":
        if path.name.endswith(".min.js"):
            return []
        return check_javascript(path, source)
    if path.suffix in TEMPLATE_SUFFIXES and "templates" in path.parts:
        return check_template(path, source)
    return []


def find(
    paths: Iterable[str | Path] = DEFAULT_PATHS,
    *,
    root: Path = PROJECT_DIR,
    allowlist: list[Allowed] | None = None,
) -> list[Finding]:
    """Every finding under `paths` (relative to `root`), less the allowlisted ones."""
    allowed = read_allowlist() if allowlist is None else allowlist
    findings = []
    for path in files_under(root / p for p in paths):
        try:
            shown = str(path.resolve().relative_to(root))
        except ValueError:
            shown = str(path)
        for line, rule, text in check_file(path):
            finding = Finding(shown, line, _shown(text), rule)
            if not any(a.allows(finding) for a in allowed):
                findings.append(finding)
    return sorted(set(findings))
