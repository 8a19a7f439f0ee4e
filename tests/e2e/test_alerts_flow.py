"""The alert relay as the regional team and an establishment use it: an editor submits a
TLP:AMBER alert and a second person approves it in the Wagtail admin; the subscribed RSSI gets
the metadata-only e-mail, logs in with TOTP and acknowledges "corrigé"; the ARS referent sees
the dashboard count change. axe-core on the alert, list, dashboard, acknowledgement and
"Vous êtes attaqué ?" pages."""

import json
import re
import uuid

import pytest
from playwright.sync_api import expect

from tests.e2e.test_accessibility import AXE_OPTIONS, BLOCKING_IMPACTS, _describe
from tests.e2e.test_signup_flow import _current_code, _log_in, _mails_to, _set_up_totp, _text

pytestmark = pytest.mark.e2e

EDITOR = "lucie.bernard@sara-gcs.example"
APPROVER = "antoine.roux@sara-gcs.example"
REFERENT = "isabelle.fournier@ars-ara.example"
ALERTS = "/alertes/"

FACTS = """
import json
from django.contrib.auth import get_user_model
from alerts.models import AlertIndexPage
from portal.demo.accounts import _demo_totp_secret
rssi = get_user_model().objects.get(member_profile__roles__contains=",rssi,",
                                    username__startswith="thomas.girard")
print(json.dumps({"index": AlertIndexPage.objects.get().pk, "rssi": rssi.email,
                  "secret": _demo_totp_secret(rssi)}))
"""


FIND_ALERT = """
from alerts.models import AlertPage
def find(reference):
    return AlertPage.objects.get(reference=reference, live=False).pk
"""


FORGET_SECOND_FACTORS = """
from allauth.mfa.models import Authenticator
Authenticator.objects.filter(user__email__in=EMAILS).delete()
"""


@pytest.fixture
def staff_second_factors(manage):
    """The editor and the approver set up TOTP in this test; the demo accounts are shared by the
    session's other browser tests, which expect them without a second factor: removed after."""
    yield
    manage("shell", "-c", FORGET_SECOND_FACTORS.replace("EMAILS", repr([EDITOR, APPROVER])))


def _axe(page, axe_script, path) -> list:
    page.goto(path)
    page.add_script_tag(path=axe_script)
    results = page.evaluate("options => axe.run(document, options)", AXE_OPTIONS)
    return [v for v in results["violations"] if v["impact"] in BLOCKING_IMPACTS]


def _answered(page, alert_id) -> str:
    page.goto(f"{ALERTS}tableau-de-bord/")
    row = page.locator("#dashboard-alerts tr", has=page.locator(f"a[href$='/{alert_id}/']"))
    return row.locator("td").last.inner_text()


