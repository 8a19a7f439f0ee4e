import pytest
from django.core.cache import cache

from portal import page_cache


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    page_cache.reset()
    yield
    cache.clear()
    page_cache.reset()


def pytest_report_header(config):
    from django.conf import settings

    return f"database: {settings.DATABASES['default']['ENGINE'].rsplit('.', 1)[-1]}"
