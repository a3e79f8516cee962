"""The cache on Redis, kept in PostgreSQL while Redis is down.

Only allauth uses the cache: its rate limits (signing in, two-factor codes, and the
limits on sending of recovery_support/limits.py) and the TOTP codes already used. A
Redis outage must not stop anyone signing in, nor switch those protections off, so
while Redis does not answer every operation goes to the cache named FALLBACK instead
(a DatabaseCache: its table is made by a migration). What was counted in Redis before
the outage, or in PostgreSQL during it, is not carried over: each count starts again.
Each process logs the outage once when it begins (and /healthz answers "down") and
once when Redis answers again.
"""

import functools
import logging

from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)


def _or_fallback(method):
    """Run the cache operation on Redis; if Redis does not answer, on the fallback."""

    @functools.wraps(method)
    def wrapper(self, *args, **kwargs):
        try:
            result = method(self, *args, **kwargs)
        except RedisError:
            if not self.redis_down:
                self.redis_down = True
                logger.warning("cache: Redis is not answering; keeping the cache in PostgreSQL")
            return getattr(caches[self.fallback_alias], method.__name__)(*args, **kwargs)
        if self.redis_down:
            self.redis_down = False
            logger.warning("cache: Redis answers again")
        return result

    return wrapper


class ForgivingRedisCache(RedisCache):
    redis_down = False

    def __init__(self, server, params):
        super().__init__(server, params)
        self.fallback_alias = params["FALLBACK"]

    get = _or_fallback(RedisCache.get)
    get_many = _or_fallback(RedisCache.get_many)
    has_key = _or_fallback(RedisCache.has_key)
    set = _or_fallback(RedisCache.set)
    set_many = _or_fallback(RedisCache.set_many)
    add = _or_fallback(RedisCache.add)
    touch = _or_fallback(RedisCache.touch)
    incr = _or_fallback(RedisCache.incr)
    delete = _or_fallback(RedisCache.delete)
    delete_many = _or_fallback(RedisCache.delete_many)
    clear = _or_fallback(RedisCache.clear)
