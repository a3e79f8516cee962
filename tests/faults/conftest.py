"""What the fault tests share: a production-like gunicorn, a client that talks to it as a
browser behind our TLS proxy would, and PostgreSQL / Redis servers of their own that a
test may stop and start without disturbing the rest of the suite."""

import contextlib
import http.client
import re
import shutil
import subprocess
import sys
import tempfile
import time
import warnings
from dataclasses import dataclass
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

import pytest

from recovery_support.devstack import embedded_postgres, free_port
from tests.compose import PROJECT_DIR, service_command
from tests.conftest import wait_until
from tests.recovery_support.test_production import production_env

# Every request gets an answer well within this, or the test fails: a request that
# waits on a dead database or cache is the hang these tests are here to catch.
REQUEST_TIMEOUT = 15
ERROR_PAGE = "Something went wrong on our side"  # templates/500.html


def manage(*args: str, env: dict[str, str], timeout: float = 180) -> str:
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=PROJECT_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


@pytest.fixture(scope="session")
def static_root(tmp_path_factory) -> Path:
    """Production settings serve hashed static files: collect them once for all tests."""
    root = tmp_path_factory.mktemp("static")
    manage("collectstatic", "--noinput", env=production_env(DJANGO_STATIC_ROOT=str(root)))
    return root


def web_env(static_root: Path, port: int, **overrides: str) -> dict[str, str]:
    return production_env(
        DJANGO_STATIC_ROOT=str(static_root),
        HOST="127.0.0.1",
        PORT=str(port),
        WEB_CONCURRENCY="2",
        **overrides,
    )


def start_gunicorn(start_process, env: dict[str, str]):
    """gunicorn exactly as docker-compose runs it; returns once /healthz answers 200."""
    process = start_process(service_command("web"), env=env)
    process.base = f"127.0.0.1:{env['PORT']}"

    def healthy():
        assert process.poll() is None, process.log_path.read_text()
        with contextlib.suppress(OSError):
            return Browser(process.base).get("/healthz").status == 200
        return False

    wait_until(healthy, timeout=90, message="gunicorn did not become healthy")
    return process


# --- A client for gunicorn --------------------------------------------------------


@dataclass
class Response:
    status: int
    body: str
    location: str
    seconds: float

    @property
    def is_error_page(self) -> bool:
        """Our own "something went wrong" page, not a traceback or a proxy's blank."""
        return self.status in (500, 503) and ERROR_PAGE in self.body


class Browser:
    """Keeps cookies, sends the CSRF token with every POST and does not follow redirects.
    Requests say they came through the TLS proxy (X-Forwarded-Proto), as production
    settings expect; a fresh connection each time, so no request waits on another."""

    def __init__(self, base: str):
        self.base = base
        self.cookies: dict[str, str] = {}
        self.csrf_token = ""

    def get(self, path: str) -> Response:
        return self.request("GET", path)

    def post(self, path: str, data: dict) -> Response:
        return self.request("POST", path, {"csrfmiddlewaretoken": self.csrf_token, **data})

    def request(self, method: str, path: str, data: dict | None = None) -> Response:
        host, port = self.base.split(":")
        headers = {
            "X-Forwarded-Proto": "https",
            "Cookie": "; ".join(f"{name}={value}" for name, value in self.cookies.items()),
        }
        body = None
        if data is not None:
            body = urlencode(data, doseq=True)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Origin"] = f"https://{self.base}"
        started = time.monotonic()
        connection = http.client.HTTPConnection(host, int(port), timeout=REQUEST_TIMEOUT)
        try:
            connection.request(method, path, body=body, headers=headers)
            answer = connection.getresponse()
            text = answer.read().decode()
        finally:
            connection.close()
        for header in answer.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                self.cookies[name] = morsel.value
        if token := re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', text):
            self.csrf_token = token.group(1)
        return Response(
            answer.status, text, answer.getheader("Location", ""), time.monotonic() - started
        )

    def sign_in(self, email: str, password: str) -> Response:
        self.get("/accounts/login/")
        return self.post("/accounts/login/", {"login": email, "password": password})


# --- Servers a test may stop --------------------------------------------------------


class DedicatedPostgres:
    """A PostgreSQL of the test's own, from the same pgserver build devstack uses."""

    def __init__(self, server, url: str):
        self.server = server
        self.url = url

    def stop(self) -> None:
        """Like `pg_ctl stop -m fast`: open connections are cut, the data stays."""
        from pgserver._commands import pg_ctl

        pg_ctl(
            ["-w", "-t", "60", "-m", "fast", "stop"],
            pgdata=self.server.pgdata,
            user=self.server.system_user,  # pg_ctl refuses root; pgserver runs it as its user
            timeout=90,
        )

    def start(self) -> None:
        """Start it again on the same socket (so the same DATABASE_URL) through pgserver,
        which then knows the new server and stops it when the test ends."""
        with self.server._lock:
            self.server.ensure_postgres_running()


@pytest.fixture
def dedicated_postgres():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import pgserver

    data_dir = Path(tempfile.mkdtemp(prefix="rs-fault-"))
    try:
        with embedded_postgres(data_dir / "pgdata", throwaway=True) as url:
            yield DedicatedPostgres(pgserver.get_server(data_dir / "pgdata"), url)
    finally:
        shutil.rmtree(data_dir, ignore_errors=True)


class DedicatedRedis:
    def __init__(self, data_dir: Path):
        self.data_dir = data_dir
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process = None

    def start(self) -> None:
        from recovery_support.devstack import start_redis

        self.process = start_redis(self.data_dir, self.port, persist=False)

    def stop(self) -> None:
        from recovery_support.devstack import stop_process

        if self.process is not None:
            stop_process(self.process)


@pytest.fixture
def dedicated_redis(tmp_path):
    redis = DedicatedRedis(tmp_path / "redis")
    redis.start()
    try:
        yield redis
    finally:
        redis.stop()
