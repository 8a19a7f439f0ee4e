"""The profile page from the page cache: the shared copy holds nothing personal, the form and
the membership are each member's own (fragments), a change shows on the next request, and a
hit reads a bounded number of rows."""

import re

import pytest

from portal.access import Role
from portal.accounts.models import ClaimStatus, RoleClaim
from portal.notifications.models import Preference
from tests.portal.factories import EstablishmentFactory, MemberFactory, home_page

pytestmark = pytest.mark.django_db
PROFILE = "/adhesion/profil/"


@pytest.fixture
def colleagues():
    """Two members of one audience (same establishment and roles), and a director."""
    home_page()
    establishment = EstablishmentFactory()

    def member(first, last, roles):
        return MemberFactory(
            username=f"{first.lower()}@ch.example",
            email=f"{first.lower()}@ch.example",
            first_name=first,
            last_name=last,
            profile__roles=roles,
            profile__establishment=establishment,
        )

    return (
        member("Alice", "Arnaud", {Role.RSSI}),
        member("Bruno", "Bernard", {Role.RSSI}),
        member("Chloe", "Collin", {Role.DIRECTOR}),
    )


def _get(client, user):
    client.force_login(user)
    response = client.get(PROFILE)
    assert response.status_code == 200
    return response, response.content.decode()


def test_two_members_of_one_audience_each_get_their_own_form_and_contacts(client, colleagues):
    alice, bruno, _chloe = colleagues
    _response, first = _get(client, alice)
    assert 'value="Alice"' in first and "bruno@ch.example" in first
    response, html = _get(client, bruno)
    assert response["X-Page-Cache"] == "hit"
    assert 'value="Bruno"' in html and 'value="Alice"' not in html
    # Bruno's contacts: Alice and the director, never himself.
    assert "alice@ch.example" in html and "chloe@ch.example" in html
    assert "mailto:bruno@ch.example" not in html
    # The form posts with Bruno's own CSRF token (masked per request).
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    assert token and "placeholder" not in token[1]
    saved = client.post(PROFILE, {"first_name": "Bruno", "last_name": "Bernard-Roy",
                                  "csrfmiddlewaretoken": token[1]})  # fmt: skip
    assert saved.status_code == 302


def test_a_change_shows_on_the_next_request(client, colleagues):
    alice, bruno, chloe = colleagues
    _get(client, bruno)
    _get(client, alice)
    # Her preference, her pending claim, a colleague's new name.
    Preference.objects.create(user=alice, kind="documents.watch", channel="weekly")
    RoleClaim.objects.create(profile=alice.member_profile, roles={Role.DPO},
                             status=ClaimStatus.PENDING)  # fmt: skip
    chloe.last_name = "Collin-Vidal"
    chloe.save()
    response, html = _get(client, alice)
    assert response["X-Page-Cache"] == "hit"
    assert 'value="weekly" id="id_notify__documents__watch_2" checked' in html
    assert "Délégué ou déléguée à la protection des données" in html
    assert "Collin-Vidal" in html
    # A colleague who leaves the establishment leaves her contacts.
    profile = bruno.member_profile
    profile.establishment = EstablishmentFactory()
    profile.save()
    assert "bruno@ch.example" not in _get(client, alice)[1]


def test_a_hit_reads_a_bounded_number_of_rows(client, colleagues, django_assert_max_num_queries):
    alice, *_others = colleagues
    _get(client, alice)
    client.get(PROFILE)  # the user's cached copy and the rendered parts are kept
    with django_assert_max_num_queries(4):
        response = client.get(PROFILE)
    assert response["X-Page-Cache"] == "hit" and 'value="Alice"' in response.content.decode()


def test_a_form_with_errors_is_rendered_whole_and_never_kept(client, colleagues):
    alice, *_others = colleagues
    client.force_login(alice)
    response = client.post(PROFILE, {"first_name": "", "last_name": "Arnaud"})
    html = response.content.decode()
    assert response.status_code == 200 and "portal:fragment accounts.profile-form" not in html
    assert "fr-input-group--error" in html and "bruno@ch.example" in html
