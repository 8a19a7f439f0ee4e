"""axe-core (WCAG 2.1 A and AA rules) on every page type of the portal."""

import pytest

pytestmark = pytest.mark.e2e

AXE_OPTIONS = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}
BLOCKING_IMPACTS = {"serious", "critical"}
PAGES = {
    "home": "/",
    "standard-page": "/programme-regional/",
    "search-results": "/recherche/?q=sauvegarde",
    "search-empty": "/recherche/?q=sauvgardes",
    "catalogue": "/base-documentaire/",
    "catalogue-filtered": "/base-documentaire/?theme=backups&sort=popularity",
    "document": "/base-documentaire/fiche-reflexe-rancongiciel/",
    "rex-index": "/retours-experience/",
    "rex": "/retours-experience/prise-de-controle-messagerie-direction-ehpad/",
    "login": "/compte/login/",
    "signup": "/compte/signup/",
    "accessibility": "/accessibilite/",
    "legal-notice": "/mentions-legales/",
    "contact": "/contact/",
    "not-found": "/page-inexistante/",
    "home-en": "/en/",
}


# Pages of a signed-in member (the demo director: no second factor needed).
MEMBER = "claire.dubois@ch-bourg-en-bresse.example"
MEMBER_URL_NAMES = {
    "rex-statistics": "docs_base:rex_statistics",
    "rex-submission": "docs_base:rex_submit",
    "rex-mine": "docs_base:rex_mine",
    "favourites": "docs_base:favourites",
    "profile": "membership:profile",  # the notification preferences table
    "notifications": "notifications:list",
}
MEMBER_PAGES = {
    "member-document": "/base-documentaire/fiche-reflexe-rancongiciel/",
    "member-search": "/recherche/?q=rançongiciel",
}


def _describe(violation) -> str:
    targets = [" ".join(node["target"]) for node in violation["nodes"][:3]]
    return (
        f"- {violation['id']} [{violation['impact']}] {violation['help']}"
        f" ({len(violation['nodes'])} element(s)) {violation['helpUrl']}\n"
        + "".join(f"    {target}\n" for target in targets)
    )


@pytest.mark.parametrize("path", PAGES.values(), ids=PAGES.keys())
def test_no_serious_accessibility_violation(axe_page, axe_script, path):
    response = axe_page.goto(path)
    assert response.status == (404 if path == PAGES["not-found"] else 200), path

    axe_page.add_script_tag(path=axe_script)
    results = axe_page.evaluate("options => axe.run(document, options)", AXE_OPTIONS)

    blocking = [v for v in results["violations"] if v["impact"] in BLOCKING_IMPACTS]
    assert not blocking, f"axe-core on {path}:\n" + "".join(map(_describe, blocking))


def _axe_blocking(page, axe_script):
    page.add_script_tag(path=axe_script)
    results = page.evaluate("options => axe.run(document, options)", AXE_OPTIONS)
    return [v for v in results["violations"] if v["impact"] in BLOCKING_IMPACTS]


def test_no_serious_accessibility_violation_for_members(axe_page, axe_script, demo_password):
    from django.urls import reverse
    from django.utils import translation

    from tests.e2e.test_signup_flow import _log_in

    with translation.override("fr"):
        pages = {name: reverse(url_name) for name, url_name in MEMBER_URL_NAMES.items()}
    _log_in(axe_page, MEMBER, demo_password)
    failures = []
    for name, path in (pages | MEMBER_PAGES).items():
        response = axe_page.goto(path)
        assert response.status == 200, f"{name}: {path} answered {response.status}"
        failures += [
            f"{name} {path}:\n" + _describe(v) for v in _axe_blocking(axe_page, axe_script)
        ]
    assert not failures, "".join(failures)
