"""Where a page's time goes, in one process: each main page of the page benchmark
drawn, timed against the bare view in alternation, and profiled with cProfile on
request.

    DATABASE_URL=... REDIS_URL=... python -m benchmarks.profile [--profile | --queries PATH]
    python -m benchmarks.profile --postgres --rounds 100   # and PostgreSQL's CPU

Production settings and the page benchmark's data (built once, kept in that
database); Django's test client, so no gunicorn or network is measured. Without
DATABASE_URL it starts a throwaway PostgreSQL and Redis (recovery_support.devstack).
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def _viewers() -> dict[str, str]:
    """Each main page, with the Cookie header of whoever views it: the page
    benchmark's member and counselor, and a supporter of that member."""
    from django.conf import settings

    from benchmarks import pages, stack
    from recovery_support.models import User
    from sharing.models import Grant, Role

    member, counselor = pages.full_member(), pages.counselor_with_clients()
    supporter, _ = User.objects.get_or_create(
        email="bench-supporter@example.org",
        defaults={"display_name": "Alex", "time_zone": settings.DEFAULT_MEMBER_TIME_ZONE},
    )
    Grant.objects.get_or_create(member=member, grantee=supporter, role=Role.SUPPORTER)
    client_id = Grant.objects.filter(grantee=counselor).values_list("member", flat=True)[0]
    as_member, as_counselor = stack.session_cookie(member), stack.session_cookie(counselor)
    viewers = {path: as_member for path in MEMBER_PATHS}
    viewers["/clients/"] = viewers["/clients/?all=1"] = as_counselor
    viewers[f"/clients/{client_id}/"] = as_counselor
    viewers[f"/supporting/{member.pk}/"] = stack.session_cookie(supporter)
    return viewers


MEMBER_PATHS = [
    "/bench/bare/",
    "/dashboard/",
    "/network/",
    "/plan/step/1/",
    "/plan/step/2/",
    "/plan/step/3/",
    "/plan/step/4/",
    "/plan/checkin/",
    "/plan/checkin/history/",
]


def timings(
    paths: list[str],
    rounds: int,
    profile_path: str | None,
    queries_path: str | None = None,
    postgres: bool = False,
) -> None:
    from benchmarks import pages, stack

    viewers = _viewers()
    clients = {path: _client(cookie) for path, cookie in viewers.items()}
    wanted = paths or [path for path in viewers if path != pages.BARE.path]

    def get(path: str) -> None:
        response = clients[path].get(path, headers=stack.PROXY_HEADERS)
        if response.status_code != 200:
            raise RuntimeError(f"{path} answered {response.status_code}")

    for path in [pages.BARE.path, *wanted]:  # first requests: connections, imports
        get(path)
    if queries_path:
        _print_queries(lambda: get(queries_path))
        return
    if postgres:
        _print_postgres_cpu(wanted, get, rounds)
        return
    if profile_path:
        profiler = cProfile.Profile()
        profiler.enable()
        for _ in range(rounds):
            get(profile_path)
        profiler.disable()
        stats = pstats.Stats(profiler).sort_stats("cumulative")
        stats.print_stats(45)
        stats.sort_stats("tottime").print_stats(30)
        return
    # CPU time of this process (the page's Python) and wall time (with its queries),
    # the fastest of the rounds: on a busy machine the least disturbed figure.
    print(f"{'page':28} {'cpu ms':>7} {'bare':>6} {'of bare':>8} {'wall ms':>8} {'bare':>6}")
    for path in wanted:
        cpu: list[list[float]] = [[], []]
        wall: list[list[float]] = [[], []]
        for _ in range(rounds):
            for i, p in enumerate((pages.BARE.path, path)):
                started_cpu, started = time.process_time(), time.perf_counter()
                get(p)
                cpu[i].append(1000 * (time.process_time() - started_cpu))
                wall[i].append(1000 * (time.perf_counter() - started))
        bare_cpu, page_cpu = min(cpu[0]), min(cpu[1])
        print(
            f"{path:28} {page_cpu:7.2f} {bare_cpu:6.2f} {bare_cpu / page_cpu:8.0%} "
            f"{min(wall[1]):8.2f} {min(wall[0]):6.2f}"
        )


def _print_postgres_cpu(paths: list[str], get, rounds: int) -> None:
    """Each page's CPU a request, on average over the rounds: this process's (the
    page's Python) and that of the PostgreSQL backend serving its connection (read
    from the operating system, which counts in ticks: hence the average)."""
    import psutil
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        backend = psutil.Process(cursor.fetchone()[0])

    def backend_cpu() -> float:
        times = backend.cpu_times()
        return times.user + times.system

    print(f"{'page':28} {'cpu ms':>7} {'postgres ms':>12}")
    for path in paths:
        started_cpu, started_backend = time.process_time(), backend_cpu()
        for _ in range(rounds):
            get(path)
        cpu = 1000 * (time.process_time() - started_cpu) / rounds
        print(f"{path:28} {cpu:7.2f} {1000 * (backend_cpu() - started_backend) / rounds:12.2f}")


def _print_queries(get) -> None:
    """Each query of one request, with its time (as Django's debug cursor records it)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        get()
    for query in captured.captured_queries:
        print(f"{float(query['time']) * 1000:7.2f} ms  {query['sql'][:300]}")
    print(f"{len(captured)} queries")


def _client(cookie: str):
    from django.test import Client

    client = Client(HTTP_HOST="127.0.0.1")
    for part in cookie.split("; "):
        name, value = part.split("=", 1)
        client.cookies[name] = value
    return client


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="*", help="pages to time (default: the page benchmark's)")
    parser.add_argument("--rounds", type=int, default=40)
    parser.add_argument("--profile", metavar="PATH", help="cProfile this page instead")
    parser.add_argument("--queries", metavar="PATH", help="list this page's queries instead")
    parser.add_argument(
        "--postgres", action="store_true", help="each page's CPU and PostgreSQL's, on average"
    )
    args = parser.parse_args(argv)
    if not os.environ.get("DATABASE_URL"):
        from recovery_support.devstack import services

        data_dir = Path(tempfile.mkdtemp(prefix="rs-profile-"))
        try:
            with services(data_dir, throwaway=True) as env:
                command = [sys.executable, "-m", "benchmarks.profile", *argv]
                return subprocess.run(command, env=env, check=False).returncode
        finally:
            shutil.rmtree(data_dir, ignore_errors=True)
    from benchmarks import stack

    stack.configure("benchmarks.settings")
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("collectstatic", "--noinput", verbosity=0)
    try:
        timings(args.paths, args.rounds, args.profile, args.queries, args.postgres)
    finally:
        shutil.rmtree(stack.WORK_DIR, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
