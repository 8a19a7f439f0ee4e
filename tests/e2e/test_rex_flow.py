"""Experience feedback, as people do it: a member writes a REX in steps, a moderator of the GCS
publishes it from the Wagtail admin, the author sees it published.

The demo's REX index page (``docs_base/demo``) is at /retours-experience/; the demo director
(no second factor needed) writes, the demo moderator (in the "Modérateurs" group) sets up an
authenticator app at first login, then approves the feedback in the page editor.
"""

import re
import uuid

import pytest
from playwright.sync_api import expect

from tests.e2e.test_signup_flow import _log_in, _mails_to, _set_up_totp

pytestmark = pytest.mark.e2e

AUTHOR = "claire.dubois@ch-bourg-en-bresse.example"
MODERATOR = "antoine.roux@sara-gcs.example"
REX_INDEX = "/retours-experience/"


def _next(page) -> None:
    page.locator("#rex-step-form button[name=next]").click()


def _tick(page, field_id: str) -> None:
    """A DSFR checkbox is ticked through its label, as a person does."""
    page.click(f"label[for={field_id}]")
    expect(page.locator(f"#{field_id}")).to_be_checked()


def test_member_submits_a_rex_that_a_moderator_publishes(
    page, second_page, mail_dir, demo_password
):
    tag = uuid.uuid4().hex[:6]  # ASCII: e-mails are read back from files
    title = f"Rançongiciel un dimanche de février ({tag})"

    # 1. The director writes the feedback in steps, from the REX section.
    _log_in(page, AUTHOR, demo_password)
    page.goto(REX_INDEX)
    page.locator("#rex-share-link").click()
    page.fill("#id_title", title)
    page.fill(
        "#id_summary",
        "Chiffrement des serveurs de fichiers un dimanche, trois semaines en mode dégradé.",
    )
    expect(page.locator("#id_establishment_type")).to_have_value("ch")
    expect(page.locator("#id_show_establishment_name")).not_to_be_checked()  # anonymous
    _next(page)

    expect(page).to_have_url(re.compile(r"/incident/$"))
    page.select_option("#id_incident_type", "ransomware")
    page.fill("#id_occurred_on", "2024-02-11")
    page.fill("#id_detection", "L'astreinte a vu des fichiers renommés en .lock à 6 h 40.")
    page.fill("#id_duration_days", "21")
    page.fill("#id_timeline-0-date", "2024-02-11")
    page.fill("#id_timeline-0-time", "06:40")
    page.fill("#id_timeline-0-description", "Alerte de l'astreinte, isolement du réseau.")
    _next(page)

    expect(page).to_have_url(re.compile(r"/impact/$"))
    _tick(page, "id_impact_patient_care")
    _tick(page, "id_impact_billing")
    page.select_option("#id_cost_range", "100k_500k")
    _next(page)

    expect(page).to_have_url(re.compile(r"/lessons/$"))
    page.fill("#id_lessons_learnt", "Des sauvegardes déconnectées, testées chaque trimestre.")
    _next(page)

    # 2. Review: TLP:GREEN by default, consent, then sent to the moderators.
    expect(page).to_have_url(re.compile(r"/review/$"))
    expect(page.locator("main table")).to_contain_text(title)
    expect(page.locator("input[name=tlp][value=green]")).to_be_checked()
    _tick(page, "id_confirm")
    page.locator("#rex-submit-button").click()
    row = page.locator("#rex-submissions tr", has_text=title)
    expect(row).to_have_count(1)
    submission_id = row.get_attribute("data-submission")
    assert f"({tag})" in _mails_to(mail_dir, AUTHOR)[-1].get_body(("plain",)).get_content()

    # 3. The moderator sets up a second factor, finds the feedback awaiting review in the admin
    #    and approves it from the page editor.
    moderator = second_page
    _log_in(moderator, MODERATOR, demo_password)
    _set_up_totp(moderator, demo_password)
    moderator.goto("/admin/")
    moderator.get_by_role("link", name=title).first.click()
    expect(moderator).to_have_url(re.compile(r"/admin/pages/\d+/edit/"))
    approve = moderator.locator(
        "button[data-workflow-action-name=approve]:not([data-workflow-action-modal-url])"
    )
    moderator.locator(
        "footer .w-dropdown__toggle, footer [data-w-dropdown-target=toggle]"
    ).first.click()
    approve.click()
    expect(moderator.locator(".messages, [role=status], .w-messages").first).to_be_visible()

    # 4. The author sees it published, and is told by e-mail with its link.
    page.goto(page.url)  # the submissions page, reloaded
    published = page.locator(f"#rex-submissions tr[data-submission='{submission_id}'] a")
    expect(published).to_have_count(1)
    link = published.get_attribute("href")
    assert link.startswith(REX_INDEX)
    assert link in _mails_to(mail_dir, AUTHOR)[-1].get_body(("plain",)).get_content()
    published.click()
    expect(page.locator("main h1")).to_have_text(title)
    expect(page.locator("main")).to_contain_text("TLP:GREEN")
