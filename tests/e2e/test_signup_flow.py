"""The membership flow, as people do it: sign-up, e-mail confirmation, approval, two factors.

A security officer (RSSI) signs up on an address outside their establishment's domains, so a
regional administrator must approve the request; both have to set up an authenticator app
(TOTP) before using the portal, and the officer then logs in with password and code.

An impostor with a mailbox on an establishment's domain ticks RSSI and director: the domain
makes them a member of the establishment, not a security officer; its director declines.
"""

import base64
import email
import hashlib
import hmac
import re
import struct
import time
import uuid
from email import policy

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e

PASSWORD = "une-phrase-de-passe-tres-solide"  # noqa: S105
REGIONAL_ADMIN = "sophie.garnier@sara-gcs.example"
# The demo director, and her establishment's allow-listed domain.
DIRECTOR = "claire.dubois@ch-bourg-en-bresse.example"
DIRECTOR_ESTABLISHMENT = "Centre hospitalier de Bourg-en-Bresse"
TOTP_PERIOD = 30
MAIL_SEPARATOR = "\n" + "-" * 79 + "\n"


def _totp(secret: str, counter: int) -> str:
    """RFC 6238 code: HMAC-SHA1, 6 digits."""
    key = base64.b32decode(secret.upper() + "=" * (-len(secret) % 8))
    digest = hmac.new(key, struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    value = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return f"{value % 1_000_000:06d}"


def _current_code(secret: str, used_counter: int | None = None) -> tuple[str, int]:
    """A code valid for a few seconds more, from a period other than `used_counter`'s.

    A code is accepted once only, and only during its own 30-second period.
    """
    while True:
        now = time.time()
        counter = int(now // TOTP_PERIOD)
        if counter != used_counter and TOTP_PERIOD - now % TOTP_PERIOD > 3:
            return _totp(secret, counter), counter
        time.sleep(0.25)


def _mails_to(mail_dir, address: str) -> list[email.message.EmailMessage]:
    """The messages sent to `address`, oldest first (the file backend appends a separator)."""
    messages = []
    for path in sorted(mail_dir.iterdir(), key=lambda path: path.stat().st_mtime_ns):
        for raw in path.read_text().split(MAIL_SEPARATOR):
            if raw.strip():
                message = email.message_from_string(raw, policy=policy.default)
                if address in message["To"]:
                    messages.append(message)
    return messages


def _text(message) -> str:
    """The plain-text body of a message (notifications are HTML and text)."""
    return message.get_body(preferencelist=("plain", "html")).get_content()


def _submit(page, name: str) -> None:
    page.locator("main").get_by_role("button", name=name, exact=True).click()


def _log_in(page, address: str, password: str) -> None:
    page.goto("/compte/login/")
    page.fill("input[name=login]", address)
    page.fill("input[name=password]", password)
    _submit(page, "Connexion")


def _sign_up(page, address: str, establishment: dict, roles: list[str]) -> None:
    """Fill and send the sign-up form, then follow the confirmation link from the e-mail."""
    page.goto("/compte/signup/")
    page.fill("#id_email", address)
    page.fill("#id_first_name", "Léa")
    page.fill("#id_last_name", "Martin")
    page.select_option("#id_establishment", **establishment)
    for role in roles:
        # As a person does: the DSFR checkbox is ticked through its label.
        role_id = page.get_attribute(f"input[name=roles][value={role}]", "id")
        page.click(f"label[for={role_id}]")
        expect(page.locator(f"input[name=roles][value={role}]")).to_be_checked()
    page.fill("#id_password1", PASSWORD)
    page.fill("#id_password2", PASSWORD)
    _submit(page, "Création de compte")
    expect(page).to_have_url(re.compile(r"/compte/confirm-email/$"))


def _confirm_address(page, mail_dir, address: str) -> None:
    (link,) = [
        match[0]
        for message in _mails_to(mail_dir, address)
        if (match := re.search(r"https?://\S+/compte/confirm-email/\S+", message.get_content()))
    ]
    page.goto(link)
    _submit(page, "Confirmer")
    expect(page).to_have_url(re.compile(r"/compte/login/$"))


def _set_up_totp(page, password: str) -> tuple[str, int]:
    """Reauthenticate, then activate an authenticator app: its secret, the period of the code."""
    expect(page).to_have_url(re.compile(r"/compte/reauthenticate/"))
    page.fill("input[name=password]", password)
    _submit(page, "Confirmer")
    expect(page).to_have_url(re.compile(r"/compte/2fa/totp/activate/$"))
    secret = page.locator("#authenticator_secret").input_value()
    code, counter = _current_code(secret)
    page.fill("input[name=code]", code)
    _submit(page, "Activer")
    # The recovery codes generated with the first authenticator are shown next.
    expect(page).to_have_url(re.compile(r"/compte/2fa/recovery-codes/$"))
    return secret, counter


def test_rssi_signs_up_is_approved_and_logs_in_with_two_factors(
    page, second_page, mail_dir, demo_password
):
    address = f"lea.{uuid.uuid4().hex[:12]}@exemple-sante.example"

    # 1. Sign-up, with an establishment from the list and the RSSI role.
    _sign_up(page, address, {"index": 1}, ["rssi"])

    # 2. The confirmation link from the e-mail.
    _confirm_address(page, mail_dir, address)

    # 3. Logged in while pending: the membership status page.
    _log_in(page, address, PASSWORD)
    expect(page).to_have_url(re.compile(r"/adhesion/statut/$"))
    expect(page.locator("main")).to_contain_text("Votre demande est en cours d’examen")

    # 4. The regional administrator sets up her second factor, then approves the request.
    admin = second_page
    _log_in(admin, REGIONAL_ADMIN, demo_password)
    _set_up_totp(admin, demo_password)
    admin.goto("/adhesion/demandes/")
    row = admin.locator("tr", has_text=address)
    row.get_by_role("button", name="Approuver").click()
    expect(admin.locator("main")).to_contain_text("Adhésion approuvée")
    expect(row).to_have_count(0)
    assert "Votre adhésion est approuvée" in _mails_to(mail_dir, address)[-1]["Subject"]

    # 5. Approved as an RSSI, Léa must set up a second factor before anything else.
    page.goto("/adhesion/statut/")
    secret, used_counter = _set_up_totp(page, PASSWORD)
    page.goto("/adhesion/statut/")
    expect(page.locator("main")).to_contain_text("Votre adhésion est approuvée.")

    page.get_by_role("button", name="Se déconnecter").filter(visible=True).click()
    expect(page.get_by_role("link", name="Se connecter").filter(visible=True)).to_be_visible()

    _log_in(page, address, PASSWORD)
    expect(page).to_have_url(re.compile(r"/compte/2fa/authenticate/$"))
    code, _ = _current_code(secret, used_counter)
    page.fill("input[name=code]", code)
    _submit(page, "Connexion")
    expect(page).not_to_have_url(re.compile(r"/compte/2fa/"))
    expect(page.get_by_role("button", name="Se déconnecter").filter(visible=True)).to_be_visible()


def test_an_impostor_on_the_domain_gets_no_security_role_and_the_director_declines(
    page, second_page, mail_dir, demo_password
):
    address = f"paul.{uuid.uuid4().hex[:12]}@ch-bourg-en-bresse.example"
    _sign_up(page, address, {"label": DIRECTOR_ESTABLISHMENT}, ["rssi", "director"])
    _confirm_address(page, mail_dir, address)

    # Approved at once as a member of the establishment (the domain proves that much), but
    # neither RSSI nor director: no second factor is asked for, the roles await confirmation.
    _log_in(page, address, PASSWORD)
    expect(page).not_to_have_url(re.compile(r"/compte/(reauthenticate|2fa)/"))
    page.goto("/adhesion/statut/")
    main = page.locator("main")
    expect(main).to_contain_text("Votre adhésion est approuvée.")
    expect(main).to_contain_text("attendent la confirmation")
    expect(main).to_contain_text("aucun rôle accordé")
    assert page.goto("/adhesion/demandes-de-role/").status == 404

    # The establishment's director is told, and declines with a reason.
    (claim_mail,) = [m for m in _mails_to(mail_dir, DIRECTOR) if address in _text(m)]
    assert "Un rôle de sécurité est demandé" in claim_mail["Subject"]
    director = second_page
    _log_in(director, DIRECTOR, demo_password)
    director.goto("/adhesion/demandes-de-role/")
    row = director.locator("tr", has_text=address)
    row.locator("input[name=reason]").fill("Personne inconnue du service.")
    row.get_by_role("button", name="Refuser").click()
    expect(director.locator("main")).to_contain_text("Rôle refusé")
    expect(row).to_have_count(0)

    decisions = [m for m in _mails_to(mail_dir, address) if "refusé" in m["Subject"]]
    assert decisions and "Personne inconnue du service." in _text(decisions[-1])
    page.goto("/adhesion/statut/")
    expect(page.locator("main")).to_contain_text("Personne inconnue du service.")
