"""The floor of delivery by email on this machine: an email already built, handed to
the SMTP sink over and over, with no database, no Celery and nothing to build.

    python -m benchmarks.smtp_floor PORT FIRST COUNT BATCH PATH

Sends COUNT copies of the message in PATH, each to its own address (from FIRST on),
over a new connection every BATCH, as a delivery task does."""

import smtplib
import sys
from pathlib import Path


def main(port: int, first: int, count: int, batch: int, message: bytes) -> None:
    sender = "care@example.org"
    for start in range(first, first + count, batch):
        with smtplib.SMTP("127.0.0.1", port) as smtp:
            for n in range(start, min(start + batch, first + count)):
                smtp.sendmail(sender, [f"floor-{n}@example.org"], message)


if __name__ == "__main__":
    port, first, count, batch, path = sys.argv[1:]
    main(int(port), int(first), int(count), int(batch), Path(path).read_bytes())
