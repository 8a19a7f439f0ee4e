"""Security roles are granted by a person, never by an e-mail domain (issue 10, item 1).

A domain proves the establishment: sign-up on it approves the membership with the roles that
open no restricted content; RSSI, DSI, director and DPO stay a pending claim until a regional
administrator, or an approved director or RSSI of the same establishment, confirms them.
"""

import logging

import pytest
from django.core import mail
from django.test import Client

from portal.access import AccessLevel, Role, can_view, membership_of
from portal.accounts import services
from portal.accounts.mfa import mfa_required
from portal.accounts.models import ClaimStatus, MemberProfile, MemberStatus, RoleClaim
from tests.portal.factories import (
    EstablishmentFactory,
    MemberFactory,
    can_log_in,
    home_page,
    standard_page,
)

pytestmark = pytest.mark.django_db
PASSWORD = "une-phrase-de-passe-solide"
CLAIMS_URL = "/adhesion/demandes-de-role/"


@pytest.fixture(autouse=True)
def _mail_after_commit(monkeypatch):
    """E-mails leave after the decision commits; tests run in a transaction, so run them now."""
    from django.db import transaction

    monkeypatch.setattr(transaction, "on_commit", lambda func, *a, **kw: func())


@pytest.fixture
def chu():
    home_page()
    establishment = EstablishmentFactory(
        finess="380780080", name="CHU Alpes", email_domains="chu-alpes.example"
    )
    admin = MemberFactory(
        username="admin@gcs.example",
        email="admin@gcs.example",
        first_name="Sophie",
        last_name="Garnier",
        profile__roles={Role.REGIONAL_ADMIN},
    )
    director = MemberFactory(
        username="directrice@chu-alpes.example",
        email="directrice@chu-alpes.example",
        first_name="Claire",
        last_name="Dubois",
        profile__roles={Role.DIRECTOR},
        profile__establishment=establishment,
    )
    return establishment, admin, director


def _signup(email, establishment, roles):
    client = Client()
    response = client.post(
        "/compte/signup/",
        {
            "email": email,
            "password1": PASSWORD,
            "password2": PASSWORD,
            "first_name": "Paul",
            "last_name": "Imposteur",
            "establishment": establishment.pk,
            "roles": roles,
        },
    )
    assert response.status_code == 302
    return MemberProfile.objects.get(user__email=email)


def _as(user):
    client = Client()
    client.force_login(user)
    return client


def test_a_domain_address_claiming_security_roles_gets_only_the_harmless_ones(chu):
    establishment, _, director = chu
    rssi_space = standard_page(
        title="Espace RSSI",
        slug="espace-rssi",
        access_level=AccessLevel.ROLES,
        allowed_roles={Role.RSSI, Role.DSI},
    )
    red = standard_page(
        title="TLP RED",
        slug="tlp-red",
        access_level=AccessLevel.ESTABLISHMENT,
        establishment=establishment,
        allowed_roles={Role.RSSI, Role.DIRECTOR},
    )
    profile = _signup(
        "imposteur@chu-alpes.example", establishment, ["caregiver", "rssi", "director"]
    )
    assert profile.status == MemberStatus.APPROVED and profile.auto_approved
    assert profile.roles == {Role.CAREGIVER}
    claim = profile.role_claims.get()
    assert claim.status == ClaimStatus.PENDING and claim.roles == {Role.RSSI, Role.DIRECTOR}

    user = profile.user
    assert membership_of(user).roles == {Role.CAREGIVER}
    assert not can_view(user, rssi_space) and not can_view(user, red)
    assert not mfa_required(user)
    assert not services.establishment_contacts(establishment, director).filter(user=user).exists()
    browser = _as(user)
    assert browser.get(rssi_space.url).status_code == 404
    assert browser.get(red.url).status_code == 404
    assert browser.get(CLAIMS_URL).status_code == 404
    status = browser.get("/adhesion/statut/").content.decode()
    assert "attendent la confirmation" in status and "Claire" not in status


