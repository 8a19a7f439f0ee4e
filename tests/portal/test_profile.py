"""Profile, notification preferences, personal data export and account deletion."""

import json

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.contrib.auth import get_user_model

from portal.access import Role
from portal.accounts.models import MemberProfile
from portal.accounts.personal_data import display_name
from portal.notifications import kinds
from portal.notifications.kinds import Channel
from portal.notifications.models import Preference
from portal.notifications.services import channel_for
from tests.portal.factories import (
    TEST_TOTP_SECRET,
    EstablishmentFactory,
    MemberFactory,
    can_log_in,
    home_page,
)

pytestmark = pytest.mark.django_db
PASSWORD = "une-phrase-de-passe-solide"


@pytest.fixture
def member():
    home_page()
    establishment = EstablishmentFactory()
    user = MemberFactory(
        username="lea@ch.example",
        email="lea@ch.example",
        first_name="Léa",
        last_name="Martin",
        profile__roles={Role.RSSI},
        profile__establishment=establishment,
    )
    can_log_in(user, PASSWORD)
    MemberFactory(
        username="dir@ch.example",
        email="dir@ch.example",
        first_name="Marc",
        last_name="Directeur",
        profile__roles={Role.DIRECTOR},
        profile__establishment=establishment,
    )
    return user


def test_profile_shows_contacts_and_saves_preferences(client, member):
    client.force_login(member)
    html = client.get("/adhesion/profil/").content.decode()
    assert "Marc Directeur" in html and "dir@ch.example" in html
    # One row per kind, one radio per channel, the kind's default checked.
    assert "Un document que je suis est mis à jour" in html
    assert html.count('name="notify__documents__watch"') == len(Channel.values)
    checked = 'value="immediate" id="id_notify__documents__watch_0" checked'
    assert checked in html
    response = client.post(
        "/adhesion/profil/",
        {
            "first_name": "Léa",
            "last_name": "Martin-Durand",
            "notify__documents__watch": "weekly",
            "notify__documents__review_due": "daily",  # the default: not stored
        },
    )
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.last_name == "Martin-Durand"
    assert dict(Preference.objects.filter(user=member).values_list("kind", "channel")) == {
        "documents.watch": "weekly"
    }
    assert channel_for(member, kinds.get("documents.watch")) == Channel.WEEKLY


def test_profile_refuses_an_unknown_channel_and_changes_nothing(client, member):
    client.force_login(member)
    response = client.post(
        "/adhesion/profil/",
        {"first_name": "Léa", "last_name": "Autre", "notify__documents__watch": "pigeon"},
    )
    assert response.status_code == 200
    assert "Sélectionnez un choix valide" in response.content.decode()
    assert not Preference.objects.filter(user=member).exists()
    member.refresh_from_db()
    assert member.last_name == "Martin"


def test_profile_refuses_an_empty_name_and_changes_nothing(client, member):
    client.force_login(member)
    response = client.post("/adhesion/profil/", {"first_name": "", "last_name": "X"})
    assert response.status_code == 200 and "fr-input-group--error" in response.content.decode()
    member.refresh_from_db()
    assert member.last_name == "Martin"


def test_personal_data_export_has_everything_and_no_secret(client, member):
    client.force_login(member)
    response = client.get("/adhesion/profil/mes-donnees/")
    assert response["Content-Disposition"].startswith("attachment;")
    data = json.loads(response.content)
    assert data["account"]["email"] == "lea@ch.example"
    assert data["membership"]["roles"] == ["rssi"]
    assert data["two_factor_methods"] == ["totp"]
    watch = data["notifications"]["preferences"]["documents.watch"]
    assert watch == {"channel": "immediate", "chosen": False}
    text = response.content.decode()
    assert TEST_TOTP_SECRET not in text and member.password not in text
    assert "Marc" not in text  # another member's data is not part of mine


def test_account_deletion_needs_the_password_then_erases_the_person(client, member):
    client.post("/compte/login/", {"login": member.email, "password": PASSWORD})
    # MFA: this RSSI logs in with a TOTP code; force_login stands for that step here.
    client.force_login(member)
    first = client.get("/adhesion/profil/supprimer/")
    assert first.status_code == 302 and first["Location"].startswith("/compte/reauthenticate/")
    client.post(first["Location"], {"password": PASSWORD})
    assert client.get("/adhesion/profil/supprimer/").status_code == 200
    response = client.post("/adhesion/profil/supprimer/", {"confirm": "yes"})
    assert response.status_code == 302
    user = get_user_model().objects.get(pk=member.pk)
    assert user.username.startswith("ancien-membre-") and not user.is_active
    assert user.email == "" and user.first_name == "" and not user.has_usable_password()
    assert not MemberProfile.objects.filter(user=user).exists()
    assert not Authenticator.objects.filter(user=user).exists()
    assert not EmailAddress.objects.filter(user=user).exists()
    assert "_auth_user_id" not in client.session
    assert str(display_name(user)) == "ancien membre"


def test_profile_shows_the_saved_channel_checked_and_no_other(client, member):
    client.force_login(member)
    Preference.objects.create(user=member, kind="documents.watch", channel=Channel.WEEKLY)
    html = client.get("/adhesion/profil/").content.decode()
    assert 'value="weekly" id="id_notify__documents__watch_2" checked' in html
    assert 'value="immediate" id="id_notify__documents__watch_0">' in html
    # A refused channel: its row shows the error and checks nothing; "weekly" is sent back.
    html = client.post(
        "/adhesion/profil/",
        {"first_name": "Léa", "last_name": "M", "notify__documents__watch": "pigeon"},
    ).content.decode()
    assert "Sélectionnez un choix valide" in html
    assert 'id="id_notify__documents__watch_2" checked' not in html
    html = client.post(
        "/adhesion/profil/",
        {"first_name": "", "last_name": "M", "notify__documents__watch": "daily"},
    ).content.decode()
    assert 'value="daily" id="id_notify__documents__watch_1" checked' in html


def test_profile_query_count_does_not_grow_with_contacts(
    client, member, django_assert_max_num_queries
):
    """Compared when the membership part is rendered (any new contact retires it)."""
    client.force_login(member)
    client.get("/adhesion/profil/")
    establishment = member.member_profile.establishment
    MemberFactory(username="dsi@ch.example", profile__roles={Role.DSI},
                  profile__establishment=establishment, profile__mfa=False)  # fmt: skip
    with django_assert_max_num_queries(12) as first:
        client.get("/adhesion/profil/")
    for n in range(5):
        MemberFactory(
            username=f"dsi{n}@ch.example",
            profile__roles={Role.DSI},
            profile__establishment=establishment,
            profile__mfa=False,
        )
    with django_assert_max_num_queries(len(first)) as second:
        html = client.get("/adhesion/profil/").content.decode()
    assert html.count("mailto:dsi") == 6 and len(second) == len(first)
