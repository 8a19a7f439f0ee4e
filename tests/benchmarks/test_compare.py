"""Side-by-side comparison: weights in the URL, ranking, refused input, restricted solutions,
charts with data tables, bounded queries."""

import re

import pytest

from portal.access import AccessLevel, Role
from tests.benchmarks import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def edr():
    category = f.category("EDR", criteria=2)
    a = f.solution(category, "Alpha EDR", scores=[5, 1])
    b = f.solution(category, "Bravo EDR", scores=[2, 4])
    c = f.solution(category, "Charlie EDR", scores=[3, None])
    hidden = f.solution(category, "Delta EDR", scores=[5, 5], access_level=AccessLevel.MEMBERS)
    return category, a, b, c, hidden


def url(category, *solutions, **weights):
    index = f.benchmark_index()
    query = "&".join([f"s={s.pk}" for s in solutions] + [f"w{k}={v}" for k, v in weights.items()])
    return f"{index.url}comparer/{category.slug}/?{query}"


def ranking(content):
    block = re.search(r'<ol id="ranking">(.*?)</ol>', content, re.S).group(1)
    return re.findall(r'bench-ranking__name">([^<]+)<', block)


def test_default_weights_rank_the_solutions(client, edr):
    category, a, b, c, _hidden = edr
    response = client.get(url(category, a, b, c))
    content = response.content.decode()
    assert response.status_code == 200
    # equal weights: Alpha 3.00, Bravo 3.00, Charlie 3.00 (one criterion only) -> all first
    assert "3,00" in content
    assert set(ranking(content)) == {"Alpha EDR", "Bravo EDR", "Charlie EDR"}


def test_weights_in_the_url_change_the_ranking(client, edr):
    category, a, b, c, _hidden = edr
    first, second = list(category.criteria.all())
    heavy_first = ranking(
        client.get(url(category, a, b, **{str(first.pk): 10, str(second.pk): 1})).content.decode()
    )
    heavy_second = ranking(
        client.get(url(category, a, b, **{str(first.pk): 1, str(second.pk): 10})).content.decode()
    )
    assert heavy_first == ["Alpha EDR", "Bravo EDR"]
    assert heavy_second == ["Bravo EDR", "Alpha EDR"]


def test_differences_and_best_scores_are_marked_in_text(client, edr):
    category, a, b, _c, _hidden = edr
    content = client.get(url(category, a, b)).content.decode()
    assert "bench-differs" in content
    assert "(meilleure note)" in content or "(best)" in content


def test_script_is_a_static_file_and_the_form_works_without_it(client, edr):
    category, a, b, _c, _hidden = edr
    content = client.get(url(category, a, b)).content.decode()
    assert re.search(r'<script src="[^"]*benchmarks/compare\.js"', content)
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", content)  # no inline script
    assert 'id="compare-form"' in content and 'method="get"' in content
    assert 'type="submit"' in content


@pytest.mark.parametrize(
    "build, message",
    [
        (lambda c, s: [s[0]], "Choisissez de 2 à 4 solutions"),
        (lambda c, s: s * 1 + s[:2], "Choisissez de 2 à 4 solutions"),
    ],
)
def test_wrong_number_of_solutions_is_refused_with_a_message(client, edr, build, message):
    category, a, b, c, _hidden = edr
    extra = f.solution(category, "Echo EDR", scores=[1, 1])
    extra2 = f.solution(category, "Foxtrot EDR", scores=[1, 1])
    picked = build(category, [a, b, c, extra, extra2])
    response = client.get(url(category, *picked), HTTP_ACCEPT_LANGUAGE="fr")
    content = response.content.decode()
    assert response.status_code == 200
    assert message in content
    assert 'id="ranking"' not in content


