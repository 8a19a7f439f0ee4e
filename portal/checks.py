"""System checks for the portal's own configuration."""

from django.conf import settings
from django.core import checks
from django.core.cache.backends.db import DatabaseCache
from django.core.cache.backends.memcached import PyMemcacheCache
from django.core.cache.backends.redis import RedisCache
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.module_loading import import_string

from portal import region
from portal.upload_checks import check_antivirus


def check_region(app_configs, **kwargs):
    errors = []
    current = region.current()
    if not current.departments:
        errors.append(checks.Error("The region has no departments.", id="portal.E001"))
    try:
        validate_email(current.contact_email)
    except ValidationError:
        errors.append(
            checks.Error(
                f"REGION_CONTACT_EMAIL {current.contact_email!r} is not an e-mail address.",
                id="portal.E002",
            )
        )
    return errors


def register() -> None:
    checks.register(check_region, checks.Tags.compatibility)


# Shared by every process; subclasses too (``portal.cache.RedisCache``).
SHARED_CACHE_BACKENDS = (RedisCache, PyMemcacheCache, DatabaseCache)


def check_shared_cache(app_configs, **kwargs):
    """Rate limits and page-cache invalidation need one cache shared by every process."""
    backend = settings.CACHES["default"]["BACKEND"]
    if settings.DEBUG or issubclass(import_string(backend), SHARED_CACHE_BACKENDS):
        return []
    return [
        checks.Error(
            f"The default cache ({backend}) is not shared across processes: login rate limits "
            "and page-cache invalidation would not hold. Set REDIS_URL.",
            id="portal.E003",
        )
    ]


def register_deploy_checks() -> None:
    checks.register(check_shared_cache, checks.Tags.security, deploy=True)
    checks.register(check_antivirus, checks.Tags.security, deploy=True)
