"""Django's Redis cache, keeping one client per connection pool.

Django's backend builds a new `redis.Redis` client for every cache call, and each client
fills a table of some 170 response callbacks in its constructor: on a page served from the
cache that was a seventh of the request's CPU. A client is only a handle on its pool and is
safe to share between threads, so one per pool is kept instead.
"""

from django.core.cache.backends.redis import RedisCache, RedisCacheClient


class _PooledClients(RedisCacheClient):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._clients: dict[int, object] = {}

    def get_client(self, key=None, *, write: bool = False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class SharedClientRedisCache(RedisCache):
    """The Redis cache backend, with one client per connection pool (see the module)."""

    def __init__(self, server, params) -> None:
        super().__init__(server, params)
        self._class = _PooledClients
