import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from wagtail.models import Page

from portal import demo
from portal.access import Role
from portal.accounts.models import Establishment, EstablishmentType, MemberProfile
from portal.models import HomePage, StandardPage

pytestmark = pytest.mark.django_db


def _counts():
    return (
        Establishment.objects.count(),
        get_user_model().objects.count(),
        MemberProfile.objects.count(),
        Page.objects.count(),
    )


def _load(settings, demo_mode):
    settings.DEMO_MODE = demo_mode
    out = io.StringIO()
    call_command("load_demo", stdout=out)
    return out.getvalue()


def test_demo_builds_a_realistic_region(settings):
    _load(settings, demo_mode=True)
    establishments = Establishment.objects.all()
    assert establishments.count() >= 15
    assert len({e.department for e in establishments}) >= 10
    kinds = set(establishments.values_list("kind", flat=True))
    assert kinds == set(EstablishmentType.values)
    profile_roles = set()
    for profile in MemberProfile.objects.all():
        profile_roles |= profile.roles
    assert profile_roles == set(Role.values)
    assert HomePage.objects.live().count() == 1
    assert StandardPage.objects.live().count() >= 4


def test_demo_is_idempotent(settings):
    _load(settings, demo_mode=True)
    first = _counts()
    second_output = _load(settings, demo_mode=True)
    assert _counts() == first
    count = len(demo.steps())
    assert f"[{count}/{count}]" in second_output


def test_demo_prints_one_login_per_role_in_demo_mode(settings):
    output = _load(settings, demo_mode=True)
    for role in Role:
        assert str(role.label) in output
    assert "Mot de passe commun" in output
    user = get_user_model().objects.get(member_profile__roles__contains=",rssi,")
    assert user.has_usable_password()


def test_demo_passwords_exist_only_in_demo_mode(settings):
    output = _load(settings, demo_mode=False)
    assert "Mot de passe" not in output
    assert not any(u.has_usable_password() for u in get_user_model().objects.all())
