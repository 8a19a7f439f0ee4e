"""Membership: sign-up with establishment and role, approval queue, auto-approval, suspension."""

import re

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import Client

from portal.access import AccessLevel, Role
from portal.accounts.models import Establishment, MemberProfile, MemberStatus
from tests.portal.factories import (
    EstablishmentFactory,
    MemberFactory,
    can_log_in,
    home_page,
    standard_page,
)

pytestmark = pytest.mark.django_db
PASSWORD = "une-phrase-de-passe-solide"


@pytest.fixture
def region_setup():
    home_page()
    members_page = standard_page(
        title="Réservé aux membres", slug="membres", access_level=AccessLevel.MEMBERS
    )
    establishment = EstablishmentFactory(
        finess="380780080", name="CHU Alpes", email_domains="chu-alpes.example"
    )
    admin = MemberFactory(
        username="admin@gcs.example",
        email="admin@gcs.example",
        profile__roles={Role.REGIONAL_ADMIN},
        profile__establishment=establishment,
    )
    return establishment, admin, members_page


@pytest.fixture(autouse=True)
def _mail_after_commit(django_capture_on_commit_callbacks, monkeypatch):
    """E-mails leave after the decision commits; tests run in a transaction, so run them now."""
    from django.db import transaction

    monkeypatch.setattr(transaction, "on_commit", lambda func, *a, **kw: func())


def _signup(client, email, **extra):
    data = {
        "email": email,
        "password1": PASSWORD,
        "password2": PASSWORD,
        "first_name": "Léa",
        "last_name": "Martin",
        "roles": ["rssi"],
        **extra,
    }
    return client.post("/compte/signup/", data)


def _verify_from_email(client):
    link = re.search(r"https?://[^\s]+/compte/confirm-email/[^\s]+", mail.outbox[-1].body)[0]
    path = link.split("testserver", 1)[-1] if "testserver" in link else link.split("//", 1)[1]
    path = path[path.index("/compte/") :]
    client.get(path)
    return client.post(path)


def test_signup_verification_pending_approval_then_member(client, region_setup):
    establishment, admin, members_page = region_setup
    response = _signup(
        client, "lea.martin@ch-autre.example", establishment=establishment.pk, roles=["director"]
    )
    assert response.status_code == 302
    profile = MemberProfile.objects.get(user__email="lea.martin@ch-autre.example")
    # The director role is claimed, not granted, until a person confirms it.
    assert profile.status == MemberStatus.PENDING and profile.roles == set()
    assert profile.role_claims.get().roles == {Role.DIRECTOR}
    assert any(admin.email in m.to for m in mail.outbox)  # the approver is told
    _verify_from_email(client)
    assert EmailAddress.objects.get(email="lea.martin@ch-autre.example").verified

    login = client.post(
        "/compte/login/", {"login": "lea.martin@ch-autre.example", "password": PASSWORD}
    )
    assert login["Location"] == "/adhesion/statut/"
    status_page = client.get("/adhesion/statut/").content.decode()
    assert "en cours d’examen" in status_page or "en cours d'examen" in status_page
    assert client.get(members_page.url).status_code == 404  # pending: public content only

    approver = Client()
    approver.force_login(admin)
    queue = approver.get("/adhesion/demandes/")
    assert "lea.martin@ch-autre.example" in queue.content.decode()
    approver.post("/adhesion/demandes/", {"profile": profile.pk, "action": "approve", "reason": ""})
    profile.refresh_from_db()
    assert profile.status == MemberStatus.APPROVED and profile.decided_by == admin
    assert profile.roles == {Role.DIRECTOR}  # the administrator decided the claim with it
    assert profile.role_claims.get().decided_by == admin
    assert mail.outbox[-1].to == ["lea.martin@ch-autre.example"]
    assert "approuvée" in mail.outbox[-1].subject
    assert client.get(members_page.url).status_code == 200


def test_address_on_an_allow_listed_domain_is_approved_automatically(client, region_setup):
    establishment, _, _ = region_setup
    _signup(client, "agent@chu-alpes.example", establishment=establishment.pk, roles=["caregiver"])
    profile = MemberProfile.objects.get(user__email="agent@chu-alpes.example")
    assert profile.status == MemberStatus.APPROVED and profile.roles == {Role.CAREGIVER}


def test_allow_listed_domain_of_another_establishment_is_not_enough(client, region_setup):
    establishment, _, _ = region_setup
    other = EstablishmentFactory(finess="690000002", department="69", name="Clinique")
    _signup(client, "quelquun@chu-alpes.example", establishment=other.pk)
    assert MemberProfile.objects.get(user__email="quelquun@chu-alpes.example").status == "pending"


