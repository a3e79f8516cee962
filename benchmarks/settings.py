"""Production settings plus a bare view, for `make bench` only: the bare view gives
each page's throughput a floor to be measured against, in the same processes."""

from recovery_support.settings import *  # noqa: F403

ROOT_URLCONF = "benchmarks.urls"
