"""Events and kits, as people do it: a member registers for a webinar, gets its .ics and
cancels; in a full session, a participant cancels and the first on the waiting list is
promoted and notified; an establishment requests an escape-game kit and GCS staff approve it.
axe-core checks the event, registration, kit and loan pages."""

import datetime
import json
import re

import pytest
from icalendar import Calendar
from playwright.sync_api import expect

from tests.e2e.test_accessibility import AXE_OPTIONS, BLOCKING_IMPACTS, _describe
from tests.e2e.test_signup_flow import _log_in, _set_up_totp

pytestmark = pytest.mark.e2e

MEMBER = "julie.moreau@demo.example"
DIRECTOR = "claire.dubois@ch-bourg-en-bresse.example"
EDITOR = "lucie.bernard@sara-gcs.example"
INDEX = "/sensibilisation/"
WEBINAR = INDEX + "rancongiciels-les-premieres-heures/"
FULL_SESSION = INDEX + "gestion-de-crise-cyber-exercice-sur-table/"
KIT = INDEX + "santescape/"


def _full_session_people(manage) -> dict:
    """Who holds a place in the demo's full session, and who is first on its waiting list."""
    script = (
        "import json; from elearning.events.models import Registration as R; "
        "rows = R.objects.filter(event__slug='gestion-de-crise-cyber-exercice-sur-table')"
        ".order_by('created_at', 'pk'); "
        "print(json.dumps({s: [r.user.email for r in rows.filter(status=s)] "
        "for s in ('registered', 'waiting')}))"
    )
    return json.loads(manage("shell", "-c", script).strip().splitlines()[-1])


def test_a_member_registers_gets_the_ics_and_cancels(page, demo_password):
    _log_in(page, MEMBER, demo_password)
    page.goto(WEBINAR)
    page.get_by_role("button", name="S’inscrire", exact=True).click()
    expect(page.locator(".fr-alert--success").first).to_contain_text("Vous êtes inscrit")
    expect(page.get_by_role("link", name="Rejoindre l’événement en ligne")).to_be_visible()
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Ajouter à mon agenda (.ics)").click()
    calendar = Calendar.from_ical(open(download_info.value.path(), "rb").read())  # noqa: SIM115
    (vevent,) = calendar.walk("VEVENT")
    assert str(vevent["summary"]) == "Rançongiciels : les premières heures"
    assert vevent["dtstart"].params["TZID"] == "Europe/Paris"
    start = vevent.decoded("dtstart")
    assert start.hour == 14 and start.utcoffset() in (
        datetime.timedelta(hours=1),
        datetime.timedelta(hours=2),
    )
    assert "visio.demo.example" in str(vevent["description"])
    page.goto(INDEX + "mes-inscriptions/")
    expect(page.locator("table")).to_contain_text("Rançongiciels")
    page.goto(WEBINAR)
    page.get_by_role("button", name="Annuler mon inscription").click()
    expect(page.locator(".fr-alert--success").first).to_contain_text("annulée")
    expect(page.get_by_role("link", name="Rejoindre l’événement en ligne")).to_have_count(0)


def test_the_first_on_the_waiting_list_is_promoted_and_notified(
    page, second_page, demo_password, manage
):
    people = _full_session_people(manage)
    holder, first_waiting = people["registered"][0], people["waiting"][0]
    _log_in(second_page, first_waiting, demo_password)
    second_page.goto(FULL_SESSION)
    expect(second_page.locator("main")).to_contain_text("liste d’attente (position 1)")
    _log_in(page, holder, demo_password)
    page.goto(FULL_SESSION)
    page.get_by_role("button", name="Annuler mon inscription").click()
    expect(page.locator(".fr-alert--success").first).to_contain_text("annulée")
    second_page.goto(FULL_SESSION)
    expect(second_page.locator("main")).to_contain_text("Vous êtes inscrit·e à cet événement")
    second_page.goto("/notifications/")
    expect(second_page.locator("main")).to_contain_text("Une place s’est libérée")


