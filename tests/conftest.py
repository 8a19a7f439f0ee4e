"""Shared fixtures: the cache reset, an establishment, members by role and establishment."""

import pytest
from django.core.cache import cache

from portal import page_cache
from portal.access import Role
from tests.portal.factories import EstablishmentFactory, MemberFactory


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


@pytest.fixture
def establishment():
    return EstablishmentFactory(finess="380000031", name="CH Delta", kind="ch", department="38")


@pytest.fixture
def other_establishment():
    return EstablishmentFactory(finess="690000051", name="CH Eta", department="69")


@pytest.fixture
def member_of(establishment):
    """``member_of(role, establishment=None, **user)``: an approved member holding ``role``
    (with a TOTP factor when the role needs one), of the shared establishment by default."""

    def make(role, establishment=establishment, **user):
        return MemberFactory(
            profile__establishment=establishment, profile__roles={Role(role)}, **user
        )

    return make


@pytest.fixture
def author(member_of):
    """A director who writes experience feedback."""
    return member_of(Role.DIRECTOR, username="auteur@ch-delta.example", first_name="Nadia")
