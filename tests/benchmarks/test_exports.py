"""Exports of a comparison: the CSV parsed, the PDF's text extracted; both follow the access
model and carry the date, the weights, the method and the sources."""

import csv
import io

import pytest
from pypdf import PdfReader

from portal.access import AccessLevel, Role
from tests.benchmarks import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def edr():
    category = f.category("EDR", criteria=2)
    a = f.solution(category, "Alpha EDR", scores=[5, 1], channels=["ugap"], hds_hosting=True)
    b = f.solution(category, "Bravo EDR", scores=[2, 4])
    hidden = f.solution(category, "Delta EDR", scores=[5, 5], access_level=AccessLevel.MEMBERS)
    return category, a, b, hidden


def export_url(category, kind, *solutions, **weights):
    query = "&".join([f"s={s.pk}" for s in solutions] + [f"w{k}={v}" for k, v in weights.items()])
    return f"{f.benchmark_index().url}comparer/{category.slug}/{kind}/?{query}"


def rows_of(response):
    text = response.content.decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text), delimiter=";"))


def test_csv_holds_weights_scores_totals_and_sources(client, edr):
    category, a, b, _hidden = edr
    first, second = list(category.criteria.all())
    response = client.get(
        export_url(category, "csv", a, b, **{str(first.pk): 10, str(second.pk): 1})
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = rows_of(response)
    by_label = {row[0]: row for row in rows if row}
    assert by_label["Comparaison"][1] == "EDR"
    assert by_label["Ligne"] == ["Ligne", "Poids", "Alpha EDR", "Bravo EDR"]
    criterion_row = next(row for row in rows if row and row[0].endswith("Critère 1"))
    assert criterion_row[1:] == ["10", "5", "2"]
    # (10 × 5 + 1 × 1) / 11 = 4.64 ; (10 × 2 + 1 × 4) / 11 = 2.18
    assert by_label["Total pondéré (sur 5)"][2:] == ["4,64", "2,18"]
    assert by_label["Rang"][2:] == ["1", "2"]
    assert by_label["Hébergement HDS"][2:] == ["Oui", "Non"]
    assert "Généré le" in by_label
    assert "moyenne bayésienne" in by_label["Méthode"][1]
    assert ["Alpha EDR", "Critère 1", "Source Alpha EDR Critère 1", "2026-09-01"] in rows


def test_csv_member_rows_only_for_members(client, edr):
    category, a, b, _hidden = edr
    anonymous = rows_of(client.get(export_url(category, "csv", a, b)))
    assert not any(row and row[0].startswith("Membres") for row in anonymous)
    client.force_login(f.reviewer(Role.DIRECTOR))
    member = rows_of(client.get(export_url(category, "csv", a, b)))
    assert any(row and row[0] == "Membres — Avis publiés" for row in member)


def test_pdf_text_has_date_weights_method_and_sources(client, edr):
    category, a, b, _hidden = edr
    first = category.criteria.first()
    response = client.get(export_url(category, "pdf", a, b, **{str(first.pk): 7}))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    for expected in (
        "Comparer : EDR",
        "Alpha EDR",
        "Bravo EDR",
        "Généré le",
        "Pondérations",
        "Méthode",
        "moyenne bayésienne",
        "Source Bravo EDR Critère 2",
        "RÉPUBLIQUE FRANÇAISE",  # the header (upper case by the stylesheet)
    ):
        assert expected in text, expected
    assert f"w{first.pk}=7" in text.replace("\n", "")


def test_exports_refuse_restricted_and_invalid_selections(client, edr):
    category, a, b, hidden = edr
    for kind in ("csv", "pdf"):
        assert client.get(export_url(category, kind, a, hidden)).status_code == 404
        assert client.get(export_url(category, kind, a)).status_code == 404
    client.force_login(f.reviewer(Role.CAREGIVER))
    response = client.get(export_url(category, "csv", a, hidden))
    assert response.status_code == 200
    assert "Delta EDR" in response.content.decode("utf-8-sig")


def test_pdf_fetches_nothing_outside(client, edr, monkeypatch):
    """No file:// or network fetch: only data: URLs are allowed to WeasyPrint."""
    from weasyprint.urls import URLFetcher

    from benchmarks import exports

    seen = {}
    original = URLFetcher.__init__

    def spy(self, *args, **kwargs):
        seen.update(kwargs)
        original(self, *args, **kwargs)

    monkeypatch.setattr(URLFetcher, "__init__", spy)
    category, a, b, _hidden = edr
    assert client.get(export_url(category, "pdf", a, b)).status_code == 200
    assert seen["allowed_protocols"] == {"data"}
    fetcher = URLFetcher(allowed_protocols={"data"})
    for url in ("file:///etc/passwd", "http://127.0.0.1/"):
        with pytest.raises(ValueError):
            fetcher.fetch(url)
    assert exports.method_text()


def test_pdf_is_laid_out_once_per_audience_until_content_changes(client, edr, monkeypatch):
    from benchmarks import exports

    calls = []
    original = exports.comparison_pdf
    monkeypatch.setattr(exports, "comparison_pdf", lambda *a: calls.append(1) or original(*a))
    category, a, b, _hidden = edr
    url = export_url(category, "pdf", a, b)
    first = client.get(url).content
    assert client.get(url).content == first and len(calls) == 1
    client.force_login(f.reviewer(Role.DIRECTOR))  # another audience: its own copy
    client.get(url)
    assert len(calls) == 2
    f.review(a)  # a change of content: laid out again
    client.get(url)
    assert len(calls) == 3
