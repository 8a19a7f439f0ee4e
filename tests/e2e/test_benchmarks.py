"""Benchmarks, as a director uses them: compare three EDRs, change the weights, see the ranking
change (script), download the comparison as a PDF; axe-core on the category, solution and
comparison pages. The demo's benchmarks (benchmarks/demo) are at /comparatifs/."""

import io
import re

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from tests.e2e.test_accessibility import _axe_blocking, _describe
from tests.e2e.test_signup_flow import _log_in

pytestmark = pytest.mark.e2e

DIRECTOR = "claire.dubois@ch-bourg-en-bresse.example"
CATEGORY = "/comparatifs/edr/"
SOLUTION = "/comparatifs/edr/vigilo-edr/"


def _ranking(page) -> list[str]:
    return page.locator("#ranking .bench-ranking__name").all_inner_texts()


def test_director_compares_three_edrs_with_own_weights_and_downloads_the_pdf(page, demo_password):
    _log_in(page, DIRECTOR, demo_password)
    page.goto(CATEGORY)
    boxes = page.locator("#solutions-table input[name=s]")
    expect(boxes).to_have_count(3)
    for i in range(3):
        box_id = boxes.nth(i).get_attribute("id")
        page.click(f"label[for={box_id}]")
    page.get_by_role("button", name="Comparer les solutions cochées").click()
    expect(page).to_have_url(re.compile(r"/comparatifs/comparer/edr/\?"))
    expect(page.locator("#ranking li")).to_have_count(3)
    before = _ranking(page)

    # Members see the member reviews' rows.
    expect(page.locator("#compare-table")).to_contain_text("Avis publiés")

    # Weights: everything on one criterion where a lower-ranked EDR beats a higher-ranked one.
    headers = page.locator("#compare-table thead th[data-solution]")
    ids = [headers.nth(i).get_attribute("data-solution") for i in range(headers.count())]
    titles = [headers.nth(i).inner_text() for i in range(headers.count())]
    rows = {}
    for row in page.locator("#compare-table tr[data-criterion]").all():
        cells = row.locator("td").all()[1:]
        rows[row.get_attribute("data-criterion")] = {
            title: cell.get_attribute("data-score")
            for title, cell in zip(titles, cells, strict=True)
        }
    chosen = higher = lower = None
    for upper_rank, upper in enumerate(before):
        for below in before[upper_rank + 1 :]:
            for criterion, scores in rows.items():
                if scores[upper] and scores[below] and int(scores[below]) > int(scores[upper]):
                    chosen, higher, lower = criterion, upper, below
                    break
            if chosen:
                break
        if chosen:
            break
    assert chosen, "the demo grid has a criterion where a lower-ranked EDR scores higher"
    assert ids  # the table has one column per solution
    for field in page.locator("input.bench-weight").all():
        field.fill("10" if field.get_attribute("data-criterion") == chosen else "0")

    # The script recomputes at once: no reload, the ranking changed, the URL keeps the weights.
    after = _ranking(page)
    assert after != before
    assert after.index(lower) < after.index(higher)
    expect(page).to_have_url(re.compile(rf"w{chosen}=10"))
    pdf_link = page.locator("#export-pdf")
    expect(pdf_link).to_have_attribute("href", re.compile(rf"w{chosen}=10"))

    # The permalink gives the same ranking from the server (no script needed).
    page.reload()
    assert _ranking(page) == after

    with page.expect_download() as download_info:
        pdf_link.click()
    download = download_info.value
    assert download.suggested_filename.endswith(".pdf")
    with open(download.path(), "rb") as fh:
        data = fh.read()
    assert data.startswith(b"%PDF")
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages)
    for title in before:
        assert title in text
    assert "Pondérations" in text and "Méthode" in text and "Sources" in text


def test_no_serious_accessibility_violation_on_benchmark_pages(axe_page, axe_script, demo_password):
    axe_page.goto(CATEGORY)
    ids = axe_page.locator("#solutions-table input[name=s]").evaluate_all(
        "boxes => boxes.map(box => box.value)"
    )
    compare = "/comparatifs/comparer/edr/?" + "&".join(f"s={pk}" for pk in ids)
    pages = [CATEGORY, SOLUTION, compare, "/comparatifs/", "/comparatifs/methodologie/"]
    failures = []
    for path in pages:
        assert axe_page.goto(path).status == 200, path
        failures += [f"{path}: {_describe(v)}" for v in _axe_blocking(axe_page, axe_script)]
    _log_in(axe_page, DIRECTOR, demo_password)
    for path in (SOLUTION, compare, f"/comparatifs/avis/{ids[0]}/"):
        assert axe_page.goto(path).status == 200, path
        failures += [
            f"{path} (member): {_describe(v)}" for v in _axe_blocking(axe_page, axe_script)
        ]
    assert not failures, "\n".join(failures)
