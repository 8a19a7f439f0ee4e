"""The demo outside demo mode (the demo itself is read by ``tests/test_demo.py``)."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

pytestmark = pytest.mark.django_db


def test_demo_passwords_exist_only_in_demo_mode(settings):
    settings.DEMO_MODE = False
    out = io.StringIO()
    call_command("load_demo", stdout=out)
    assert "Mot de passe" not in out.getvalue()
    assert not any(u.has_usable_password() for u in get_user_model().objects.all())
