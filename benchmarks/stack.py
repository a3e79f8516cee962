"""The production stack the benchmarks start: gunicorn, Celery worker and beat, on the
PostgreSQL and Redis that `recovery_support.devstack bench` started, plus helpers to
sign in, wait for processes and read their memory.

`configure()` runs first, before Django is set up: the benchmark process and every
process it starts share one production configuration (the same SECRET_KEY, so a
session made here is valid in gunicorn; the same `__Host-` cookie names).
"""

from __future__ import annotations

import base64
import os
import re
import secrets
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import psutil

from recovery_support.devstack import PROJECT_DIR, free_port, start_process, stop_process

BIN = Path(sys.executable).parent
WORK_DIR = Path(tempfile.mkdtemp(prefix="rs-bench-run-"))
# The header our TLS proxy sets; without it production settings redirect to https.
PROXY_HEADERS = {"X-Forwarded-Proto": "https"}


def configure(settings_module: str = "recovery_support.settings") -> None:
    """Production settings for this process and its children, then Django."""
    os.environ.update(
        DJANGO_PRODUCTION="true",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        # A Fernet key (32 url-safe base64-encoded bytes): production requires one.
        MFA_ENCRYPTION_KEY=base64.urlsafe_b64encode(secrets.token_bytes(32)).decode(),
        DJANGO_ALLOWED_HOSTS="127.0.0.1",
        SITE_URL="https://recovery.example.org",
        # Replaced by the SMTP sink's port wherever a worker sends email.
        EMAIL_HOST="127.0.0.1",
        EMAIL_PORT="25",
        EMAIL_USE_TLS="false",
        DJANGO_STATIC_ROOT=str(WORK_DIR / "static"),
        DJANGO_SETTINGS_MODULE=settings_module,
        DJANGO_LOG_LEVEL="WARNING",
    )
    os.environ.pop("DJANGO_DEBUG", None)
    import django

    django.setup()


def child_env(**overrides: str) -> dict[str, str]:
    return {**os.environ, "PYTHONUNBUFFERED": "1", **overrides}


@dataclass
class Service:
    """A started process with its log file, stopped with its whole process group."""

    name: str
    process: subprocess.Popen
    log: Path

    def check(self) -> None:
        if self.process.poll() is not None:
            raise RuntimeError(f"{self.name} exited: {self.log_tail()}")

    def log_tail(self, lines: int = 30) -> str:
        return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])

    def log_count(self, pattern: str) -> int:
        return len(re.findall(pattern, self.log.read_text(errors="replace"), re.MULTILINE))

    def stop(self) -> None:
        stop_process(self.process, timeout=20)


def start(name: str, args: list[str], env: dict[str, str]) -> Service:
    log = WORK_DIR / f"{name}.log"
    handle = log.open("ab")
    process = start_process(args, env=env, cwd=PROJECT_DIR, stdout=handle, stderr=subprocess.STDOUT)
    handle.close()
    return Service(name, process, log)


