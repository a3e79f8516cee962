"""The cache on Redis, carrying on without it while Redis is down.

Only allauth uses the cache: its sign-in rate limits (and the TOTP codes already
used). A Redis outage must not stop anyone signing in, so while Redis does not
answer the cache acts as an empty one that keeps nothing: reads miss, writes are
dropped, and `add` reports success so that allauth's lock around a rate limit does
not wait and then turn the person away. Rate limits are therefore not counted until
Redis is back. Each process logs the outage once when it begins (and /healthz
reports it) and once when Redis answers again.
"""

import functools
import logging

from django.core.cache.backends.redis import RedisCache
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)


def _without_redis(fallback):
    """Run the cache operation; if Redis does not answer, return what `fallback` gives."""

    def decorate(method):
        @functools.wraps(method)
        def wrapper(self, *args, **kwargs):
            try:
                result = method(self, *args, **kwargs)
            except RedisError:
                if not self.redis_down:
                    self.redis_down = True
                    logger.warning("cache: Redis is not answering; going on without it")
                return fallback(*args, **kwargs)
            if self.redis_down:
                self.redis_down = False
                logger.warning("cache: Redis answers again")
            return result

        return wrapper

    return decorate


class ForgivingRedisCache(RedisCache):
    redis_down = False

    get = _without_redis(lambda key, default=None, version=None: default)(RedisCache.get)
    get_many = _without_redis(lambda keys, version=None: {})(RedisCache.get_many)
    has_key = _without_redis(lambda key, version=None: False)(RedisCache.has_key)
    set = _without_redis(lambda *args, **kwargs: None)(RedisCache.set)
    add = _without_redis(lambda *args, **kwargs: True)(RedisCache.add)
    touch = _without_redis(lambda *args, **kwargs: False)(RedisCache.touch)
    delete = _without_redis(lambda *args, **kwargs: False)(RedisCache.delete)
