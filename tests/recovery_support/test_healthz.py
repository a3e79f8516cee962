import pytest
from django.urls import reverse

from recovery_support.devstack import free_port

pytestmark = pytest.mark.django_db


def test_it_answers_ok_when_postgres_and_redis_answer(client):
    response = client.get(reverse("healthz"))
    assert response.status_code == 200
    assert response.json() == {"database": "ok", "redis": "ok"}


def test_it_answers_503_when_redis_is_down(client, settings):
    settings.REDIS_URL = f"redis://127.0.0.1:{free_port()}/0"
    response = client.get(reverse("healthz"))
    assert response.status_code == 503
    assert response.json() == {"database": "ok", "redis": "down"}
