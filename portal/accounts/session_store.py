"""Cached database sessions that also fetch the signed-in user's cached copy, in one round trip.

A signed-in request reads its session, then its user (``user_cache``): two round trips to the
shared cache, each a wait for the cache server. Once this process has seen which user a session
belongs to (a session key never changes hands: logging in gives a new key), loading the session
asks for the session and that user's cached copy together; ``user_cache.load`` uses what was
fetched if it is asked for that user within the same request, and checks its token as always.
"""

from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.backends.cached_db import SessionStore as CachedDBStore
from django.core.cache import DEFAULT_CACHE_ALIAS
from django.core.signals import request_started

from portal.accounts import user_cache
from portal.page_cache import LocalLRU

_session_users = LocalLRU(size=4096)  # session key -> user id, as last read in its data


class SessionStore(CachedDBStore):
    def load(self):
        user_id = _session_users.get(self.session_key)
        if user_id is None or settings.SESSION_CACHE_ALIAS != DEFAULT_CACHE_ALIAS:
            data = super().load()
        else:
            found = self._cache.get_many([self.cache_key, *user_cache.keys(user_id)])
            user_cache.prefetched(user_id, found)
            data = found.get(self.cache_key)
            if data is None:  # expired from the cache: from the database
                data = super().load()
        if (user_id := data.get(SESSION_KEY)) is not None:
            _session_users.set(self.session_key, str(user_id))
        return data


def _forget_prefetched(**_kwargs) -> None:
    user_cache.prefetched(None, {})


request_started.connect(_forget_prefetched, dispatch_uid="session-store-prefetched")
