"""The cache while Redis is down: PostgreSQL keeps what Redis would have kept, so sign-in
goes on and its limits (and the two-factor codes already used) are still counted."""

import logging

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse
from redis import Redis

from recovery_support.cache import ForgivingRedisCache
from recovery_support.devstack import free_port
from tests.factories import PASSWORD
from tests.recovery_support.test_two_factor_flow import current_code

TOO_MANY = "Too many failed login attempts. Try again later."


def cache_on(url: str) -> ForgivingRedisCache:
    return ForgivingRedisCache(url, {"KEY_PREFIX": "test", "FALLBACK": "without_redis"})


def nowhere() -> str:
    return f"redis://127.0.0.1:{free_port()}/1"  # nothing listens there


@pytest.fixture
def redis_down(settings):
    """The project's cache, pointed at a Redis that does not answer."""
    settings.CACHES = {**settings.CACHES, "default": {**settings.CACHES["default"]}}
    settings.CACHES["default"]["LOCATION"] = nowhere()


@pytest.mark.django_db
def test_it_keeps_things_in_postgresql_and_logs_the_outage_once(caplog):
    cache = cache_on(nowhere())
    with caplog.at_level(logging.WARNING, logger="recovery_support.cache"):
        assert cache.get("history", []) == []
        cache.set("history", [1])
        assert cache.get("history") == [1]
        assert cache.get_many(["history", "other"]) == {"history": [1]}
        assert cache.has_key("history") is True
        # allauth's lock around a rate limit: taken once, and only once.
        assert cache.add("history:lock", True) is True
        assert cache.add("history:lock", True) is False
        assert cache.delete("history:lock") is True
    assert [r.getMessage() for r in caplog.records] == [
        "cache: Redis is not answering; keeping the cache in PostgreSQL"
    ]


@pytest.mark.django_db
def test_sign_in_limits_are_still_counted_while_redis_is_down(client, member, redis_down):
    for attempt in range(5):
        response = client.post(
            reverse("account_login"), {"login": member.email, "password": f"wrong-{attempt}"}
        )
        assert TOO_MANY not in response.content.decode(), attempt

    response = client.post(reverse("account_login"), {"login": member.email, "password": PASSWORD})

    assert TOO_MANY in response.content.decode()


@pytest.mark.django_db
def test_a_two_factor_code_is_still_used_only_once_while_redis_is_down(member, redis_down):
    secret = generate_totp_secret()
    totp = TOTP.activate(member, secret)
    code = current_code(secret)

    assert totp.validate_code(code)
    assert not totp.validate_code(code)


@pytest.mark.django_db
def test_the_table_the_cache_falls_back_to_is_made_by_a_migration(settings):
    """Not left to `createcachetable`, which only the test runner calls for us."""
    table = settings.CACHES["without_redis"]["LOCATION"]
    executor = MigrationExecutor(connection)
    migration = executor.loader.get_migration("recovery_support", "0005_cache_without_redis")

    executor.migrate(migration.dependencies)
    assert table not in connection.introspection.table_names()
    executor.loader.build_graph()
    executor.migrate([("recovery_support", migration.name)])
    assert table in connection.introspection.table_names()


@pytest.mark.django_db
def test_it_keeps_things_in_redis_again_once_redis_is_back(dedicated_redis, caplog):
    cache = cache_on(dedicated_redis.url)
    dedicated_redis.stop()
    with caplog.at_level(logging.WARNING, logger="recovery_support.cache"):
        cache.set("history", [1])
        dedicated_redis.start()
        cache.set("history", [2])
    assert cache.get("history") == [2]
    assert Redis.from_url(dedicated_redis.url).exists(cache.make_and_validate_key("history"))
    assert [r.getMessage() for r in caplog.records] == [
        "cache: Redis is not answering; keeping the cache in PostgreSQL",
        "cache: Redis answers again",
    ]
