"""The header search on the demo portal: suggestions as you type, results, facets."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e


def test_suggestions_by_keyboard_then_results_with_facets(page):
    page.goto("/")
    search = page.locator("#header-search-input:visible")
    if not search.count():  # narrow screens put the box behind a button
        page.locator("[aria-controls=modal-search]").first.click()
    box = page.locator("#header-search-input")
    box.fill("sauvegar")
    listbox = page.locator("#header-search-input-suggestions")
    expect(listbox).to_be_visible()
    expect(box).to_have_attribute("aria-expanded", "true")
    first = listbox.locator("[role=option]").first
    title = first.evaluate("el => el.firstChild.textContent")
    page.keyboard.press("ArrowDown")
    expect(first).to_have_attribute("aria-selected", "true")
    page.keyboard.press("Enter")
    expect(page.locator("h1")).to_have_text(title)

    page.goto("/recherche/?q=sauvegardes")
    results = page.locator(".portal-results > li")
    expect(results.first).to_be_visible()
    expect(results.first.locator("mark").first).to_be_visible()
    count_text = page.locator("#search-count").inner_text()
    total = int(re.search(r"\d+", count_text).group())
    facet = page.locator("nav.fr-sidemenu a.fr-tag").first
    label = facet.inner_text()
    facet_count = int(re.search(r"\((\d+)\)", label).group(1)) if "(" in label else None
    assert facet_count is not None, f"facet link without a count: {label!r}"
    facet.click()
    expect(page.locator("a.fr-tag[aria-current=true]")).to_have_count(1)
    narrowed = int(re.search(r"\d+", page.locator("#search-count").inner_text()).group())
    assert narrowed == facet_count <= total
