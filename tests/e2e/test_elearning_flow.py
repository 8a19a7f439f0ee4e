"""E-learning, as people do it: a caregiver of the demo director's establishment takes the
awareness course and passes its quiz, downloads her certificate, completes the interactive
SCORM module in its sandboxed frame; the director sees the completion in her report.
axe-core checks the catalogue, a course, a lesson (and the one with the demo video), the quiz,
"Mes formations" and the reports.
"""

import re

import pytest
from playwright.sync_api import expect

from elearning.demo.questions import BANKS
from tests.e2e.test_accessibility import AXE_OPTIONS, BLOCKING_IMPACTS, _describe
from tests.e2e.test_signup_flow import _log_in

pytestmark = pytest.mark.e2e

LEARNER = "emma.garnier@demo.example"
DIRECTOR = "claire.dubois@ch-bourg-en-bresse.example"
CATALOGUE = "/formations/"
COURSE = "/formations/sensibilisation-tous-personnels/"
SCORM_COURSE = "/formations/atelier-courriel-piege/"
# What a person who learnt the course knows: the right answers, by question.
RIGHT = {
    question: {text for text, correct, _feedback in answers if correct}
    for bank in BANKS.values()
    for _category, _kind, question, answers, _explanation in bank
}


def _answer_quiz(page) -> None:
    for fieldset in page.locator("fieldset.fr-fieldset").all():
        legend = fieldset.locator("legend").inner_text()
        question = (
            legend.split(" — ", 1)[1]
            .split("\n")[0]
            .replace("Plusieurs réponses peuvent être justes.", "")
            .strip()
        )
        right = RIGHT[question]
        for label in fieldset.locator("label").all():
            if label.inner_text().strip() in right:
                label.click()


def test_caregiver_passes_a_course_and_the_director_sees_it(page, second_page, demo_password):
    _log_in(page, LEARNER, demo_password)
    page.goto(COURSE)
    page.get_by_role("button", name="S'inscrire à cette formation").click()
    expect(page.locator("h1")).to_have_text("Pourquoi les hôpitaux sont ciblés")
    for _lesson in range(3):
        page.get_by_role("button", name="J'ai terminé cette leçon").click()
    expect(page.locator("h1")).to_have_text(re.compile("Quiz final"))
    page.get_by_role("button", name="Commencer le quiz").click()
    # The right answers are not in the page before submission.
    assert "Exact." not in page.content()
    _answer_quiz(page)
    page.get_by_role("button", name="Envoyer mes réponses").click()
    expect(page.locator(".fr-alert__title").first).to_have_text("Réussi")

    page.goto(COURSE)
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Télécharger mon attestation (PDF)").click()
    pdf = download_info.value
    from pypdf import PdfReader

    text = PdfReader(pdf.path()).pages[0].extract_text()
    assert "Emma Garnier" in text and "Sensibilisation" in text

    page.goto("/formations/mes-formations/")
    expect(page.locator("table").first).to_contain_text("Sensibilisation à la cybersécurité")

    # The director sees the completion in her establishment's report.
    _log_in(second_page, DIRECTOR, demo_password)
    second_page.goto("/formations/rapports/")
    second_page.get_by_role(
        "link", name=re.compile("Membres — Sensibilisation à la cybersécurité")
    ).click()
    row = second_page.locator("tr", has_text="Emma Garnier")
    expect(row).to_contain_text("Terminée")