def test_a_claim_is_told_to_the_security_contacts_and_the_regional_administrators(chu, caplog):
    establishment, admin, director = chu
    with caplog.at_level(logging.INFO, logger="portal.security"):
        profile = _signup("nouveau@chu-alpes.example", establishment, ["rssi"])
    (message,) = [m for m in mail.outbox if director.email in m.to]
    assert admin.email in message.to and "nouveau@chu-alpes.example" in message.body
    assert CLAIMS_URL in message.body
    claim = profile.role_claims.get()
    assert any(
        f"event=role_claimed user={profile.user_id}" in r.getMessage()
        and f"claim={claim.pk}" in r.getMessage()
        for r in caplog.records
    )


def test_a_director_of_the_establishment_confirms_a_claim_audited_and_mailed(chu, caplog):
    establishment, _, director = chu
    profile = _signup("rssi@chu-alpes.example", establishment, ["rssi"])
    claim = profile.role_claims.get()
    mail.outbox.clear()
    browser = _as(director)
    page = browser.get(CLAIMS_URL).content.decode()
    assert "rssi@chu-alpes.example" in page
    with caplog.at_level(logging.INFO, logger="portal.security"):
        response = browser.post(CLAIMS_URL, {"claim": claim.pk, "action": "confirm"})
    assert response.status_code == 302
    claim.refresh_from_db()
    profile.refresh_from_db()
    assert claim.status == ClaimStatus.CONFIRMED and claim.decided_by == director
    assert claim.decided_as == {Role.DIRECTOR} and claim.decided_at is not None
    assert profile.roles == {Role.RSSI}
    assert any(
        f"event=role_claim_confirmed user={director.pk}" in r.getMessage()
        and f"member={profile.user_id}" in r.getMessage()
        for r in caplog.records
    )
    assert sorted(address for m in mail.outbox for address in m.to) == [
        "directrice@chu-alpes.example",
        "rssi@chu-alpes.example",
    ]
    assert all("confirmé" in m.subject for m in mail.outbox)
    # Now granted: a security contact of the establishment, and MFA is required.
    assert services.establishment_contacts(establishment, director).filter(pk=profile.pk).exists()
    assert mfa_required(profile.user)


def test_declining_needs_a_reason_and_tells_both(chu):
    establishment, _, director = chu
    profile = _signup("inconnu@chu-alpes.example", establishment, ["dsi"])
    claim = profile.role_claims.get()
    browser = _as(director)
    refused = browser.post(CLAIMS_URL, {"claim": claim.pk, "action": "decline"})
    assert refused.status_code == 200 and "motif" in refused.content.decode()
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.PENDING
    mail.outbox.clear()
    browser.post(
        CLAIMS_URL, {"claim": claim.pk, "action": "decline", "reason": "Inconnu du service."}
    )
    claim.refresh_from_db()
    profile.refresh_from_db()
    assert claim.status == ClaimStatus.DECLINED and profile.roles == set()
    assert {m.to[0] for m in mail.outbox} == {profile.user.email, director.email}
    assert all("Inconnu du service." in m.body for m in mail.outbox)
    status = _as(profile.user).get("/adhesion/statut/").content.decode()
    assert "Inconnu du service." in status


def test_a_confirmer_cannot_confirm_their_own_claim(chu):
    establishment, _, _ = chu
    rssi = MemberFactory(profile__roles={Role.RSSI}, profile__establishment=establishment)
    claim = RoleClaim.objects.create(profile=rssi.member_profile, roles={Role.DIRECTOR})
    browser = _as(rssi)
    assert 'name="claim"' not in browser.get(CLAIMS_URL).content.decode()
    browser.post(CLAIMS_URL, {"claim": claim.pk, "action": "confirm"})
    claim.refresh_from_db()
    rssi.member_profile.refresh_from_db()
    assert claim.status == ClaimStatus.PENDING
    assert rssi.member_profile.roles == {Role.RSSI}


def test_only_confirmers_of_the_same_establishment_decide(chu):
    establishment, _, _ = chu
    other = EstablishmentFactory(finess="690000002", department="69", name="Clinique")
    outsider = MemberFactory(profile__roles={Role.DIRECTOR}, profile__establishment=other)
    dsi = MemberFactory(profile__roles={Role.DSI}, profile__establishment=establishment)
    claimed = _signup("dpo@chu-alpes.example", establishment, ["dpo"]).role_claims.get()
    assert _as(dsi).get(CLAIMS_URL).status_code == 404  # a DSI does not confirm
    browser = _as(outsider)
    assert "dpo@chu-alpes.example" not in browser.get(CLAIMS_URL).content.decode()
    browser.post(CLAIMS_URL, {"claim": claimed.pk, "action": "confirm"})
    claimed.refresh_from_db()
    assert claimed.status == ClaimStatus.PENDING


