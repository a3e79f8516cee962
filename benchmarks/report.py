"""docs/benchmarks.md: one section per benchmark, each replaced when that benchmark
runs again, so `make bench BENCH=pages` keeps the other benchmarks' figures."""

from __future__ import annotations

import os
import platform
import re
import time
from dataclasses import dataclass
from pathlib import Path

OUTPUT = Path(__file__).resolve().parent.parent / "docs" / "benchmarks.md"
HEADER = "# Benchmarks\n\nFigures from `make bench`, as printed.\n"


@dataclass(frozen=True)
class Section:
    title: str
    body: str

    def text(self) -> str:
        return f"## {self.title}\n\n{self.body.strip()}\n"


def measured_on() -> str:
    return (
        f"Measured {time.strftime('%Y-%m-%d')} on {os.cpu_count()} cores "
        f"({platform.machine()}, Python {platform.python_version()}), "
        "PostgreSQL and Redis on the same machine (`make bench`)."
    )


def table(header: list[str], rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


def write(sections: list[Section]) -> None:
    """Replace these sections in the file, keep the others in their order."""
    existing = OUTPUT.read_text() if OUTPUT.exists() else HEADER
    parts = re.split(r"(?m)^(?=## )", existing)
    head, old = parts[0], parts[1:]
    by_title = {s.title: s.text() for s in sections}
    kept = []
    for part in old:
        title = part.splitlines()[0][3:].strip()
        kept.append(by_title.pop(title, part.rstrip() + "\n"))
    body = "\n".join([*kept, *by_title.values()])
    OUTPUT.parent.mkdir(exist_ok=True)
    OUTPUT.write_text(head.rstrip() + "\n\n" + body)
