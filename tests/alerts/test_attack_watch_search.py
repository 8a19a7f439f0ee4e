""" "Vous êtes attaqué ?" (first header entry, public, no script needed, served from the page
cache, edited by staff); the admin report of documents flagged by the watch; the alerts' search
facets (severity, TLP, source, product family, status) counting only what the reader may view."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from alerts.models import WatchDocument
from portal import region
from portal.access import AccessLevel, Role, Tlp
from search import services as search_services
from tests.alerts import factories
from tests.docs_base.factories import document_index, document_page, documents_editor
from tests.portal.factories import MemberFactory, UserFactory, home_page, with_mfa

pytestmark = pytest.mark.django_db


def _client(user=None):
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


# --- "Vous êtes attaqué ?" ------------------------------------------------------------------


@pytest.fixture
def attack():
    home_page()
    document_index()
    public = document_page(title="Fiche réflexe rançongiciel", document_type="first_response")
    members = document_page(
        title="Fiche réservée aux membres",
        document_type="first_response",
        access_level=AccessLevel.MEMBERS,
    )
    page = factories.attack_page(
        regional_contacts="<ul><li>Équipe régionale : cyber@region.example</li></ul>"
    )
    page.sheets.create(document=public, sort_order=0)
    page.sheets.create(document=members, sort_order=1)
    page.save_revision().publish()
    return page


def test_the_header_leads_anonymous_visitors_to_the_first_steps(attack):
    client = Client()
    home = client.get(home_page().url).content.decode()
    navigation = home[home.index('id="navigation"') :]
    entries = [
        navigation.index(f'href="{reverse(name)}"') for name in ("alerts:attack", "alerts:home")
    ]
    assert entries == sorted(entries)  # the first module entry, before the alerts
    # Drawn apart from the other entries: the error colour and a warning icon.
    attack_link, alerts_link = (
        re.search(rf'<a [^>]*href="{reverse(name)}".*?</a>', navigation, re.S)[0]
        for name in ("alerts:attack", "alerts:home")
    )
    assert "portal-nav__link--urgent" in attack_link and "fr-icon-alarm-warning-fill" in attack_link
    assert "portal-nav__link--urgent" not in alerts_link and "fr-icon" not in alerts_link
    response = client.get(reverse("alerts:attack"), follow=True)
    assert response.redirect_chain == [(attack.url, 302)]
    html = response.content.decode()
    # Everything is in the HTML itself: nothing waits for a script.
    assert "Gardez votre calme" in html and "Isolez les postes touchés" in html
    assert 'href="tel:0400000000"' in html and "04 00 00 00 00" in html
    assert f'href="{attack.declaration_url}"' in html
    assert "Cellule ACSS" in html and "cyber@region.example" in html
    assert region.current().contact_email in html
    assert "Fiche réflexe rançongiciel" in html
    assert "Fiche réservée aux membres" not in html  # a sheet the visitor may not read
    member = _client(MemberFactory(profile__roles={Role.CAREGIVER}))
    assert "Fiche réservée aux membres" in member.get(attack.url).content.decode()


def test_anonymous_visits_are_served_from_the_page_cache(attack, django_assert_max_num_queries):
    client = Client()
    assert client.get(attack.url).status_code == 200
    with django_assert_max_num_queries(2):
        again = client.get(attack.url)
    assert again.status_code == 200 and "Gardez votre calme" in again.content.decode()


def test_staff_edit_the_page(attack):
    editor = documents_editor()
    client = _client(editor)
    edit = reverse("wagtailadmin_pages:edit", args=[attack.pk])
    assert client.get(edit).status_code == 200
    attack.oncall_phone = "04 11 22 33 44"
    attack.save_revision(user=editor).publish()
    assert "04 11 22 33 44" in Client().get(attack.url).content.decode()


# --- The watch's review report ---------------------------------------------------------------


@pytest.mark.parametrize("report", ["alerts_watch_report", "docs_base_review_report"])
def test_the_reports_list_flagged_documents_until_reviewed(index, establishment, report):
    """The watch's own report, and its section of the document base's review report."""
    editor = documents_editor()
    document_index()
    guide = document_page(title="Guide de journalisation", owner=editor)
    restricted = document_page(
        title="Procédure interne du CH",
        access_level=AccessLevel.ESTABLISHMENT,
        establishment=establishment,
    )
    document_page(title="Guide sans veille")
    item = factories.watch_item(title="Nouvelle doctrine", documents=[guide, restricted])
    url = reverse(report)

    def flagged(user) -> str:
        html = _client(user).get(url).content.decode()
        return html[html.index("Documents à revoir après un élément de veille") :]

    section = flagged(editor)
    assert "Guide de journalisation" in section and "Nouvelle doctrine" in section
    assert "Guide sans veille" not in section
    # An establishment's own document stays off the editors' screens (the staff rule).
    assert "Procédure interne du CH" not in section
    root = with_mfa(UserFactory(username="root@gcs.example", is_staff=True, is_superuser=True))
    assert "Procédure interne du CH" in flagged(root)
    WatchDocument.objects.filter(item=item, document=guide).update(reviewed=True)
    assert "Guide de journalisation" not in flagged(editor)


def test_the_report_is_for_editors_only(index, member_of):
    for user in (member_of(Role.RSSI), member_of(Role.ARS_REFERENT)):
        response = _client(user).get(reverse("alerts_watch_report"))
        assert response.status_code in (302, 403)
        assert "Documents concernés par la veille" not in response.content.decode()


# --- Search facets ---------------------------------------------------------------------------


FACETS = ("alert_severity", "tlp", "alert_source", "alert_product", "alert_status")


def _facets(user, **filters):
    params = search_services.SearchParams(
        query="zephyrine", facets={k: frozenset(v) for k, v in filters.items()}
    )
    found = search_services.search(user, params, record=False)
    counts = {
        group.name: {value.value: value.count for value in group.values}
        for group in found.facets
        if group.name in FACETS
    }
    return found, counts


def test_alert_facets_count_only_what_the_reader_may_view(
    index, member_of, establishment, other_establishment, run_tasks
):
    with run_tasks():
        factories.alert(
            title="Zephyrine publique",
            severity="critical",
            source="cert_fr",
            product_families={"network"},
            status="updated",
        )
        factories.alert(
            title="Zephyrine verte", tlp=Tlp.GREEN, source="vendor", product_families={"imaging"}
        )
        factories.alert(title="Zephyrine ambre", tlp=Tlp.AMBER, product_families={"network"})
        factories.alert(
            title="Zephyrine rouge ailleurs",
            tlp=Tlp.RED,
            establishment=other_establishment,
            product_families={"backup"},
        )
    anonymous_found, anonymous = _facets(None)
    assert anonymous_found.total == 1
    assert anonymous == {
        "alert_severity": {"critical": 1},
        "tlp": {"clear": 1},
        "alert_source": {"cert_fr": 1},
        "alert_product": {"network": 1},
        "alert_status": {"updated": 1},
    }
    rssi = member_of(Role.RSSI)
    found, counts = _facets(rssi)
    assert found.total == 3
    assert counts["tlp"] == {"clear": 1, "green": 1, "amber": 1}
    assert counts["alert_product"] == {"network": 2, "imaging": 1}  # nothing of the RED alert
    assert counts["alert_source"] == {"cert_fr": 1, "vendor": 1, "cert_sante": 1}
    narrowed, _counts = _facets(rssi, alert_source={"vendor"})
    assert narrowed.total == 1
    labels = {
        group.name: {value.value: value.label for value in group.values} for group in found.facets
    }
    assert labels["alert_severity"]["critical"] == "Critique"
    assert labels["tlp"]["amber"] == "TLP:AMBER"


def test_the_on_call_number_comes_from_the_region_unless_the_page_sets_one(settings):
    settings.REGION = {**settings.REGION, "oncall_phone": "05 55 55 55 55"}
    home_page()
    page = factories.attack_page(oncall_phone="")
    html = Client().get(page.url).content.decode()
    assert 'href="tel:0555555555"' in html and "05 55 55 55 55" in html
    page.oncall_phone = "04 11 22 33 44"
    page.save_revision().publish()
    html = Client().get(page.url).content.decode()
    assert "04 11 22 33 44" in html and "05 55 55 55 55" not in html
