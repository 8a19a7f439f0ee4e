"""The one access model: every level against every kind of user, in Python, in SQL and over HTTP."""

import pytest
from django.core.exceptions import ValidationError

from portal.access import AccessLevel, Role, Tlp, can_view, visible_to
from portal.accounts.models import MemberStatus
from portal.models import StandardPage
from tests.portal.factories import (
    EstablishmentFactory,
    MemberFactory,
    UserFactory,
    standard_page,
    with_mfa,
)

pytestmark = pytest.mark.django_db

OBJECTS = ["public", "members", "roles_rssi_dsi", "est_a", "est_a_rssi", "est_b"]

# user -> the objects it may view; everything else must look absent.
EXPECTED = {
    "anonymous": {"public"},
    "inactive": {"public"},
    "no_profile": {"public"},
    "pending": {"public"},
    "rejected": {"public"},
    "suspended": {"public"},
    "caregiver_a": {"public", "members", "est_a"},
    "director_a": {"public", "members", "est_a"},
    "rssi_a": {"public", "members", "roles_rssi_dsi", "est_a", "est_a_rssi"},
    "rssi_b": {"public", "members", "roles_rssi_dsi", "est_b"},
    "dsi_without_establishment": {"public", "members", "roles_rssi_dsi"},
    "superuser": set(OBJECTS),
}


@pytest.fixture
def world():
    est_a = EstablishmentFactory(finess="380000001", name="CH A")
    est_b = EstablishmentFactory(finess="690000001", name="CH B", department="69")

    def member(name, **profile):
        return MemberFactory(
            username=f"{name}@example.org", **{f"profile__{k}": v for k, v in profile.items()}
        )

    users = {
        "anonymous": None,
        "inactive": MemberFactory(
            username="inactive@example.org",
            is_active=False,
            profile__establishment=est_a,
            profile__roles={Role.RSSI},
        ),
        "no_profile": UserFactory(username="noprofile@example.org"),
        "pending": member(
            "pending", establishment=est_a, roles={Role.RSSI}, status=MemberStatus.PENDING
        ),
        "rejected": member(
            "rejected", establishment=est_a, roles={Role.RSSI}, status=MemberStatus.REJECTED
        ),
        "suspended": member(
            "suspended", establishment=est_a, roles={Role.RSSI}, status=MemberStatus.SUSPENDED
        ),
        "caregiver_a": member("caregiver", establishment=est_a, roles={Role.CAREGIVER}),
        "director_a": member("director", establishment=est_a, roles={Role.DIRECTOR}),
        "rssi_a": member("rssi-a", establishment=est_a, roles={Role.RSSI}),
        "rssi_b": member("rssi-b", establishment=est_b, roles={Role.RSSI}),
        "dsi_without_establishment": member("dsi", roles={Role.DSI}),
        "superuser": with_mfa(
            UserFactory(username="root@example.org", is_superuser=True, is_staff=True)
        ),
    }
    specs = {
        "public": {"access_level": AccessLevel.PUBLIC},
        "members": {"access_level": AccessLevel.MEMBERS},
        "roles_rssi_dsi": {
            "access_level": AccessLevel.ROLES,
            "allowed_roles": {Role.RSSI, Role.DSI},
        },
        "est_a": {"access_level": AccessLevel.ESTABLISHMENT, "establishment": est_a},
        "est_a_rssi": {
            "access_level": AccessLevel.ESTABLISHMENT,
            "establishment": est_a,
            "allowed_roles": {Role.RSSI},
        },
        "est_b": {"access_level": AccessLevel.ESTABLISHMENT, "establishment": est_b},
    }
    pages = {
        name: standard_page(title=f"Page {name}", slug=name.replace("_", "-"), **spec)
        for name, spec in specs.items()
    }
    return users, pages


def _user(users, name):
    from django.contrib.auth.models import AnonymousUser

    return users[name] or AnonymousUser()


