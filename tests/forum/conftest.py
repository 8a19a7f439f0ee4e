import pytest

from forum.demo.forums import ensure_forums
from tests.portal.url_matrix import build_users, establishments


@pytest.fixture
def spaces(db):
    return ensure_forums()


@pytest.fixture
def users(db):
    return build_users(*establishments())


@pytest.fixture
def client_for(client, users):
    from django.test import Client

    def make(who):
        c = Client()
        if users[who] is not None:
            c.force_login(users[who])
        return c

    return make
