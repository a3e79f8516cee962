"""A constant-rate HTTP load generator, run as its own process:

    python -m benchmarks.loadgen < spec.json > result.json

wrk measures how fast the pages can go; this measures latency at a fixed arrival
rate, which wrk cannot hold. Request i is due at start + i / rate whether or not
earlier ones have finished (an open loop), and its latency counts from that due
time, so a stalled server cannot hide its stall by slowing the client down.
Standard library only, so it stays small next to the server it measures.

The spec: {"base": "http://127.0.0.1:8000", "rate": 50, "duration": 30,
"requests": [{"name": ..., "method": "GET", "path": ..., "headers": {...},
"body": "", "ok": [200]}, ...]}. Requests are sent round-robin from the list.
"""

from __future__ import annotations

import http.client
import json
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any
from urllib.parse import urlsplit

# Enough threads to keep the schedule while a few hundred requests are in flight.
THREADS = 64


def percentile(sorted_values: list[float], fraction: float) -> float:
    """Nearest-rank percentile of an already sorted list."""
    if not sorted_values:
        return float("nan")
    index = max(0, min(len(sorted_values) - 1, round(fraction * len(sorted_values)) - 1))
    return sorted_values[index]


def summary(latencies: list[float], errors: int) -> dict[str, float]:
    ordered = sorted(latencies)
    return {
        "count": len(latencies),
        "errors": errors,
        "p50_ms": percentile(ordered, 0.50) * 1000,
        "p95_ms": percentile(ordered, 0.95) * 1000,
        "p99_ms": percentile(ordered, 0.99) * 1000,
        "max_ms": (ordered[-1] if ordered else float("nan")) * 1000,
    }


def run(spec: dict[str, Any]) -> dict[str, Any]:
    host, port = urlsplit(spec["base"]).hostname, urlsplit(spec["base"]).port
    requests = spec["requests"]
    rate, duration = float(spec["rate"]), float(spec["duration"])
    total = int(rate * duration)
    local = threading.local()
    lock = threading.Lock()
    latencies: dict[str, list[float]] = {r["name"]: [] for r in requests}
    errors: dict[str, int] = {r["name"]: 0 for r in requests}
    samples: list[str] = []

    def send(request: dict[str, Any], due: float) -> None:
        ok = False
        try:
            connection = getattr(local, "connection", None)
            if connection is None:
                connection = local.connection = http.client.HTTPConnection(host, port, timeout=30)
            body = request.get("body") or None
            connection.request(request["method"], request["path"], body, request["headers"])
            response = connection.getresponse()
            response.read()
            ok = response.status in request.get("ok", [200])
            outcome = f"{response.status} {request['method']} {request['path']}"
            if response.will_close:  # gunicorn's sync workers close after each response
                connection.close()
        except (OSError, http.client.HTTPException) as error:
            local.connection = None
            outcome = f"{type(error).__name__} {request['method']} {request['path']}"
        elapsed = time.perf_counter() - due
        with lock:
            latencies[request["name"]].append(elapsed)
            if not ok:
                errors[request["name"]] += 1
                if len(samples) < 10:
                    samples.append(outcome)

    started = time.perf_counter() + 0.1
    with ThreadPoolExecutor(max_workers=THREADS) as pool:
        for i in range(total):
            due = started + i / rate
            if (wait := due - time.perf_counter()) > 0:
                time.sleep(wait)
            pool.submit(send, requests[i % len(requests)], due)
        elapsed = time.perf_counter() - started  # the schedule kept, before the last replies
    everything = [value for values in latencies.values() for value in values]
    return {
        "rate": rate,
        "achieved_rate": total / elapsed,
        "all": summary(everything, sum(errors.values())),
        "by_name": {name: summary(latencies[name], errors[name]) for name in latencies},
        "error_samples": samples,
    }


if __name__ == "__main__":
    json.dump(run(json.load(sys.stdin)), sys.stdout)
