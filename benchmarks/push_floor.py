"""The floor of delivery by push on this machine: a notification already encrypted and
signed, posted to the push service over and over, with no database, no Celery and
nothing to encrypt.

    python -m benchmarks.push_floor ENDPOINT COUNT PATH

Posts COUNT times the request in PATH (JSON: its headers, and its body in base64)
to ENDPOINT, over one kept-alive connection."""

import base64
import http.client
import json
import sys
from pathlib import Path
from urllib.parse import urlsplit


def main(endpoint: str, count: int, request: dict) -> None:
    url = urlsplit(endpoint)
    body = base64.b64decode(request["body"])
    connection = http.client.HTTPConnection(url.hostname, url.port, timeout=60)
    for _ in range(count):
        connection.request("POST", url.path, body=body, headers=request["headers"])
        response = connection.getresponse()
        response.read()
        if response.status != 201:
            raise SystemExit(f"the push service answered {response.status}")


if __name__ == "__main__":
    endpoint, count, path = sys.argv[1:]
    main(endpoint, int(count), json.loads(Path(path).read_text()))
