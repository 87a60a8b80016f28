"""Cache backends: Redis that treats an outage as a miss, and a machine-wide file cache.

A Redis cache that treats an outage as a miss: a cache outage is not a site outage.

When Redis cannot be reached, reads answer as if the key were absent and writes are
dropped; for ``RETRY_AFTER`` seconds afterwards Redis is not even tried, so pages are not
slowed by a connection timeout each. Everything the cache holds can be rebuilt from the
database.
"""

from __future__ import annotations

import contextlib
import logging
import os
import tempfile
import time
from functools import wraps

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.filebased import FileBasedCache
from django.core.cache.backends.redis import RedisCache

logger = logging.getLogger("masthead.cache")

RETRY_AFTER = 5.0


def _errors() -> tuple[type[BaseException], ...]:
    import redis

    return (redis.exceptions.RedisError, OSError)


def _degrade(fallback):
    def decorator(method):
        @wraps(method)
        def wrapper(self, *args, **kwargs):
            if time.monotonic() < self._down_until:
                return fallback(*args, **kwargs)
            try:
                return method(self, *args, **kwargs)
            except self._errors as err:
                self._down_until = time.monotonic() + RETRY_AFTER
                logger.warning(
                    "Cache unreachable (%s); serving without it for %ss", err, RETRY_AFTER
                )
                return fallback(*args, **kwargs)

        return wrapper

    return decorator


def _default(key, default=None, version=None):
    return default


def _missing_for_incr(key, delta=1, version=None):
    raise ValueError(f"Key {key!r} not found (the cache is unreachable).")


def _none(*args, **kwargs):
    return None


def _false(*args, **kwargs):
    return False


def _all_keys_failed(data, *args, **kwargs):
    return list(data)


def _delete_many(self, keys, version=None) -> bool:
    RedisCache.delete_many(self, keys, version=version)
    return True


class ResilientRedisCache(RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._down_until = 0.0
        self._errors = _errors()

    get = _degrade(_default)(RedisCache.get)
    get_many = _degrade(lambda keys, version=None: {})(RedisCache.get_many)
    has_key = _degrade(_false)(RedisCache.has_key)
    add = _degrade(_false)(RedisCache.add)
    set = _degrade(_none)(RedisCache.set)
    set_many = _degrade(_all_keys_failed)(RedisCache.set_many)
    touch = _degrade(_false)(RedisCache.touch)
    delete = _degrade(_false)(RedisCache.delete)
    delete_many = _degrade(_false)(_delete_many)  # False: not deleted (core/postponed.py)
    incr = _degrade(_missing_for_incr)(RedisCache.incr)
    clear = _degrade(_none)(RedisCache.clear)


class FileCache(FileBasedCache):
    """Django's file-based cache, shared by every process on the machine, with two changes
    for a cache written on every comment (the page cache's version tokens):

    * the size check (a directory listing) runs at most once a minute, not on every write;
    * a value replaces the old file by removing it and renaming the new one into place.
      Renaming over an existing file makes ext4 write the new file's data to disk first
      (``auto_da_alloc``): measured here, 0.3-1 ms a write instead of 0.06 ms. Between the
      two steps a reader finds no value, which a cache may always answer; and a file left
      short by a crash reads as a miss (and is removed), never as an error.

    The default when no ``REDIS_URL`` is set: unlike a per-process memory cache, a purge or
    a settings change made by one gunicorn worker is seen by all of them at once.
    """

    CULL_EVERY = 60.0

    def __init__(self, dir, params):
        with contextlib.suppress(OSError):  # unwritable: `masthead check` says (E014)
            super().__init__(dir, params)
        self._next_cull = 0.0

    def _cull(self):
        now = time.monotonic()
        if now < self._next_cull:
            return
        self._next_cull = now + self.CULL_EVERY
        super()._cull()

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        self._createdir()  # the directory may have been removed
        fname = self._key_to_file(key, version)
        self._cull()
        fd, tmp_path = tempfile.mkstemp(dir=self._dir)
        try:
            with open(fd, "wb") as f:
                self._write_content(f, timeout, value)
            with contextlib.suppress(FileNotFoundError):
                os.unlink(fname)
            os.rename(tmp_path, fname)
        except BaseException:
            with contextlib.suppress(FileNotFoundError):
                os.remove(tmp_path)
            raise

    def get(self, key, default=None, version=None):
        try:
            return super().get(key, default, version)
        except Exception:  # damaged, or pickled by code that has since changed
            fname = self._key_to_file(key, version)
            logger.warning("Unreadable cache file %s removed (a miss)", fname)
            self._delete(fname)
            return default

    def _is_expired(self, f):
        try:
            return super()._is_expired(f)
        except Exception:  # a damaged file: removed, as if expired
            logger.warning("Unreadable cache file %s removed (a miss)", f.name)
            f.close()
            self._delete(f.name)
            return True
