"""Production settings plus a bare view, for `make bench` only: the bare view gives
each page's throughput a floor to be measured against, in the same processes.

BENCH_FRAGMENTS=off turns the fragment cache off (Django's DummyCache: every
lookup misses), to measure what drawing a page costs. Otherwise the cache counts
its hits and misses (benchmarks/counting.py)."""

import os

from recovery_support.settings import *  # noqa: F403
from recovery_support.settings import CACHES

ROOT_URLCONF = "benchmarks.urls"

if os.environ.get("BENCH_FRAGMENTS", "on") == "off":
    CACHES["fragments"] = {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}
else:
    CACHES["fragments"]["BACKEND"] = "benchmarks.counting.CountingLocMemCache"
