"""The "audience" facet is the search module's own (the portal's roles): a module whose documents
carry audiences (the document base, e-learning) declares none and needs no other module."""

from docs_base import search_documents as documents
from elearning import search_documents as courses
from portal.access import Role
from search import registry


def test_audience_is_declared_once_by_search_with_every_role():
    assert registry.AUDIENCE in registry.facets()
    assert set(registry.AUDIENCE.choices()) == set(Role.values)
    declared_by_modules = [f.name for f in (*documents.FACETS, *courses.facets())]
    assert "audience" not in declared_by_modules
