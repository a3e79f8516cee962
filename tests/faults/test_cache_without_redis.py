"""The cache while Redis is down: an empty cache that keeps nothing, logged once."""

import logging

from recovery_support.cache import ForgivingRedisCache
from recovery_support.devstack import free_port


def cache_on(url: str) -> ForgivingRedisCache:
    return ForgivingRedisCache(url, {"KEY_PREFIX": "test"})


def test_it_reads_nothing_keeps_nothing_and_logs_the_outage_once(caplog):
    cache = cache_on(f"redis://127.0.0.1:{free_port()}/1")  # nothing listens there
    with caplog.at_level(logging.WARNING, logger="recovery_support.cache"):
        assert cache.get("history", []) == []
        assert cache.get_many(["a", "b"]) == {}
        assert cache.has_key("history") is False
        assert cache.set("history", [1]) is None
        # True, so allauth's lock around a rate limit is taken and the person let in.
        assert cache.add("history:lock", True) is True
        assert cache.delete("history:lock") is False
    assert [r.getMessage() for r in caplog.records] == [
        "cache: Redis is not answering; going on without it"
    ]


def test_it_keeps_things_again_once_redis_is_back(dedicated_redis, caplog):
    cache = cache_on(dedicated_redis.url)
    dedicated_redis.stop()
    with caplog.at_level(logging.WARNING, logger="recovery_support.cache"):
        cache.set("history", [1])
        dedicated_redis.start()
        cache.set("history", [2])
    assert cache.get("history") == [2]
    assert [r.getMessage() for r in caplog.records] == [
        "cache: Redis is not answering; going on without it",
        "cache: Redis answers again",
    ]
