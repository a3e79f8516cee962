import pytest
from django.urls import reverse

from recovery_support.devstack import free_port

pytestmark = pytest.mark.django_db


def test_it_answers_ok_when_postgres_and_redis_answer(client):
    response = client.get(reverse("healthz"))
    assert response.status_code == 200
    assert response.json() == {"status": "up"}


def test_it_answers_503_when_redis_is_down_and_says_why_only_in_the_log(client, settings, caplog):
    settings.REDIS_URL = f"redis://127.0.0.1:{free_port()}/0"
    response = client.get(reverse("healthz"))
    assert response.status_code == 503
    assert response.json() == {"status": "down"}  # nothing for the public to learn from
    assert "healthz: Redis is not answering" in caplog.text