def test_a_scorm_lesson_is_completed_in_the_browser(page, demo_password):
    console = []
    page.on("console", lambda message: console.append(message.text))
    _log_in(page, LEARNER, demo_password)
    page.goto(SCORM_COURSE)
    page.get_by_role("button", name=re.compile("S'inscrire|Suivre à nouveau")).click()
    expect(page.locator("h1")).to_have_text("Le module interactif")
    frame = page.frame_locator("iframe.elearning-scorm__frame")
    frame.get_by_role("button", name="Je ne clique pas et je le signale").click()
    try:
        expect(frame.locator("#feedback")).to_contain_text("module réussi")
    except AssertionError as error:
        raise AssertionError(f"{error}\nconsole: {console}") from None
    expect(page.locator("#scorm-status")).to_have_text("Module terminé.")
    page.reload()
    expect(page.get_by_text("Leçon terminée", exact=True)).to_be_visible()
    # The package runs in an opaque origin: it cannot read the portal's cookies.
    cookie_access = frame.locator("body").evaluate(
        "() => { try { return document.cookie; } catch (e) { return 'blocked'; } }"
    )
    assert cookie_access == "blocked"


PAGES = {
    "catalogue": CATALOGUE,
    "course": COURSE,
    "lesson": COURSE + "bons-reflexes/",
    "lesson-with-video": "/formations/dejouer-hameconnage/reconnaitre/",
    "quiz": COURSE + "quiz/",
    "my-courses": "/formations/mes-formations/",
    "report": "/formations/rapports/",
    "assign": "/formations/affectations/",
    "verify-not-found": "/formations/certificats/INCONNU/",
}


def test_no_serious_accessibility_violation_on_course_pages(axe_page, axe_script, demo_password):
    failures = []
    _log_in(axe_page, DIRECTOR, demo_password)
    axe_page.goto(COURSE)
    course_link = axe_page.locator("a", has_text="Sensibilisation")
    assert course_link.count() >= 0
    for name, path in PAGES.items():
        response = axe_page.goto(path)
        expected = 404 if name == "verify-not-found" else 200
        assert response.status == expected, f"{name} {path}: {response.status}"
        axe_page.add_script_tag(path=axe_script)
        results = axe_page.evaluate("options => axe.run(document, options)", AXE_OPTIONS)
        blocking = [v for v in results["violations"] if v["impact"] in BLOCKING_IMPACTS]
        failures += [f"{name} {path}:\n" + _describe(v) for v in blocking]
    # The report with a course's member table, and the quiz with questions.
    axe_page.goto("/formations/rapports/")
    axe_page.get_by_role("link", name=re.compile("Membres — Sensibilisation")).click()
    axe_page.add_script_tag(path=axe_script)
    results = axe_page.evaluate("options => axe.run(document, options)", AXE_OPTIONS)
    failures += [
        "report members:\n" + _describe(v)
        for v in results["violations"]
        if v["impact"] in BLOCKING_IMPACTS
    ]
    assert not failures, "".join(failures)


def test_regional_report_and_quiz_form_are_accessible(axe_page, axe_script, demo_password):
    """The ARS referent's regional figures (charts and tables), and a quiz in progress."""
    _log_in(axe_page, "isabelle.fournier@ars-ara.example", demo_password)
    failures = []
    response = axe_page.goto("/formations/rapports/region/")
    if response.status == 200:
        axe_page.add_script_tag(path=axe_script)
        results = axe_page.evaluate("options => axe.run(document, options)", AXE_OPTIONS)
        failures += [_describe(v) for v in results["violations"] if v["impact"] in BLOCKING_IMPACTS]
    assert response.status == 200
    axe_page.goto("/formations/dejouer-hameconnage/")
    axe_page.get_by_role("button", name="S'inscrire à cette formation").click()
    for _lesson in range(2):
        axe_page.get_by_role("button", name="J'ai terminé cette leçon").click()
    axe_page.get_by_role("button", name="Commencer le quiz").click()
    expect(axe_page.locator("fieldset.fr-fieldset").first).to_be_visible()
    axe_page.add_script_tag(path=axe_script)
    results = axe_page.evaluate("options => axe.run(document, options)", AXE_OPTIONS)
    failures += [_describe(v) for v in results["violations"] if v["impact"] in BLOCKING_IMPACTS]
    assert not failures, "".join(failures)
