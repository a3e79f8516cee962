"""Run the benchmarks and write their figures to docs/benchmarks.md.

    python -m benchmarks.run [pages] [traffic] [reminders] [soak]    # all when none named

`make bench` runs it (`make bench BENCH=pages` for one) against the throwaway
PostgreSQL and Redis that `recovery_support.devstack bench` starts.
"""

from __future__ import annotations

import shutil
import sys
import time
from collections.abc import Callable

from benchmarks import stack

NAMES = ["pages", "traffic", "reminders", "soak"]


def main(argv: list[str]) -> int:
    names = [name for arg in argv for name in arg.replace(",", " ").split()] or NAMES
    if unknown := sorted(set(names) - set(NAMES)):
        print(f"Unknown benchmark {', '.join(unknown)}; choose from {', '.join(NAMES)}.")
        return 2
    stack.configure()
    # Django is set up only now, so these import after configure().
    from django.core.management import call_command

    from benchmarks import pages, reminders, report, soak, traffic

    benchmarks: dict[str, Callable[[], report.Section]] = {
        "pages": pages.run,
        "traffic": traffic.run,
        "reminders": reminders.run,
        "soak": soak.run,
    }
    call_command("migrate", verbosity=0)
    call_command("collectstatic", "--noinput", verbosity=0)
    try:
        for name in NAMES:
            if name not in names:
                continue
            started = time.monotonic()
            section = benchmarks[name]()
            print(f"\n{section.text()}", flush=True)
            print(f"({name} took {time.monotonic() - started:.0f} s)\n", flush=True)
            # Written as each one finishes, so a later failure keeps the figures so far.
            report.write([section])
    finally:
        shutil.rmtree(stack.WORK_DIR, ignore_errors=True)
    print(f"Written to {report.OUTPUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
