"""The push tests' fixtures: a VAPID key of their own and the loopback push service."""

import pytest
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from django.urls import reverse
from py_vapid import Vapid02
from py_vapid.utils import b64urlencode

from tests import push_service


@pytest.fixture
def vapid(settings):
    key = Vapid02()
    key.generate_keys()
    raw = key.private_key.private_numbers().private_value.to_bytes(32, "big")
    settings.VAPID_PRIVATE_KEY = b64urlencode(raw)
    settings.VAPID_SUBJECT = "mailto:care@example.org"
    return b64urlencode(key.public_key.public_bytes(Encoding.X962, PublicFormat.UncompressedPoint))


@pytest.fixture
def pushes():
    service, server = push_service.start()
    yield service
    server.shutdown()
    server.server_close()


def subscribe(client, pushes, name: str) -> dict:
    subscription = pushes.subscription()
    response = client.post(reverse("push:subscribe"), {"device_name": name, **subscription})
    assert response.status_code == 201
    return subscription