def test_bad_weight_keeps_the_default_and_says_so(client, edr):
    category, a, b, _c, _hidden = edr
    first = category.criteria.first()
    response = client.get(url(category, a, b, **{str(first.pk): "99"}))
    content = response.content.decode()
    assert response.status_code == 200
    assert "Critère 1" in re.search(r'id="compare-errors"(.*?)</div>', content, re.S).group(1)
    assert f'name="w{first.pk}" value="3"' in content


def test_garbage_solution_id_is_a_message_not_an_error(client, edr):
    category, a, _b, _c, _hidden = edr
    index = f.benchmark_index()
    response = client.get(f"{index.url}comparer/{category.slug}/?s={a.pk}&s=abc")
    assert response.status_code == 200
    assert "compare-errors" in response.content.decode()


def test_restricted_solution_reads_as_unknown(client, edr):
    """Canary: a members-only solution in the URL is refused exactly like a missing one."""
    category, a, _b, _c, hidden = edr
    restricted = client.get(url(category, a, hidden)).content.decode()
    missing = client.get(url(category, a, type(a)(pk=999999))).content.decode()
    assert "Delta EDR" not in restricted
    strip = lambda text: re.sub(r"s=\d+|value=\"\d+\"|s-\d+|\d{5,}", "", text)  # noqa: E731
    assert strip(restricted) == strip(missing)
    member = f.reviewer(Role.CAREGIVER)
    client.force_login(member)
    assert "Delta EDR" in ranking(client.get(url(category, a, hidden)).content.decode())


def test_unknown_or_restricted_category_is_404(client, edr):
    index = f.benchmark_index()
    hidden = f.category("SOC", access_level=AccessLevel.MEMBERS)
    assert client.get(f"{index.url}comparer/nope/").status_code == 404
    assert client.get(f"{index.url}comparer/{hidden.slug}/").status_code == 404


def test_charts_are_svg_with_their_data_tables(client, edr):
    category, a, b, _c, _hidden = edr
    content = client.get(url(category, a, b)).content.decode()
    assert content.count('<svg class="bench-chart__svg" role="img"') == 3  # totals + 2 solutions
    assert content.count("(tableau de données)") + content.count("(data table)") == 3


def test_member_aggregates_only_for_members(client, edr):
    category, a, b, _c, _hidden = edr
    for _ in range(3):
        f.review(a, satisfaction=5)
    anonymous = client.get(url(category, a, b)).content.decode()
    assert "bayésienne" not in anonymous and "pas assez d" not in anonymous
    client.force_login(f.reviewer(Role.CAREGIVER))
    member = client.get(url(category, a, b)).content.decode()
    assert "pas assez d’avis" in member  # b has no review
    assert "4,00" in member  # satisfaction of a: (3 × 3 + 5 + 5 + 5) / (3 + 3)
    assert "3,50" in member  # ease of use of a: (3 × 3 + 4 + 4 + 4) / (3 + 3)


def test_comparison_of_4_solutions_by_30_criteria_has_bounded_queries(
    client, django_assert_max_num_queries
):
    category = f.category("Sauvegarde", criteria=30)
    solutions = [
        f.solution(category, f"Solution {n}", scores=[(n + i) % 6 for i in range(30)])
        for n in range(4)
    ]
    for solution in solutions:
        for _ in range(3):
            f.review(solution)
    client.force_login(f.reviewer(Role.DIRECTOR))
    with django_assert_max_num_queries(25):
        response = client.get(url(category, *solutions))
    assert response.status_code == 200
    assert len(ranking(response.content.decode())) == 4


def test_category_of_30_solutions_has_bounded_queries(client, django_assert_max_num_queries):
    category = f.category("Messagerie", criteria=10)
    for n in range(30):
        f.solution(category, f"Filtre {n}", scores=[n % 6] * 10, channels=["ugap", "caih"])
    client.force_login(f.reviewer(Role.DIRECTOR))
    with django_assert_max_num_queries(25):
        response = client.get(category.url)
    assert response.status_code == 200
    assert response.content.decode().count('name="s"') == 30
