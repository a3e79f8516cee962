import os
import shutil
import subprocess
import sys
import time
import types
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core.cache import cache
from django.urls import reverse

from tests.factories import PASSWORD, CounselorFactory, UserFactory

# Playwright's sync API runs an event loop in the test thread; the ORM calls we
# make from that thread are still plain synchronous ones.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

PROJECT_DIR = Path(__file__).resolve().parent.parent
OUTPUT_DIR = PROJECT_DIR / "test-output"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Rate limits live in Redis: each test starts with none used up."""
    cache.clear()


@pytest.fixture
def clock(monkeypatch):
    """Moves the time allauth's rate limits see, and only theirs."""
    from allauth.core.internal import ratelimit

    offset = {"seconds": 0.0}
    fake = types.SimpleNamespace(
        time=lambda: time.time() + offset["seconds"],
        monotonic=time.monotonic,
        sleep=time.sleep,
    )
    monkeypatch.setattr(ratelimit, "time", fake)

    def advance(seconds: float) -> None:
        offset["seconds"] += seconds

    return advance


# --- The standing people ------------------------------------------------------


@pytest.fixture
def member(db):
    return UserFactory(display_name="Jordan")


@pytest.fixture
def counselor(db):
    """A professional account that has not set up two-factor sign-in yet."""
    return CounselorFactory(display_name="Dr. Okafor", two_factor=False)


@pytest.fixture
def their_counselor(member):
    """The member's counselor: two-factor set up, and a grant from the member."""
    from sharing.models import Grant

    person = CounselorFactory(display_name="Dr. Ade")
    Grant.objects.create(member=member, grantee=person, role="counselor")
    return person


@pytest.fixture
def their_supporter(member):
    """The member's supporter: a member in their own right, with a supporter grant."""
    from sharing.models import Grant

    person = UserFactory(display_name="Robin")
    Grant.objects.create(member=member, grantee=person, role="supporter")
    return person


@pytest.fixture
def other_member(db):
    return UserFactory(display_name="Casey")


@pytest.fixture
def signed_in(client, member):
    """The test client, signed in as the member."""
    client.force_login(member)
    return client


def give_password_again(client) -> None:
    """What allauth asks before taking a copy of one's data or changing one's email
    address: the password again, on its own form."""
    response = client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    assert response.status_code == 302, response.content.decode()[:1000]


# --- Processes the tests start ------------------------------------------------


def subprocess_env(**overrides: str) -> dict[str, str]:
    """The environment for a process that must use the test database."""
    from django.db import connection

    parts = urlsplit(os.environ["DATABASE_URL"])
    env = dict(os.environ)
    env["DATABASE_URL"] = urlunsplit(parts._replace(path="/" + connection.settings_dict["NAME"]))
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    env.update(overrides)
    return env


def wait_until(condition, *, timeout: float = 30, interval: float = 0.2, message: str = ""):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = condition()
        if result:
            return result
        time.sleep(interval)
    raise AssertionError(message or f"condition not met within {timeout}s")


@pytest.fixture
def start_process():
    """Start a project command (celery, gunicorn ...) and stop it after the test."""
    from recovery_support.devstack import start_process as start
    from recovery_support.devstack import stop_process

    started = []

    def _start(args: list[str], env: dict[str, str]) -> subprocess.Popen:
        log = OUTPUT_DIR / "logs" / f"{Path(args[0]).name}-{len(started)}-{time.time():.0f}.log"
        log.parent.mkdir(parents=True, exist_ok=True)
        handle = log.open("w")
        process = start(args, env=env, cwd=PROJECT_DIR, stdout=handle, stderr=subprocess.STDOUT)
        process.log_path = log
        started.append((process, handle))
        return process

    yield _start
    for process, handle in started:
        stop_process(process)
        handle.close()


def venv_command(name: str) -> str:
    return str(Path(sys.executable).with_name(name))


# --- The browser --------------------------------------------------------------


def chromium_path() -> str | None:
    return (
        os.environ.get("CHROMIUM_PATH")
        or shutil.which("chromium")
        or shutil.which("chromium-browser")
    )


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium_path(),
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    """A phone-sized page: if it works here, it works on a desk too."""
    context = browser.new_context(
        base_url=live_server.url,
        viewport={"width": 390, "height": 844},
        device_scale_factor=1,
        is_mobile=True,
        has_touch=True,
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    console_errors: list[str] = []
    page.on("console", lambda m: m.type == "error" and console_errors.append(m.text))
    page.console_errors = console_errors
    yield page
    context.close()


def add_session(context, user, url: str) -> None:
    """Sign a person in to a browser context without walking the sign-in form."""
    from django.conf import settings
    from django.test import Client

    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": url}])


@pytest.fixture
def sign_in(page, live_server):
    def _sign_in(user):
        add_session(page.context, user, live_server.url)
        return page

    return _sign_in


_axe = Axe()


def audit(page) -> None:
    """Fail on any WCAG 2.2 A/AA (and axe best-practice) violation, and on any
    Content Security Policy report in the console."""
    results = _axe.run(page, options={"runOnly": {"type": "tag", "values": AXE_TAGS}})
    violations = results.response["violations"]
    assert not violations, f"{page.url}:\n" + results.generate_report()
    csp_errors = [e for e in page.console_errors if "Content Security Policy" in e]
    assert not csp_errors, csp_errors


def screenshot(page, name: str) -> Path:
    path = OUTPUT_DIR / "screenshots" / f"{name}.png"
    path.parent.mkdir(parents=True, exist_ok=True)
    # caret="initial": Playwright's default hides the caret with an inline style,
    # which the Content Security Policy then reports.
    page.screenshot(path=str(path), full_page=True, caret="initial")
    return path
