"""/healthz tells a load balancer when PostgreSQL stops answering."""

from contextlib import contextmanager

import pytest
from django.db import OperationalError, connection
from django.urls import reverse

from recovery_support.devstack import free_port
from recovery_support.models import User

# Not wrapped in a transaction: the connection is really closed and reopened.
pytestmark = pytest.mark.django_db(transaction=True)


@contextmanager
def database_unreachable():
    """Point the default connection at a port nothing listens on, then back."""
    saved = dict(connection.settings_dict)
    connection.close()
    connection.settings_dict.update(HOST="127.0.0.1", PORT=str(free_port()))
    try:
        yield
    finally:
        connection.close()
        connection.settings_dict.clear()
        connection.settings_dict.update(saved)


def test_it_answers_503_when_the_database_does_not_answer(client):
    with database_unreachable():
        with pytest.raises(OperationalError):
            connection.ensure_connection()
        response = client.get(reverse("healthz"))

    assert response.status_code == 503
    assert response.json() == {"status": "down"}


def test_it_answers_ok_again_once_the_database_is_back(client, member):
    with database_unreachable():
        assert client.get(reverse("healthz")).status_code == 503

    response = client.get(reverse("healthz"))
    assert response.status_code == 200
    assert response.json() == {"status": "up"}
    assert User.objects.filter(pk=member.pk).exists()
