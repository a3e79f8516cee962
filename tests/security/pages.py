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
        # Buttons that post a form to their own URL (formaction), the form named by
        # their form attribute or the one they sit in: (form id or form, URL).
        self._buttons: list[tuple[str | Form, str]] = []
        # What the page fetches on demand with htmx: (URL, the id it is drawn into).
        self.fragments: list[tuple[str, str]] = []

    def handle_starttag(self, tag, attrs):
        a = {k: v or "" for k, v in attrs}
        if a.get("hx-get") and tag != "form":
            target = a.get("hx-target", "")
            self.fragments.append((a["hx-get"], target[1:] if target.startswith("#") else ""))
        if tag == "form" and a.get("method", "get").lower() == "post":
            # Where it posts: a fragment (#add-source) is where the answer opens, not
            # part of the address the browser posts to.
            self._form = Form(action=a.get("action", "").partition("#")[0])
            self.forms.append(self._form)
            if a.get("id"):
                self._by_id[a["id"]] = self._form
        if tag == "button" and a.get("formaction") and a.get("type", "submit") == "submit":
            owner = a.get("form") or self._form
            if owner is not None:
                self._buttons.append((owner, a["formaction"].partition("#")[0]))
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
    return _parse(html).forms


def _parse(html: str) -> _FormParser:
    parser = _FormParser()
    parser.feed(html)
    parser.close()
    for owner, action in parser._buttons:
        form = parser._by_id.get(owner) if isinstance(owner, str) else owner
        if form is not None:  # the button posts that form's fields to its own URL
            parser.forms.append(Form(action=action, fields=dict(form.fields)))
    return parser


def forms_on(client: Client, page: str) -> list[Form]:
    """The forms a person sees on the page, with those the page fetches on demand
    (htmx: the network's add form) as their buttons ask for them."""
    response = client.get(page, follow=True)
    if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
        return []
    parsed = _parse(response.text)
    forms = list(parsed.forms)
    seen = set()
    for url, target in parsed.fragments:
        if (url, target) in seen or url_name(url) is None:
            continue
        seen.add((url, target))
        headers = {"HX-Request": "true", "HX-Current-URL": page}
        if target:
            headers["HX-Target"] = target
        fragment = client.get(url, headers=headers)
        if fragment.status_code == 200 and "text/html" in fragment.get("Content-Type", ""):
            forms += _parse(fragment.text).forms
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
        for form in forms_on(client, page):
            if form.action == action:
                return form
    return None
