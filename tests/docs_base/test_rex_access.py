"""REX pages: the access fields follow the TLP marking, for every marking and every role."""

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from docs_base.models import RexPage
from portal.access import AccessLevel, Role, Tlp, visible_to
from portal.accounts.models import MemberStatus
from tests.docs_base.factories import rex_index, rex_page
from tests.portal.factories import EstablishmentFactory, MemberFactory

pytestmark = pytest.mark.django_db

EVERYONE = {
    "anonymous",
    "pending",
    "caregiver_a",
    "caregiver_b",
    "rssi_a",
    "director_a",
    "dsi_a",
    "rssi_b",
    "ars_referent",
}
MEMBERS = EVERYONE - {"anonymous", "pending"}
# marking -> who may read a REX reported by establishment A
EXPECTED = {
    Tlp.CLEAR: EVERYONE,
    Tlp.GREEN: MEMBERS,
    Tlp.AMBER: {"rssi_a", "director_a", "dsi_a", "rssi_b", "ars_referent"},
    Tlp.AMBER_STRICT: {"caregiver_a", "rssi_a", "director_a", "dsi_a"},
    Tlp.RED: {"rssi_a", "director_a"},
}


@pytest.fixture
def establishments():
    return (
        EstablishmentFactory(finess="380000011", name="CH Alpha"),
        EstablishmentFactory(finess="690000011", name="CH Beta", department="69"),
        EstablishmentFactory(finess="630000011", name="ARS", kind="ars", department="63"),
    )


@pytest.fixture
def people(establishments):
    a, b, ars = establishments

    def member(name, establishment, role, **profile):
        return MemberFactory(
            username=f"{name}@rex.example",
            profile__establishment=establishment,
            profile__roles={role},
            **{f"profile__{key}": value for key, value in profile.items()},
        )

    return {
        "anonymous": None,
        "pending": member("pending", a, Role.RSSI, status=MemberStatus.PENDING),
        "caregiver_a": member("caregiver_a", a, Role.CAREGIVER),
        "caregiver_b": member("caregiver_b", b, Role.CAREGIVER),
        "rssi_a": member("rssi_a", a, Role.RSSI),
        "director_a": member("director_a", a, Role.DIRECTOR),
        "dsi_a": member("dsi_a", a, Role.DSI),
        "rssi_b": member("rssi_b", b, Role.RSSI),
        "ars_referent": member("ars_referent", ars, Role.ARS_REFERENT),
    }


@pytest.fixture
def marked_pages(establishments):
    a = establishments[0]
    rex_index()
    return {
        tlp: rex_page(
            title=f"REX {tlp.label}", slug=f"rex-{tlp}", tlp=tlp, reporting_establishment=a
        )
        for tlp in Tlp
    }


def test_access_fields_follow_each_marking(marked_pages, establishments):
    a = establishments[0]
    fields = {
        tlp: (page.access_level, frozenset(page.allowed_roles), page.establishment_id)
        for tlp, page in marked_pages.items()
    }
    assert fields == {
        Tlp.CLEAR: (AccessLevel.PUBLIC, frozenset(), None),
        Tlp.GREEN: (AccessLevel.MEMBERS, frozenset(), None),
        Tlp.AMBER: (
            AccessLevel.ROLES,
            frozenset({Role.RSSI, Role.DSI, Role.DIRECTOR, Role.ARS_REFERENT}),
            None,
        ),
        Tlp.AMBER_STRICT: (AccessLevel.ESTABLISHMENT, frozenset(), a.pk),
        Tlp.RED: (AccessLevel.ESTABLISHMENT, frozenset({Role.RSSI, Role.DIRECTOR}), a.pk),
    }


def test_each_marking_for_each_role_pages_and_listing(marked_pages, people):
    failures = []
    for who, user in people.items():
        client = Client()
        if user is not None:
            client.force_login(user)
        listed = set(visible_to(user, RexPage.objects.live()).values_list("pk", flat=True))
        for tlp, page in marked_pages.items():
            allowed = who in EXPECTED[tlp]
            status = client.get(page.url).status_code
            if status != (200 if allowed else 404):
                failures.append(f"{tlp.label} page as {who}: {status}")
            if (page.pk in listed) != allowed:
                failures.append(f"{tlp.label} listing as {who}: listed={page.pk in listed}")
    assert not failures, "\n".join(failures)


def test_marking_change_moves_the_access_fields(establishments):
    a = establishments[0]
    page = rex_page(tlp=Tlp.RED, reporting_establishment=a)
    page.tlp = Tlp.GREEN
    page.save_revision().publish()
    page.refresh_from_db()
    assert (page.access_level, page.establishment_id) == (AccessLevel.MEMBERS, None)
    assert page.reporting_establishment_id == a.pk  # the reporter stays known to moderators


def test_strict_markings_need_an_establishment():
    rex_index()
    for tlp in (Tlp.AMBER_STRICT, Tlp.RED):
        page = RexPage(
            title="Sans établissement",
            slug=f"sans-{tlp}",
            tlp=tlp,
            establishment_type="ch",
            incident_type="phishing",
        )
        with pytest.raises(ValidationError) as error:
            page.clean()
        assert "establishment" in error.value.message_dict


def test_establishment_name_only_with_consent(establishments):
    a = establishments[0]
    anonymous = rex_page(title="Anonyme", slug="anonyme", tlp=Tlp.CLEAR, reporting_establishment=a)
    named = rex_page(
        title="Nommé",
        slug="nomme",
        tlp=Tlp.CLEAR,
        reporting_establishment=a,
        show_establishment_name=True,
    )
    assert "CH Alpha" not in Client().get(anonymous.url).content.decode()
    assert "CH Alpha" in Client().get(named.url).content.decode()
