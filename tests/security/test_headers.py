"""Every page we serve, to the member and to someone signed out (and to htmx asking
for a fragment), carries the headers recovery_support/settings.py promises: a Content
Security Policy whose nonce is fresh and on every script and style, no sniffing, no
framing, no referrer beyond our own site, a browsing context of our own, and no copy
kept by any cache. HSTS and secure cookies apply in production only
(tests/recovery_support/test_production.py)."""

import re
from html.parser import HTMLParser

from django.conf import settings
from django.test import Client
from django.utils.csp import CSP

from tests.security.endpoints import client_for, row_id, url_for
from tests.sharing.test_access_matrix import MATRIX

GET_ROWS = [row for row in MATRIX if row.method == "GET"]

# The exceptions to "no copy kept by any cache": the web manifest and the service
# worker (recovery_support/pwa.py) hold nobody's data and keep the cache policy they
# were given. The manifest may be kept an hour by the browser alone (private: its words
# are in the reader's language); the worker is the same public file for everyone,
# revalidated on every fetch (no-cache), so a new version reaches everyone at their next
# visit. The offline page and the crisis card keep the rule.
PUBLIC_CACHE = {"web-manifest": "private, max-age=3600", "service-worker": "no-cache"}


def _expected_policy() -> dict[str, set[str]]:
    """settings.SECURE_CSP as the header spells it, without the nonce."""
    return {
        directive: {str(v) for v in values if v != CSP.NONCE}
        for directive, values in settings.SECURE_CSP.items()
    }


def _policy(header: str) -> dict[str, set[str]]:
    directives = (part.split() for part in header.split(";") if part.strip())
    return {name: set(values) for name, *values in directives}


class _InlineCode(HTMLParser):
    """What the policy governs in a page: script and style elements and their nonces,
    and the inline code no nonce can allow (event handlers, style attributes,
    javascript: links)."""

    def __init__(self):
        super().__init__()
        self.elements: list[tuple[str, str | None]] = []
        self.unsafe: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        data_block = tag == "script" and a.get("type") == "application/json"  # never run
        if tag in ("script", "style") and not data_block:
            self.elements.append((tag, a.get("nonce")))
        for name, value in attrs:
            if name.startswith("on") or name == "style":
                self.unsafe.append(f"<{tag} {name}=...>")
            if name in ("href", "src", "action") and (value or "").lower().startswith(
                "javascript:"
            ):
                self.unsafe.append(f"<{tag} {name}={value}>")


def _problems(response) -> list[str]:
    found = []
    headers = response.headers
    expected = {
        "X-Content-Type-Options": "nosniff",
        "X-Frame-Options": settings.X_FRAME_OPTIONS,
        "Referrer-Policy": settings.SECURE_REFERRER_POLICY,
        "Cross-Origin-Opener-Policy": settings.SECURE_CROSS_ORIGIN_OPENER_POLICY,
    }
    found += [
        f"{name}: {headers.get(name)!r}"
        for name, value in expected.items()
        if headers.get(name) != value
    ]
    cache = headers.get("Cache-Control", "")
    public = PUBLIC_CACHE.get(getattr(response.resolver_match, "view_name", None))
    if public is not None:
        if cache != public:
            found.append(f"Cache-Control: {cache!r}")
    elif "no-store" not in cache or "private" not in cache:
        found.append(f"Cache-Control: {cache!r}")
    if "Strict-Transport-Security" in headers:
        found.append("HSTS outside production")  # it would pin plain-HTTP development

    policy = _policy(headers.get("Content-Security-Policy", ""))
    nonces = {v for values in policy.values() for v in values if v.startswith("'nonce-")}
    without_nonce = {name: values - nonces for name, values in policy.items()}
    if without_nonce != _expected_policy():
        found.append(f"Content-Security-Policy: {headers.get('Content-Security-Policy')!r}")

    if "text/html" in headers.get("Content-Type", "") and response.content:
        page = _InlineCode()
        page.feed(response.content.decode())
        found += page.unsafe
        if page.elements:
            if len(nonces) != 1 or not nonces <= policy["script-src"] & policy["style-src"]:
                found.append(f"one nonce for scripts and styles: {sorted(nonces)}")
            nonce = next(iter(nonces), "'nonce-'")[7:-1]
            found += [f"<{tag} nonce={n!r}>" for tag, n in page.elements if n != nonce]
    for cookie in response.cookies.values():
        if not cookie["httponly"] or cookie["samesite"] != "Lax":
            found.append(f"cookie {cookie.key}: {cookie.OutputString()}")
    return found


def test_every_page_carries_the_security_headers(world):
    clients = {
        "member": client_for(world, "member"),
        "anonymous": Client(),
        "member, htmx": client_for(world, "member"),
    }
    problems, nonces, cookies, count = {}, [], set(), 0
    for row in GET_ROWS:
        url = url_for(row, world)
        for who, client in clients.items():
            headers = {"HX-Request": "true"} if "htmx" in who else {}
            response = client.get(url, headers=headers)
            count += 1
            cookies |= set(response.cookies)
            if found := _problems(response):
                problems[(row_id(row), who, response.status_code)] = found
            policy = response.headers.get("Content-Security-Policy", "")
            nonces += re.findall(r"'nonce-([^']+)'", policy)[:1]
    assert problems == {}
    assert len(nonces) == len(set(nonces)) > 40, "a fresh nonce for every response"
    assert count == 3 * len(GET_ROWS)
    assert settings.CSRF_COOKIE_NAME in cookies, "the cookie check saw the CSRF cookie"