def wait_until(condition: Callable[[], object], *, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    raise RuntimeError(f"{what} within {timeout:.0f}s")


# --- gunicorn -------------------------------------------------------------------


@dataclass
class Web:
    service: Service
    base: str

    @property
    def port(self) -> int:
        return int(self.base.rsplit(":", 1)[1])

    def serving(self) -> list[psutil.Process]:
        """gunicorn's processes and PostgreSQL's: what a request costs is spent there."""
        return [*family(self.service.process.pid), *postgres_processes()]


def start_web() -> Web:
    """gunicorn with the production config, serving the bench URLconf (the project's
    URLs plus a bare view) so the bare view runs in the same processes."""
    port = free_port()
    env = child_env(DJANGO_SETTINGS_MODULE="benchmarks.settings", HOST="127.0.0.1", PORT=str(port))
    args = [str(BIN / "gunicorn"), "-c", "python:recovery_support.gunicorn_conf"]
    service = start("gunicorn", [*args, "recovery_support.wsgi"], env)
    web = Web(service, f"http://127.0.0.1:{port}")

    def healthy() -> bool:
        service.check()
        try:
            return get(web.base + "/healthz").status == 200
        except OSError:
            return False

    wait_until(healthy, timeout=60, what="gunicorn did not answer /healthz")
    return web


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def get(url: str, headers: dict[str, str] | None = None):
    """One GET that returns redirects and errors instead of following or raising."""
    opener = urllib.request.build_opener(_NoRedirect)
    # Only our own http://127.0.0.1 addresses come here.
    request = urllib.request.Request(url, headers={**PROXY_HEADERS, **(headers or {})})  # noqa: S310
    try:
        return opener.open(request, timeout=10)
    except urllib.error.HTTPError as response:
        return response


def session_cookie(user) -> str:
    """The Cookie header of a browser signed in as `user`: its session, and the CSRF
    cookie a browser has from the first page it loaded (the sign-in page)."""
    from django.conf import settings
    from django.middleware.csrf import CSRF_ALLOWED_CHARS
    from django.test import Client
    from django.utils.crypto import get_random_string

    client = Client()
    client.force_login(user)
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    csrf = get_random_string(32, CSRF_ALLOWED_CHARS)
    return f"{settings.SESSION_COOKIE_NAME}={session}; {settings.CSRF_COOKIE_NAME}={csrf}"


def csrf_secret(cookie: str) -> str:
    """The CSRF secret in a Cookie header from session_cookie()."""
    from django.conf import settings

    return cookie.split(f"{settings.CSRF_COOKIE_NAME}=", 1)[1].split(";", 1)[0]


# --- Celery ----------------------------------------------------------------------


def start_worker(smtp_port: int, **env_overrides: str) -> Service:
    """The worker as docker-compose runs it (concurrency: one process per core)."""
    env = child_env(EMAIL_PORT=str(smtp_port), **env_overrides)
    args = [str(BIN / "celery"), "-A", "recovery_support", "worker", "--loglevel", "INFO"]
    worker = start("worker", args, env)

    def ready() -> bool:
        worker.check()
        return worker.log_count(r" ready\.$") > 0

    wait_until(ready, timeout=60, what="the Celery worker was not ready")
    return worker


def start_beat() -> Service:
    args = [str(BIN / "celery"), "-A", "recovery_support", "beat", "--loglevel", "INFO"]
    schedule = str(WORK_DIR / "celerybeat-schedule")
    beat = start("beat", [*args, "--schedule", schedule], child_env())

    def started() -> bool:
        beat.check()
        return beat.log_count(r"beat: Starting") > 0

    wait_until(started, timeout=60, what="Celery beat did not start")
    return beat


# --- Memory -------------------------------------------------------------------------


def family(pid: int) -> list[psutil.Process]:
    """A process and all its descendants that are still alive."""
    try:
        parent = psutil.Process(pid)
        return [parent, *parent.children(recursive=True)]
    except psutil.NoSuchProcess:
        return []


def rss(processes: list[psutil.Process]) -> list[int]:
    sizes = []
    for process in processes:
        try:
            sizes.append(process.memory_info().rss)
        except psutil.NoSuchProcess:
            continue
    return sizes


def cpu_seconds(processes: list[psutil.Process]) -> dict[int, float]:
    """Each process's CPU time so far (user and system) under its pid, and under minus
    its pid that of its children that have ended: a gunicorn worker replaced after
    max_requests is counted in its master once reaped, as an ended PostgreSQL backend
    is in the postmaster."""
    seconds = {}
    for process in processes:
        try:
            times = process.cpu_times()
        except psutil.NoSuchProcess:
            continue
        seconds[process.pid] = times.user + times.system
        seconds[-process.pid] = times.children_user + times.children_system
    return seconds


def cpu_used(before: dict[int, float], after: dict[int, float]) -> float:
    """CPU seconds spent between two readings (cpu_seconds). A process that ended in
    between counts through its parent's ended children, which hold all of its time:
    less what it had spent by the first reading. A process started in between counts
    from zero."""
    ended = [pid for pid in before if pid > 0 and pid not in after]
    spent = sum(t - before.get(pid, 0.0) for pid, t in after.items())
    # (A worker reaped between its master's reading and its own is missed: rare.)
    return spent - sum(before[pid] + before.get(-pid, 0.0) for pid in ended)


def peak_rss(processes: list[psutil.Process]) -> list[int]:
    """Each process's peak resident memory so far (VmHWM), in bytes."""
    sizes = []
    for process in processes:
        try:
            status = Path(f"/proc/{process.pid}/status").read_text()
        except OSError:
            continue
        if found := re.search(r"^VmHWM:\s+(\d+) kB", status, re.MULTILINE):
            sizes.append(int(found.group(1)) * 1024)
    return sizes


def postgres_processes() -> list[psutil.Process]:
    """The postmaster (the parent of our own backend) and all its children."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        backend = cursor.fetchone()[0]
    return family(psutil.Process(backend).parent().pid)


def redis_processes() -> list[psutil.Process]:
    from urllib.parse import urlsplit

    port = str(urlsplit(os.environ["REDIS_URL"]).port)
    found = []
    for process in psutil.process_iter(["name", "cmdline"]):
        # redis-server retitles itself "redis-server 127.0.0.1:PORT".
        cmdline = " ".join(process.info["cmdline"] or [])
        if "redis-server" in cmdline and (f":{port}" in cmdline or f"--port {port}" in cmdline):
            found.append(process)
    return found


def mib(size: float) -> str:
    return f"{size / 2**20:.0f} MiB"