def test_a_pending_claim_is_not_a_role_anywhere(chu):
    establishment, _, director = chu
    member = MemberFactory(profile__roles={Role.CAREGIVER}, profile__establishment=establishment)
    RoleClaim.objects.create(profile=member.member_profile, roles={Role.RSSI})
    assert membership_of(member).roles == {Role.CAREGIVER}
    assert not services.may_confirm_claims(member)
    contacts = services.establishment_contacts(establishment, director)
    assert not contacts.filter(user=member).exists()


def test_the_regional_administrator_decides_any_claim(chu):
    establishment, admin, _ = chu
    claim = _signup("dsi@chu-alpes.example", establishment, ["dsi"]).role_claims.get()
    browser = _as(admin)
    assert (
        "1 demande d’un membre approuvé attend"
        in browser.get("/adhesion/demandes/").content.decode()
    )
    browser.post(CLAIMS_URL, {"claim": claim.pk, "action": "confirm"})
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.CONFIRMED and claim.decided_as == {Role.REGIONAL_ADMIN}
    assert claim.profile.roles == {Role.DSI}


def test_auto_approvals_are_in_the_queue_and_can_be_revoked(chu):
    establishment, admin, _ = chu
    kept = _signup("soignant@chu-alpes.example", establishment, ["caregiver"])
    revoked = _signup("faux@chu-alpes.example", establishment, ["caregiver", "rssi"])
    can_log_in(revoked.user, PASSWORD)
    browser = Client()
    browser.post("/compte/login/", {"login": revoked.user.email, "password": PASSWORD})
    assert "_auth_user_id" in browser.session
    approver = _as(admin)
    queue = approver.get("/adhesion/demandes/").content.decode()
    assert "soignant@chu-alpes.example" in queue and "faux@chu-alpes.example" in queue

    refused = approver.post("/adhesion/demandes/", {"profile": revoked.pk, "action": "revoke"})
    assert refused.status_code == 200 and "motif" in refused.content.decode()
    approver.post(
        "/adhesion/demandes/",
        {"profile": revoked.pk, "action": "revoke", "reason": "Pas de ce service."},
    )
    approver.post("/adhesion/demandes/", {"profile": kept.pk, "action": "keep"})
    revoked.refresh_from_db()
    kept.refresh_from_db()
    assert revoked.status == MemberStatus.REJECTED and not revoked.auto_approved
    assert revoked.role_claims.get().status == ClaimStatus.DECLINED
    assert "_auth_user_id" not in browser.session
    assert "Pas de ce service." in mail.outbox[-1].body
    assert kept.status == MemberStatus.APPROVED and kept.decided_by == admin
    assert not kept.auto_approved
    queue = approver.get("/adhesion/demandes/").content.decode()
    assert "soignant@chu-alpes.example" not in queue and "faux@chu-alpes.example" not in queue


def test_claims_and_queue_pages_have_bounded_queries(chu, django_assert_max_num_queries):
    establishment, admin, director = chu
    for n in range(6):
        _signup(f"personne{n}@chu-alpes.example", establishment, ["caregiver", "rssi"])
        _signup(f"demande{n}@ailleurs.example", establishment, ["dpo"])
    confirmer, approver = _as(director), _as(admin)
    with django_assert_max_num_queries(15):
        page = confirmer.get(CLAIMS_URL)
    assert page.content.decode().count('name="claim"') == 6
    with django_assert_max_num_queries(20):
        queue = approver.get("/adhesion/demandes/")
    assert queue.content.decode().count('name="profile"') == 12


def test_the_personal_data_export_lists_the_role_claims(chu):
    establishment, _, _ = chu
    profile = _signup("export@chu-alpes.example", establishment, ["caregiver", "dpo"])
    data = _as(profile.user).get("/adhesion/profil/mes-donnees/").json()
    (claim,) = data["membership"]["role_claims"]
    assert claim["roles"] == ["dpo"] and claim["status"] == "pending"
    assert data["membership"]["roles"] == ["caregiver"]
