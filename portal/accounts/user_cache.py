"""The signed-in user, with its member profile and establishment, kept in the shared cache.

Every signed-in request loads its user (``MemberBackend.get_user``); on a page served from the
page cache that query was most of the work. The loaded user is kept in the cache next to a
per-user version, a random token read in the same round trip: the copy is used only while it
carries the current token. Saving or deleting the user, its member profile or its establishment
replaces the token, at once and again once the transaction commits (a request that read the
old row before the commit may have stored it under the token of that moment: the second
replacement retires it). A token is never reused, so a lost token only costs a query.

The copy holds the database row, password hash included (the session check needs it): it lives
in the same private cache as the sessions.
"""

import secrets
import threading

from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save

from portal.accounts.models import Establishment, MemberProfile

VERSION_KEY = "member:version:{}"
USER_KEY = "member:user:{}"
SECONDS = 3600
TOKEN_ATTR = "_member_cache_token"  # noqa: S105 (an attribute name)
_prefetched = threading.local()
VERSION_SECONDS = 7 * 24 * 3600  # longer than a copy lives; a lost token only costs a query


def _token() -> str:
    return secrets.token_hex(8)


def keys(user_id) -> list[str]:
    """What ``load`` reads of the cache for this user (the session store fetches it along)."""
    return [VERSION_KEY.format(user_id), USER_KEY.format(user_id)]


def prefetched(user_id, found: dict) -> None:
    """What the session store fetched of ``keys(user_id)`` for this request (``None``: nothing;
    the store clears it when a request starts)."""
    _prefetched.value = (str(user_id), found) if user_id is not None else None


def load(user_id, query):
    """The user ``user_id``: the cached copy if current, else ``query()`` (then kept)."""
    version_key, user_key = keys(user_id)
    fetched, _prefetched.value = getattr(_prefetched, "value", None), None
    if fetched is not None and fetched[0] == str(user_id):
        found = fetched[1]
    else:
        found = cache.get_many([version_key, user_key])
    version, entry = found.get(version_key), found.get(user_key)
    if version is not None and entry is not None and entry[0] == version:
        user = entry[1]
    else:
        user = query()
        if version is None:
            cache.add(version_key, _token(), VERSION_SECONDS)  # the next request keeps a copy
            return user
        if user is not None:
            cache.set(user_key, (version, user), SECONDS)
    if user is not None:
        setattr(user, TOKEN_ATTR, version)
    return user


def token_of(user) -> str | None:
    """The version the user was loaded under: what is derived from the user alone (e.g. their
    rendered account links) may be kept under it, and is retired with it."""
    return getattr(user, TOKEN_ATTR, None)


def _replace_tokens(user_ids) -> None:
    if user_ids:
        cache.set_many({VERSION_KEY.format(pk): _token() for pk in user_ids}, VERSION_SECONDS)


def forget(*user_ids) -> None:
    """Retire the cached copies of these users, now and once the transaction commits."""
    user_ids = {pk for pk in user_ids if pk is not None}
    _replace_tokens(user_ids)
    transaction.on_commit(lambda: _replace_tokens(user_ids))


def forget_establishment(establishment_id) -> None:
    """Retire the copies of every member of an establishment (they carry it)."""
    forget(
        *MemberProfile.objects.filter(establishment_id=establishment_id).values_list(
            "user_id", flat=True
        )
    )


def forget_objects(objects) -> None:
    """Retire the copies that carry any of ``objects`` (users, profiles, establishments; others
    are ignored): for writes that send no signal."""
    user_model = get_user_model()
    for obj in objects:
        if isinstance(obj, user_model):
            forget(obj.pk)
        elif isinstance(obj, MemberProfile):
            forget(obj.user_id)
        elif isinstance(obj, Establishment):
            forget_establishment(obj.pk)


def _user_changed(instance, **_kwargs):
    forget(instance.pk)


def _profile_changed(instance, **_kwargs):
    forget(instance.user_id)


def _establishment_changed(instance, **_kwargs):
    forget_establishment(instance.pk)


def connect_signals() -> None:
    for signal in (post_save, post_delete):
        for model, receiver in (
            (get_user_model(), _user_changed),
            (MemberProfile, _profile_changed),
            (Establishment, _establishment_changed),
        ):
            signal.connect(
                receiver,
                sender=model,
                dispatch_uid=f"user-cache-{model._meta.label_lower}-{signal is post_save}",
            )