def test_publish_approve_notify_acknowledge_and_follow(
    page,
    second_page,
    browser,
    portal_url,
    mail_dir,
    demo_password,
    manage,
    axe_page,
    axe_script,
    staff_second_factors,
):
    facts = json.loads(manage("shell", "-c", FACTS).strip().splitlines()[-1])
    tag = uuid.uuid4().hex[:6].upper()
    reference, title = f"ALERTE-E2E-{tag}", f"Compromission d'un prestataire {tag}"

    # 1. The editor writes a TLP:AMBER alert and submits it for approval.
    _log_in(page, EDITOR, demo_password)
    _set_up_totp(page, demo_password)
    page.goto(f"/admin/pages/add/alerts/alertpage/{facts['index']}/")
    page.fill("#id_title", title)
    page.fill("#id_reference", reference)
    page.select_option("#id_tlp", "amber")
    page.select_option("#id_severity", "critical")
    page.select_option("#id_source", "cert_sante")
    page.fill("#id_summary", f"Résumé confidentiel {tag}")
    page.locator("footer .w-dropdown__toggle, footer [data-w-dropdown-target=toggle]").first.click()
    page.locator("button[name=action-submit]").click()
    # Submitted: back to the alerts' listing, with a confirmation.
    expect(page).to_have_url(re.compile(rf"/admin/pages/{facts['index']}/$"))
    found = manage("shell", "-c", f"{FIND_ALERT}print(find({reference!r}))")
    alert_id = int(found.strip().splitlines()[-1])

    # The editor cannot approve what she submitted herself.
    page.goto(f"/admin/pages/{alert_id}/edit/")
    expect(page.locator("button[data-workflow-action-name=approve]")).to_have_count(0)

    # 2. The ARS referent looks at the dashboard before: the alert is not there yet.
    referent = browser.new_context(base_url=portal_url, locale="fr-FR", bypass_csp=True).new_page()
    _log_in(referent, REFERENT, demo_password)  # an ARS referent needs no second factor

    # 3. A second person approves it in the page editor: it is published.
    approver = second_page
    _log_in(approver, APPROVER, demo_password)
    _set_up_totp(approver, demo_password)
    approver.goto(f"/admin/pages/{alert_id}/edit/")
    approver.locator(
        "footer .w-dropdown__toggle, footer [data-w-dropdown-target=toggle]"
    ).first.click()
    approver.locator(
        "button[data-workflow-action-name=approve]:not([data-workflow-action-modal-url])"
    ).click()
    expect(approver.locator(".messages, [role=status], .w-messages").first).to_be_visible()
    assert _answered(referent, alert_id) == "0"

    # 4. The subscribed RSSI gets an e-mail with metadata only.
    mails = [m for m in _mails_to(mail_dir, facts["rssi"]) if reference in _text(m)]
    assert len(mails) == 1
    text = _text(mails[0])
    assert "TLP:AMBER" in text and "Critique" in text
    assert title not in text + mails[0]["Subject"] and f"Résumé confidentiel {tag}" not in text

    # 5. The RSSI logs in with TOTP and acknowledges "corrigé".
    rssi = browser.new_context(base_url=portal_url, locale="fr-FR", bypass_csp=True).new_page()
    _log_in(rssi, facts["rssi"], demo_password)
    expect(rssi).to_have_url(re.compile(r"/compte/2fa/authenticate/$"))
    code, _counter = _current_code(facts["secret"])
    rssi.fill("input[name=code]", code)
    rssi.locator("main").get_by_role("button", name="Connexion", exact=True).click()
    expect(rssi).not_to_have_url(re.compile(r"/compte/2fa/"))
    # The e-mail's link (the portal's notification, whose address says nothing) opens it.
    link = re.search(r"https?://[^/\s]+(/\S*notifications/\S+)", text)[1]
    rssi.goto(link)
    alert_path = re.sub(r"^https?://[^/]+", "", rssi.url)
    expect(rssi.locator("main h1")).to_have_text(title)
    rssi.get_by_role("link", name="Enregistrer la réponse de votre établissement").click()
    acknowledge_url = rssi.url
    rssi.locator("label", has_text="Corrigé").click()
    rssi.fill("#id_note", "Prestataire déconnecté, comptes renouvelés.")
    rssi.get_by_role("button", name="Enregistrer la réponse").click()
    expect(rssi.locator("main")).to_contain_text("Réponse de votre établissement : Corrigé")

    # 6. The ARS referent sees the count change.
    assert _answered(referent, alert_id) == "1"
    referent.goto(f"{ALERTS}tableau-de-bord/{alert_id}/")
    expect(referent.locator("#dashboard-answers")).to_contain_text("Corrigé")
    expect(referent.locator("#dashboard-answers")).to_contain_text("Prestataire déconnecté")

    # axe-core: the alert, the list, the dashboards, the acknowledgement and the attack pages.
    failures = []
    for who, context_page, paths in (
        ("rssi", rssi, [alert_path, ALERTS, acknowledge_url]),
        (
            "referent",
            referent,
            [f"{ALERTS}tableau-de-bord/", f"{ALERTS}tableau-de-bord/{alert_id}/"],
        ),
        ("anonymous", axe_page, ["/vous-etes-attaque/", ALERTS, f"{ALERTS}veille/"]),
    ):
        for path in paths:
            violations = _axe(context_page, axe_script, path)
            failures += [f"{who} {path}\n{_describe(v)}" for v in violations]
    assert not failures, "\n".join(failures)
