"""The forms of our pages, read from the HTML a person is served: each form's action,
and its fields with their input types and the values offered."""

from dataclasses import dataclass, field
from html.parser import HTMLParser

from django.test import Client
from django.urls import Resolver404, resolve


@dataclass
class Field:
    name: str
    kind: str  # the input's type ("text", "date", "checkbox" ...), "select" or "textarea"
    options: list[str] = field(default_factory=list)  # values of choices, checkboxes, radios
    value: str = ""  # what the page filled in
    multiple: bool = False
    maxlength: int | None = None


@dataclass
class Form:
    action: str
    fields: dict[str, Field] = field(default_factory=dict)


class _FormParser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[Form] = []
        self._form: Form | None = None
        self._select: Field | None = None
        self._textarea: Field | None = None
        self._by_id: dict[str, Form] = {}
        # Buttons that post their form elsewhere (formaction), often a shared form
        # named by id (form="..."): (their action, the form's id or the form around them).
        self._formactions: list[tuple[str, str | Form | None]] = []

    def handle_starttag(self, tag, attrs):
        a = {k: v or "" for k, v in attrs}
        if tag == "form" and a.get("method", "get").lower() == "post":
            self._form = Form(action=a.get("action", ""))
            self.forms.append(self._form)
            if a.get("id"):
                self._by_id[a["id"]] = self._form
        if tag in ("button", "input") and a.get("formaction"):
            self._formactions.append((a["formaction"], a.get("form") or self._form))
        if self._form is None:
            return
        name = a.get("name")
        if tag == "option" and self._select is not None:
            self._select.options.append(a.get("value", ""))
        elif not name or name == "csrfmiddlewaretoken":
            return
        elif tag == "input":
            kind = a.get("type", "text").lower()
            if kind in ("submit", "button", "reset", "image"):
                return
            found = self._form.fields.setdefault(name, Field(name, kind))
            if kind in ("checkbox", "radio"):
                found.options.append(a.get("value", "on"))
                # A box for each choice carries its value; a yes/no box has none.
                found.multiple = kind == "checkbox" and "value" in a
            else:
                found.value = a.get("value", "")
                found.maxlength = int(a["maxlength"]) if a.get("maxlength") else None
        elif tag == "select":
            self._select = self._form.fields.setdefault(
                name, Field(name, "select", multiple="multiple" in a)
            )
        elif tag == "textarea":
            maxlength = int(a["maxlength"]) if a.get("maxlength") else None
            self._textarea = self._form.fields.setdefault(
                name, Field(name, "textarea", maxlength=maxlength)
            )

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea.value += data

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None


def forms_in(html: str) -> list[Form]:
    parser = _FormParser()
    parser.feed(html)
    forms = list(parser.forms)
    for action, owner in parser._formactions:
        form = parser._by_id.get(owner) if isinstance(owner, str) else owner
        if form is not None:
            forms.append(Form(action=action, fields=dict(form.fields)))
    return forms


def url_name(path: str) -> str | None:
    try:
        match = resolve(path.split("?")[0].split("#")[0])
    except Resolver404:
        return None
    return match.view_name


def find_form(action: str, pages: list[tuple[Client, str]]) -> Form | None:
    """The form posting to `action`, from the first of these pages that holds one."""
    for client, page in pages:
        response = client.get(page, follow=True)
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        for form in forms_in(response.text):
            if form.action == action:
                return form
    return None
