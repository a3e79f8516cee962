"""A Web Push service of our own on loopback: it hands out subscriptions the way a
browser would (an ECDH key pair and an auth secret each), and for each message
pushed to one it checks the VAPID header, decrypts the body with the subscription's
private key (http_ece, aes128gcm, RFC 8291) and records what it read. Endpoints
marked gone answer 410, as a real push service does for an expired subscription."""

import base64
import json
import os
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import http_ece
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def unb64url(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


@dataclass
class Received:
    path: str
    headers: dict
    payload: dict
    vapid_claims: dict
    vapid_key: str


@dataclass
class PushService:
    url: str = ""
    received: list[Received] = field(default_factory=list)
    gone: dict[str, int] = field(default_factory=dict)  # path: status it answers
    hang_up: bool = False  # close each connection after answering, without saying so
    _keys: dict = field(default_factory=dict)

    def subscription(self) -> dict:
        """What a browser's pushManager.subscribe() gives, as the page posts it."""
        private_key = ec.generate_private_key(ec.SECP256R1())
        auth = os.urandom(16)
        path = f"/push/{b64url(os.urandom(12))}"
        self._keys[path] = (private_key, auth)
        public = private_key.public_key().public_bytes(
            Encoding.X962, PublicFormat.UncompressedPoint
        )
        return {"endpoint": self.url + path, "p256dh": b64url(public), "auth": b64url(auth)}

    def handle(self, path: str, headers: dict, body: bytes) -> int:
        if path in self.gone:
            return self.gone[path]
        if path not in self._keys:
            return 404
        private_key, auth = self._keys[path]
        scheme, _, params = headers["authorization"].partition(" ")
        assert scheme == "vapid", headers["authorization"]
        parts = dict(p.strip().split("=", 1) for p in params.split(","))
        claims = json.loads(unb64url(parts["t"].split(".")[1]))
        plain = http_ece.decrypt(body, private_key=private_key, auth_secret=auth)
        self.received.append(Received(path, headers, json.loads(plain), claims, parts["k"]))
        return 201


class _Handler(BaseHTTPRequestHandler):
    service: PushService
    protocol_version = "HTTP/1.1"  # kept alive, as a real push service's connections are

    def do_GET(self) -> None:
        """For a push service in a process of its own (the benchmark): GET
        /subscriptions?count=N hands out N subscriptions, GET /received tells how many
        messages were read, and how many distinct subscriptions they went to."""
        if self.path.startswith("/subscriptions"):
            count = int(self.path.partition("count=")[2] or 1)
            answer = [self.service.subscription() for _ in range(count)]
        else:
            received = list(self.service.received)
            answer = {
                "received": len(received),
                "distinct": len({r.path for r in received}),
                "titles": sorted({r.payload.get("title", "") for r in received}),
            }
        body = json.dumps(answer).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        headers = {k.lower(): v for k, v in self.headers.items()}
        status = self.service.handle(self.path, headers, body)
        self.send_response(status)
        self.send_header("Content-Length", "0")
        self.end_headers()
        self.close_connection = self.service.hang_up

    def log_message(self, *args) -> None:
        pass


def start(port: int = 0) -> tuple[PushService, ThreadingHTTPServer]:
    service = PushService()
    handler = type("Handler", (_Handler,), {"service": service})
    server = ThreadingHTTPServer(("127.0.0.1", port), handler)
    server.daemon_threads = True
    service.url = f"http://127.0.0.1:{server.server_address[1]}"
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return service, server


if __name__ == "__main__":
    # A push service in a process of its own: `python -m tests.push_service PORT`.
    import sys

    _, running = start(int(sys.argv[1]))
    print(f"push service on {running.server_address[1]}", flush=True)
    threading.Event().wait()
