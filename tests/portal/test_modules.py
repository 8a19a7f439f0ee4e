"""The module kit: what each module declares reaches every registry, from one declaration."""

from pathlib import Path

import pytest
from django.test import RequestFactory

from docs_base import module as docs_base_module
from portal import demo, modules
from portal.access import approved_member_required, is_approved_member
from portal.accounts.models import MemberStatus
from portal.accounts.personal_data import _sections
from portal.notifications import kinds
from search import registry
from tests.portal.factories import MemberFactory, UserFactory
from tests.portal.test_imports import PACKAGES


def test_an_apps_module_py_names_its_declarations():
    assert {cls.key for cls in modules.declarations(docs_base_module)} == {"documents", "rex"}


def test_every_declaration_reaches_its_registry():
    discovered = {module.key: module for module in modules.modules()}
    assert {"documents", "rex", "pages"} <= discovered.keys()
    for module in discovered.values():
        for source in module.search_sources:
            assert registry.source(source.kind) is source
        for facet in module.search_facets:
            assert facet in registry.facets()
        if module.personal_data is not None:
            assert _sections[module.personal_data.name] is module.personal_data
        for step in module.demo_steps:
            assert step in demo.steps()
        for kind in module.notification_kinds:
            assert kinds.get(kind.key) is kind
    # Every declared entry is in the header and on the home page, in (order, key) order: a new
    # module adds itself without any change here.
    navigation = modules.navigation()
    assert navigation == sorted(navigation, key=lambda m: (m.order, m.key))
    assert {m.key for m in navigation} == {k for k, m in discovered.items() if m.url_name}
    assert {m.key for m in modules.home_sections()} == {
        k for k, m in discovered.items() if m.latest is not None
    }
    assert {"documents", "rex"} <= {m.key for m in navigation}


@pytest.mark.django_db
def test_one_rule_for_approved_members():
    def view(request):
        return "ok"

    guarded = approved_member_required(view)
    approved = MemberFactory()
    pending = MemberFactory(profile__status=MemberStatus.PENDING)
    superuser = UserFactory(is_superuser=True)
    assert is_approved_member(approved) and is_approved_member(superuser)
    assert not is_approved_member(pending)
    request = RequestFactory().get("/")
    request.user = approved
    assert guarded(request) == "ok"
    request.user = pending
    with pytest.raises(Exception) as refused:
        guarded(request)
    assert refused.typename == "Http404"


def test_routes_take_ids_through_the_portal_converter():
    """``<id:…>`` (portal/converters.py), not ``<int:…>``: an out-of-range id is a 404."""
    root = Path(__file__).resolve().parents[2]
    offenders = [
        f"{path.relative_to(root)}:{number}"
        for package in PACKAGES
        for path in sorted((root / package).rglob("*.py"))
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if "<int:" in line
    ]
    assert not offenders, offenders
    assert "<int:" not in (root / "locale/fr/LC_MESSAGES/django.po").read_text()
