"""axe-core (WCAG 2.1 A and AA rules) on every page type of the portal."""

import pytest

pytestmark = pytest.mark.e2e

AXE_OPTIONS = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}
BLOCKING_IMPACTS = {"serious", "critical"}
PAGES = {
    "home": "/",
    "standard-page": "/programme-regional/",
    "search-results": "/recherche/?q=sauvegarde",
    "login": "/compte/login/",
    "signup": "/compte/signup/",
    "accessibility": "/accessibilite/",
    "legal-notice": "/mentions-legales/",
    "contact": "/contact/",
    "not-found": "/page-inexistante/",
    "home-en": "/en/",
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
