"""Catalogue pages: index, category, solution and methodology render what the reader may see."""

import pytest

from portal.access import AccessLevel, Role
from tests.benchmarks import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalogue():
    edr = f.category("EDR", criteria=5)
    public = f.solution(edr, "Vigie EDR", scores=[4, 3, 5, 2, 4], channels=["ugap"])
    members = f.solution(
        edr, "Sentinelle Pro", scores=[5, 5, 5, 5, 5], access_level=AccessLevel.MEMBERS
    )
    hidden_category = f.category("SOC managé", access_level=AccessLevel.MEMBERS)
    return {"edr": edr, "public": public, "members": members, "soc": hidden_category}


def test_index_lists_visible_categories_with_visible_counts(client, catalogue):
    response = client.get(f.benchmark_index().url)
    content = response.content.decode()
    assert response.status_code == 200
    assert "EDR" in content
    assert "SOC managé" not in content
    assert "1 solution" in content  # the members-only solution is not counted


def test_member_sees_members_only_category_and_counts(client, catalogue):
    client.force_login(f.reviewer(Role.CAREGIVER))
    content = client.get(f.benchmark_index().url).content.decode()
    assert "SOC managé" in content
    assert "2 solutions" in content


def test_category_page_lists_solutions_with_default_total(client, catalogue):
    response = client.get(catalogue["edr"].url)
    content = response.content.decode()
    assert response.status_code == 200
    assert "Vigie EDR" in content
    assert "Sentinelle Pro" not in content
    assert "3,60" in content  # (4+3+5+2+4)/5 with equal weights


def test_solution_page_shows_attributes_and_grid(client, catalogue):
    content = client.get(catalogue["public"].url).content.decode()
    assert "UGAP" in content
    assert "Justification Critère 1" in content
    assert "Source Vigie EDR Critère 1" in content


def test_restricted_solution_and_category_are_404(client, catalogue):
    assert client.get(catalogue["members"].url).status_code == 404
    assert client.get(catalogue["soc"].url).status_code == 404


def test_methodology_states_the_prior(client):
    page = f.methodology_page()
    content = client.get(page.url).content.decode()
    assert "3,0" in content or "3.0" in content
    assert "3" in content


def test_category_filters(client, catalogue):
    content = client.get(catalogue["edr"].url + "?channel=caih").content.decode()
    assert "Vigie EDR" not in content
    content = client.get(catalogue["edr"].url + "?channel=ugap").content.decode()
    assert "Vigie EDR" in content


def test_index_redirect_for_the_navigation_entry(rf):
    from django.contrib.auth.models import AnonymousUser
    from django.http import Http404

    from benchmarks.views import index_redirect

    request = rf.get("/~comparatifs/")
    request.user = AnonymousUser()
    with pytest.raises(Http404):
        index_redirect(request)
    index = f.benchmark_index()
    assert index_redirect(request).url == index.url
