"""The fragment cache with its hits and misses counted, for the benchmarks.

Each web process writes its running totals to a file of its own in
BENCH_COUNT_DIR (every 32 lookups, and when it exits); `totals` adds them up."""

from __future__ import annotations

import atexit
import json
import os
from collections import Counter
from pathlib import Path

from django.core.cache.backends.locmem import LocMemCache

FLUSH_EVERY = 32


class CountingLocMemCache(LocMemCache):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._counts = Counter()
        self._pid = None
        folder = os.environ.get("BENCH_COUNT_DIR")
        self._folder = Path(folder) if folder else None
        if self._folder:
            atexit.register(self._flush)

    def get(self, key, default=None, version=None):
        value = super().get(key, default, version)
        self._counts["miss" if value is default else "hit"] += 1
        if self._folder and sum(self._counts.values()) % FLUSH_EVERY == 0:
            self._flush()
        return value

    def _flush(self) -> None:
        if os.getpid() != self._pid:  # a forked worker starts its own count
            if self._pid is not None:
                self._counts = Counter()
            self._pid = os.getpid()
        self._folder.mkdir(parents=True, exist_ok=True)
        (self._folder / f"{self._pid}.json").write_text(json.dumps(self._counts))


def totals(folder: Path) -> Counter:
    """Hits and misses over every web process so far."""
    total = Counter()
    for path in folder.glob("*.json"):
        try:
            total.update(json.loads(path.read_text()))
        except (OSError, ValueError):  # being written at this moment
            continue
    return total
