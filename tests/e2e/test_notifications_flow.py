"""Notifications, as a member meets them: a preference, a digest, the unsubscribe link."""

import re
import uuid
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from tests.e2e.test_signup_flow import _log_in, _mails_to, _submit

pytestmark = pytest.mark.e2e

KIND = "Un document que je suis est mis à jour"
FIND_DOCUMENT = (
    "from docs_base.models.documents import DocumentPage as D; "
    "d = D.objects.live().filter(archived=False, access_level='public').first(); "
    "print(d.pk, d.url)"
)
FIND_MEMBER = (
    "from django.contrib.auth import get_user_model as g; "
    "print(g().objects.get(first_name='Julie', last_name='Moreau').email)"
)


def shell(manage, code: str) -> str:
    """The last line printed by ``code`` (the shell may print a line of its own first)."""
    return manage("shell", "-c", code).strip().splitlines()[-1]


def test_member_chooses_a_daily_digest_receives_it_and_unsubscribes_from_its_link(
    page, second_page, mail_dir, demo_password, manage
):
    address = shell(manage, FIND_MEMBER)
    document_id, document_url = shell(manage, FIND_DOCUMENT).split()
    tag = uuid.uuid4().hex[:6]  # ASCII: e-mails are read back from files

    # 1. A caregiver follows a document and chooses the daily digest for its updates.
    _log_in(page, address, demo_password)
    page.goto(document_url)
    page.get_by_role("button", name="Suivre : recevoir ses mises à jour par courriel").click()
    page.goto("/adhesion/profil/")
    page.get_by_label(f"{KIND} : Résumé quotidien").check()
    _submit(page, "Enregistrer")
    expect(page.get_by_label(f"{KIND} : Résumé quotidien")).to_be_checked()

    # 2. An editor publishes a new version: it shows in the portal, no e-mail yet. (Other tests
    # and the demo may have left the member unread items: count from what is there.)
    unread = int(
        shell(
            manage,
            "from django.contrib.auth import get_user_model as g; "
            "from portal.notifications.services import unread_count; "
            f"print(unread_count(g().objects.get(email='{address}')))",
        )
    )
    publish = (
        "from docs_base.models.documents import DocumentPage as D; "
        f"d = D.objects.get(pk={document_id}); d.change_note = 'Nouvelle version {tag}'; "
        "d.save_revision().publish()"
    )
    manage("shell", "-c", publish)
    page.goto("/")
    header_link = page.locator("header .portal-notifications-link").first
    expect(header_link).to_contain_text(f"{unread + 1} non lue(s)")
    header_link.click()
    expect(page.locator("main")).to_contain_text(f"Nouvelle version {tag}")
    assert not [m for m in _mails_to(mail_dir, address) if "résumé" in m["Subject"]]

    # 3. The morning's digest: one e-mail, with the update, and an unsubscribe link.
    manage("periodic", "--run", "notifications.daily_digest")
    (digest,) = [m for m in _mails_to(mail_dir, address) if "résumé quotidien" in m["Subject"]]
    text = digest.get_body(("plain",)).get_content()
    assert f"Nouvelle version {tag}" in text
    assert digest["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    link = re.search(r"<(.+)>", digest["List-Unsubscribe"])[1]
    assert link in text

    # 4. From the link, without logging in: a confirmation, then done.
    # (The link carries SITE_URL; this portal is served on another port.)
    second_page.goto(urlsplit(link).path)
    expect(second_page.locator("main")).to_contain_text(KIND)
    _submit(second_page, "Confirmer")
    expect(second_page.locator(".fr-alert--success")).to_contain_text("vous ne recevrez plus")

    # 5. The member's profile shows the kind off; nothing else changed.
    page.goto("/adhesion/profil/")
    expect(page.get_by_label(f"{KIND} : Désactivé")).to_be_checked()
    moderation = "Modération de mes retours d'expérience : E-mail immédiat"
    expect(page.get_by_label(moderation)).to_be_checked()