def test_proposed_establishment_is_validated_with_the_membership(client, region_setup):
    _, admin, _ = region_setup
    _signup(
        client,
        "directrice@ehpad.example",
        new_establishment_name="EHPAD Les Glycines",
        new_establishment_finess="260099999",
        new_establishment_kind="ehpad",
        new_establishment_department="26",
        roles=["director"],
    )
    proposed = Establishment.objects.get(finess="260099999")
    assert not proposed.validated
    assert proposed not in Establishment.objects.filter(validated=True)
    profile = MemberProfile.objects.get(user__email="directrice@ehpad.example")
    approver = Client()
    approver.force_login(admin)
    approver.post("/adhesion/demandes/", {"profile": profile.pk, "action": "approve"})
    proposed.refresh_from_db()
    assert proposed.validated


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ({"new_establishment_finess": "12345"}, "9 caractères"),
        ({"new_establishment_finess": "750000001"}, "ne commence pas par un code de département"),
        ({"new_establishment_finess": "380780080"}, "déjà connu"),
    ],
)
def test_bad_establishment_input_is_refused_in_french_and_changes_nothing(
    client, region_setup, extra, message
):
    users_before = get_user_model().objects.count()
    data = {
        "new_establishment_name": "Nouvel établissement",
        "new_establishment_kind": "ch",
        "new_establishment_department": "38",
        **extra,
    }
    response = _signup(client, "x@nouveau.example", **data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert get_user_model().objects.count() == users_before


def test_staff_roles_cannot_be_requested_at_signup(client, region_setup):
    establishment, _, _ = region_setup
    response = _signup(
        client, "x@y.example", establishment=establishment.pk, roles=["regional_admin"]
    )
    assert response.status_code == 200
    assert not MemberProfile.objects.filter(user__email="x@y.example").exists()


def test_rejection_needs_a_reason_and_tells_the_person(client, region_setup):
    establishment, admin, _ = region_setup
    _signup(client, "inconnu@ailleurs.example", establishment=establishment.pk)
    profile = MemberProfile.objects.get(user__email="inconnu@ailleurs.example")
    approver = Client()
    approver.force_login(admin)
    refused = approver.post("/adhesion/demandes/", {"profile": profile.pk, "action": "reject"})
    assert refused.status_code == 200 and "motif" in refused.content.decode()
    profile.refresh_from_db()
    assert profile.status == MemberStatus.PENDING
    approver.post(
        "/adhesion/demandes/",
        {"profile": profile.pk, "action": "reject", "reason": "Adresse non professionnelle."},
    )
    profile.refresh_from_db()
    assert profile.status == MemberStatus.REJECTED
    assert "Adresse non professionnelle." in mail.outbox[-1].body


def test_suspension_ends_the_members_sessions(region_setup):
    establishment, admin, members_page = region_setup
    member = MemberFactory(
        username="suspendu@chu-alpes.example",
        email="suspendu@chu-alpes.example",
        profile__establishment=establishment,
    )
    can_log_in(member, PASSWORD)
    browser = Client()
    browser.post("/compte/login/", {"login": member.email, "password": PASSWORD})
    assert browser.get(members_page.url).status_code == 200
    approver = Client()
    approver.force_login(admin)
    approver.post(
        "/adhesion/demandes/",
        {"suspend": "1", "email": member.email, "reason": "Compte compromis."},
    )
    assert MemberProfile.objects.get(user=member).status == MemberStatus.SUSPENDED
    assert "_auth_user_id" not in browser.session
    assert browser.get(members_page.url).status_code == 404
    assert "Compte compromis." in mail.outbox[-1].body


@pytest.mark.parametrize(
    ("who", "expected"),
    [("anonymous", 302), ("pending", 404), ("rssi", 404), ("regional_admin", 200)],
)
def test_the_queue_is_only_for_regional_administrators(client, region_setup, who, expected):
    establishment, admin, _ = region_setup
    users = {
        "pending": MemberFactory(
            profile__status=MemberStatus.PENDING, profile__roles={Role.REGIONAL_ADMIN}
        ),
        "rssi": MemberFactory(profile__roles={Role.RSSI}, profile__establishment=establishment),
        "regional_admin": admin,
    }
    if who in users:
        client.force_login(users[who])
    assert client.get("/adhesion/demandes/").status_code == expected