def _fresh(user):
    """A user object as a new request would load it (no cached membership)."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import AnonymousUser

    return get_user_model().objects.get(pk=user.pk) if user.pk else AnonymousUser()


@pytest.mark.parametrize("user_name", sorted(EXPECTED))
def test_can_view_matrix(world, user_name):
    users, pages = world
    user = _user(users, user_name)
    seen = {
        name
        for name, page in pages.items()
        if can_view(_fresh(user), StandardPage.objects.get(pk=page.pk))
    }
    assert seen == EXPECTED[user_name]


@pytest.mark.parametrize("user_name", sorted(EXPECTED))
def test_visible_to_applies_the_same_rule_in_sql(world, user_name):
    users, pages = world
    user = _user(users, user_name)
    ids = set(visible_to(_fresh(user), StandardPage.objects.all()).values_list("pk", flat=True))
    assert {name for name, page in pages.items() if page.pk in ids} == EXPECTED[user_name]


@pytest.mark.parametrize("user_name", sorted(EXPECTED))
def test_restricted_page_answers_404_like_a_missing_page(world, client, user_name):
    users, pages = world
    user = users[user_name]
    if user is not None:
        client.force_login(user)
    for name, page in pages.items():
        response = client.get(page.url)
        expected = 200 if name in EXPECTED[user_name] else 404
        assert response.status_code == expected, (name, response.status_code)
        if expected == 404:
            assert page.title.encode() not in response.content
    missing = client.get("/page-qui-n-existe-pas/")
    assert missing.status_code == 404


def test_unknown_level_is_never_visible(world):
    users, pages = world
    page = pages["public"]
    page.access_level = "something-else"
    assert not can_view(_fresh(users["rssi_a"]), page)


def test_clean_requires_roles_and_establishment(world):
    page = StandardPage(title="x", slug="x", access_level=AccessLevel.ROLES)
    with pytest.raises(ValidationError) as roles_error:
        page.clean_fields(exclude=["path", "depth"]) or page.clean()
    assert "allowed_roles" in roles_error.value.message_dict
    page = StandardPage(title="x", slug="x", access_level=AccessLevel.ESTABLISHMENT)
    with pytest.raises(ValidationError) as est_error:
        page.clean()
    assert "establishment" in est_error.value.message_dict


TLP_EXPECTED = {
    # marking -> (level, who may view among rssi_a, caregiver_a, rssi_b, director_a, anonymous)
    Tlp.CLEAR: (AccessLevel.PUBLIC, {"rssi_a", "caregiver_a", "rssi_b", "director_a", "anonymous"}),
    Tlp.GREEN: (AccessLevel.MEMBERS, {"rssi_a", "caregiver_a", "rssi_b", "director_a"}),
    Tlp.AMBER: (AccessLevel.ROLES, {"rssi_a", "rssi_b", "director_a"}),
    Tlp.AMBER_STRICT: (AccessLevel.ESTABLISHMENT, {"rssi_a", "caregiver_a", "director_a"}),
    Tlp.RED: (AccessLevel.ESTABLISHMENT, {"rssi_a", "director_a"}),
}


@pytest.mark.parametrize("tlp", list(Tlp))
def test_tlp_markings_map_onto_levels(world, tlp):
    users, pages = world
    page = pages["public"]
    est_a = users["rssi_a"].member_profile.establishment
    page.apply_tlp(tlp, establishment=est_a)
    page.save()
    level, viewers = TLP_EXPECTED[tlp]
    assert page.access_level == level
    candidates = ["rssi_a", "caregiver_a", "rssi_b", "director_a", "anonymous"]
    seen = {name for name in candidates if can_view(_fresh(_user(users, name)), page)}
    assert seen == viewers
    in_sql = {
        name
        for name in candidates
        if visible_to(_fresh(_user(users, name)), StandardPage.objects.filter(pk=page.pk)).exists()
    }
    assert in_sql == viewers


@pytest.mark.parametrize("tlp", [Tlp.AMBER_STRICT, Tlp.RED])
def test_establishment_markings_need_a_recipient(tlp):
    with pytest.raises(ValidationError):
        StandardPage(title="x").apply_tlp(tlp)
