"""Home page, keyboard access to the header search, and the language switch."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e

MAX_TABS = 40


def test_home_page_renders(page):
    response = page.goto("/")

    assert response.status == 200
    expect(page.locator("h1")).to_be_visible()
    expect(page.locator("header .fr-header__service-title")).to_have_text("Cyberportail santé")


def test_design_system_styles_and_script_are_applied(page):
    """The DSFR stylesheet and script load (their integrity checksums match what is served)."""
    page.goto("/")
    font = page.evaluate("getComputedStyle(document.body).fontFamily")
    assert "Marianne" in font
    # The DSFR script marks the document once it has started.
    expect(page.locator("html")).to_have_attribute("data-fr-js", "true")


def test_first_tab_focuses_a_skip_link(page):
    page.goto("/")
    page.keyboard.press("Tab")

    focused = page.locator(":focus")
    expect(focused).to_have_count(1)
    assert focused.evaluate("el => !!el.closest('.fr-skiplinks')"), "first Tab is not a skip link"
    expect(page.locator(".fr-skiplinks nav")).to_have_attribute("aria-label", "Accès rapide")
    expect(focused).to_be_visible()


def test_header_search_is_reachable_by_keyboard(page):
    page.goto("/")
    for _ in range(MAX_TABS):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "header-search-input":
            break
    else:
        pytest.fail(f"#header-search-input not focused after {MAX_TABS} Tab presses")

    page.keyboard.type("sauvegarde")
    page.keyboard.press("Enter")

    page.wait_for_url(re.compile(r"/recherche/\?(.*&)?q=sauvegarde"))
    expect(page.locator("h1")).to_be_visible()


def _switch_language(page, code):
    page.locator(".fr-translate__btn:visible").first.click()
    page.locator(f"a[hreflang={code}]:visible").first.click()


def test_language_switch(page, portal_url):
    page.goto("/")
    expect(page.locator("html")).to_have_attribute("lang", "fr")

    _switch_language(page, "en")
    page.wait_for_url(f"{portal_url}/en/")
    expect(page.locator("html")).to_have_attribute("lang", "en")

    _switch_language(page, "fr")
    page.wait_for_url(f"{portal_url}/")
    expect(page.locator("html")).to_have_attribute("lang", "fr")
