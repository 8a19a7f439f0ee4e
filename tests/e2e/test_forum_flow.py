"""The forum as members use it: the director asks a question in Markdown (with a preview), a
caregiver replies mentioning her, the mention's e-mail arrives, the author marks the solution,
a moderator handles a report. axe-core on the forum pages (the preview, the moderation queue
and a topic with the moderation tools included).

E-mails are sent by background tasks: the test runs the database worker in batch mode against
the portal's throw-away database.
"""

import os
import re
import subprocess
import sys
import uuid

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import ROOT
from tests.e2e.test_accessibility import AXE_OPTIONS, BLOCKING_IMPACTS, _describe
from tests.e2e.test_signup_flow import _log_in, _mails_to, _set_up_totp

pytestmark = pytest.mark.e2e

AUTHOR = "claire.dubois@ch-bourg-en-bresse.example"
CAREGIVER = "julie.moreau@demo.example"
MODERATOR = "antoine.roux@sara-gcs.example"


def _run_worker(tmp_path_factory, mail_dir) -> None:
    var_dirs = sorted(tmp_path_factory.getbasetemp().glob("e2e_var*"))
    env = os.environ.copy()
    for name in ("DATABASE_URL", "REDIS_URL", "ELASTICSEARCH_URL"):
        env.pop(name, None)
    env.update(
        VAR_DIR=str(var_dirs[-1]),
        DEMO_MODE="1",
        HTTPS="0",
        DJANGO_SETTINGS_MODULE="portal.settings",
        EMAIL_URL=f"filemail:///{mail_dir}",
    )
    command = [sys.executable, "manage.py", "db_worker", "--batch", "--no-startup-delay"]
    for _round in range(3):  # fan-out, then the e-mails it queues
        subprocess.run(command, cwd=ROOT, env=env, capture_output=True, timeout=120, check=False)


def _axe(page, axe_script) -> list:
    page.add_script_tag(path=axe_script)
    results = page.evaluate("options => axe.run(document, options)", AXE_OPTIONS)
    return [v for v in results["violations"] if v["impact"] in BLOCKING_IMPACTS]


def _assert_axe(page, axe_script) -> None:
    blocking = _axe(page, axe_script)
    assert not blocking, f"axe-core on {page.url}:\n" + "".join(map(_describe, blocking))


def test_ask_reply_mention_solve_and_moderate(
    page,
    second_page,
    browser,
    portal_url,
    mail_dir,
    demo_password,
    tmp_path_factory,
    manage,
    axe_script,
):
    tag = uuid.uuid4().hex[:6]
    subject = f"Sauvegardes hors ligne {tag}"

    # 1. The director asks, previews her Markdown, publishes.
    _log_in(page, AUTHOR, demo_password)
    page.goto("/~forum/")
    page.get_by_role("link", name="Général", exact=True).click()
    page.get_by_role("link", name="Nouveau sujet").click()
    expect(page.locator("main")).to_contain_text("données de patients")
    page.fill("#id_subject", subject)
    page.fill("#id_content", "Comment testez-vous la **restauration** ?\n\n- bande\n- disque")
    page.get_by_role("button", name="Aperçu").click()
    expect(page.locator("#preview-title + div strong")).to_have_text("restauration")
    page.get_by_role("button", name="Publier").click()
    expect(page.locator("h1")).to_contain_text(subject)
    expect(page.locator(".forum-post__content strong").first).to_have_text("restauration")
    topic_url = page.url

    # 2. A caregiver replies and mentions her.
    _log_in(second_page, CAREGIVER, demo_password)
    second_page.goto(topic_url)
    second_page.fill("#id_content", f"@claire-dubois un test mensuel tiré au sort ({tag}).")
    second_page.get_by_role("button", name="Publier").click()
    expect(second_page.locator("main")).to_contain_text("un test mensuel tiré au sort")

    # 3. The mention's e-mail arrives.
    _run_worker(tmp_path_factory, mail_dir)
    mails = [
        m
        for m in _mails_to(mail_dir, AUTHOR)
        if tag in m.as_string() or subject in str(m["Subject"])
    ]
    assert mails, "no mention e-mail for the author"

    # 4. The author marks the reply as the solution.
    page.goto(topic_url)
    page.get_by_role("button", name="Marquer comme solution").click()
    expect(page.locator("#solution-title")).to_be_visible()
    expect(page.locator("h1")).to_contain_text("Résolu")

    # 5. The caregiver reports the question; a moderator hides it, with a reason.
    second_page.goto(topic_url)
    second_page.locator("article").first.get_by_role("link", name="Signaler").click()
    second_page.click("label[for=id_reason_0]")
    second_page.get_by_role("button", name="Envoyer le signalement").click()
    expect(second_page.locator("main")).to_contain_text("Merci")
    # CSP bypassed only so that axe-core can be injected on the moderator's pages.
    moderator_context = browser.new_context(base_url=portal_url, locale="fr-FR", bypass_csp=True)
    moderator = moderator_context.new_page()
    _log_in(moderator, MODERATOR, demo_password)
    _set_up_totp(moderator, demo_password)
    moderator.goto("/~forum/moderation/")
    _assert_axe(moderator, axe_script)  # the queue, with its counts and forms
    card = moderator.locator("article", has_text=subject)
    card.locator("input[name=reason]").fill("Hors sujet pour ce forum")
    card.get_by_role("button", name="Masquer le message").click()
    expect(moderator.locator("main")).to_contain_text("Signalement traité")
    moderator.goto(topic_url)
    _assert_axe(moderator, axe_script)  # the topic with the moderation tools and a hidden post
    moderator_context.close()
    # Other browser tests set up the demo moderator's second factor themselves: remove this one.
    manage(
        "shell",
        "-c",
        "from allauth.mfa.models import Authenticator; "
        f"Authenticator.objects.filter(user__email='{MODERATOR}').delete()",
    )
    page.goto(topic_url)
    expect(page.locator("main")).to_contain_text("Hors sujet pour ce forum")


POLL_TOPIC_ID = (
    "from machina.apps.forum_conversation.forum_polls.models import TopicPoll; "
    "print(TopicPoll.objects.get().topic_id)"
)


def test_forum_pages_have_no_serious_accessibility_violation(
    axe_page, axe_script, demo_password, manage
):
    _log_in(axe_page, AUTHOR, demo_password)
    axe_page.goto("/~forum/")
    paths = ["/~forum/"]
    axe_page.get_by_role("link", name="Général", exact=True).click()
    paths.append(axe_page.url)
    paths.append(axe_page.locator("table a").first.get_attribute("href"))
    paths.append(axe_page.get_by_role("link", name="Nouveau sujet").get_attribute("href"))
    poll_topic = manage("shell", "--no-imports", "-c", POLL_TOPIC_ID).split()[-1]
    paths.append(f"/~forum/topic/{poll_topic}/poll/")
    for path in paths:
        response = axe_page.goto(path)
        assert response.status == 200, path
        blocking = _axe(axe_page, axe_script)
        assert not blocking, f"axe-core on {path}:\n" + "".join(map(_describe, blocking))
    assert re.search(r"/~forum/\d+/", paths[1])
    # The post form showing a preview.
    axe_page.goto(paths[3])
    axe_page.fill("#id_subject", "Aperçu")
    axe_page.fill("#id_content", "Un **aperçu** avec une liste :\n\n- un\n- deux")
    axe_page.get_by_role("button", name="Aperçu").click()
    expect(axe_page.locator("#preview-title")).to_be_visible()
    _assert_axe(axe_page, axe_script)