def test_an_establishment_requests_a_kit_and_staff_approve_it(
    page, browser, portal_url, demo_password, manage
):
    start = datetime.date.today() + datetime.timedelta(days=70)
    _log_in(page, DIRECTOR, demo_password)
    page.goto(KIT)
    expect(page.get_by_role("table").first).to_be_visible()
    page.get_by_role("link", name="Demander un prêt pour mon établissement").click()
    page.fill("#id_starts_on", start.isoformat())
    page.fill("#id_ends_on", (start + datetime.timedelta(days=2)).isoformat())
    page.fill("#id_note", "Pour la semaine de la sécurité")
    page.get_by_role("button", name="Envoyer la demande").click()
    expect(page.locator(".fr-alert--success").first).to_contain_text("Votre demande est envoyée")
    # The same dates again: refused with a clear message.
    page.goto(KIT + "emprunt/")
    page.fill("#id_starts_on", (start + datetime.timedelta(days=1)).isoformat())
    page.fill("#id_ends_on", (start + datetime.timedelta(days=3)).isoformat())
    page.get_by_role("button", name="Envoyer la demande").click()
    expect(page.get_by_role("alert")).to_contain_text("Le kit est déjà réservé du")

    staff_context = browser.new_context(base_url=portal_url, locale="fr-FR")
    staff = staff_context.new_page()
    try:
        _log_in(staff, EDITOR, demo_password)
        _set_up_totp(staff, demo_password)
        staff.goto(INDEX + "prets/")
        row = staff.locator("tr", has_text="Pour la semaine de la sécurité")
        row.get_by_role("button", name=re.compile("^Accepter")).click()
        expect(staff.locator(".fr-alert--success").first).to_contain_text("Décision enregistrée")
    finally:
        staff_context.close()
        # Other browser tests set up the demo editor's second factor themselves.
        manage(
            "shell",
            "-c",
            "from allauth.mfa.models import Authenticator; "
            f"Authenticator.objects.filter(user__email='{EDITOR}').delete()",
        )
    page.goto("/notifications/")
    expect(page.locator("main")).to_contain_text("Sant'Escape")
    expect(page.locator("main")).to_contain_text("est accepté")
    status = manage(
        "shell",
        "-c",
        "from elearning.events.models import KitLoan; "
        "print(KitLoan.objects.get(note='Pour la semaine de la sécurité').status)",
    )
    assert status.strip().splitlines()[-1] == "approved"


def _axe(page, axe_script, label) -> list[str]:
    page.add_script_tag(path=axe_script)
    results = page.evaluate("options => axe.run(document, options)", AXE_OPTIONS)
    return [
        f"{label}:\n" + _describe(v)
        for v in results["violations"]
        if v["impact"] in BLOCKING_IMPACTS
    ]


def test_event_and_kit_pages_have_no_serious_accessibility_violation(
    axe_page, axe_script, demo_password
):
    _log_in(axe_page, DIRECTOR, demo_password)
    paths = [
        INDEX,
        WEBINAR,
        FULL_SESSION,
        INDEX + "mes-inscriptions/",
        KIT,
        KIT + "emprunt/",
        INDEX + "prets/",
    ]
    failures = []
    for path in paths:
        response = axe_page.goto(path)
        assert response.status == 200, f"{path}: {response.status}"
        failures += _axe(axe_page, axe_script, path)
    # The registration step: the event page once registered, and the loan form with errors.
    axe_page.goto(WEBINAR)
    axe_page.get_by_role("button", name="S’inscrire", exact=True).click()
    expect(axe_page.locator(".fr-alert--success").first).to_be_visible()
    failures += _axe(axe_page, axe_script, "registered")
    axe_page.goto(KIT + "emprunt/")
    axe_page.get_by_role("button", name="Envoyer la demande").click()
    expect(axe_page.locator(".fr-error-text").first).to_be_visible()
    failures += _axe(axe_page, axe_script, "loan form errors")
    assert not failures, "\n".join(failures)
