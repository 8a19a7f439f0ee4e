"""Staff and TLP:RED / AMBER+STRICT content in the admin (outside security review, issue 10
item 7): only superusers and the REX moderators (and whoever may view it on the portal) see it;
others get a 404 on every admin path, and every view of it in the admin is logged."""

import logging

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse

from portal.access import AccessLevel, Role, Tlp
from tests.docs_base.factories import document_page, rex_index, rex_page, wagtail_document
from tests.portal.factories import EstablishmentFactory, MemberFactory

pytestmark = pytest.mark.django_db

STAFF = {
    # name -> (roles, Wagtail groups, superuser, sees TLP:RED in the admin)
    "editor": ({Role.EDITOR}, ("Editors",), False, False),
    "regional_admin": ({Role.REGIONAL_ADMIN}, ("Moderators",), False, False),
    "rex_moderator": ({Role.MODERATOR}, ("Moderators", "Modérateurs"), False, True),
    "superuser": ({Role.REGIONAL_ADMIN}, (), True, True),
}


def staff_client(name):
    roles, groups, superuser, _sees = STAFF[name]
    user = MemberFactory(profile__roles=roles, is_staff=True, is_superuser=superuser)
    for group in groups:
        user.groups.add(Group.objects.get(name=group))
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def red_rex():
    rex_index()  # creates the REX moderation workflow and its "Modérateurs" group
    establishment = EstablishmentFactory(name="CH de Vienne")
    page = rex_page(title="Rançongiciel au CH de Vienne", tlp=Tlp.RED, establishment=establishment)
    page.refresh_from_db()
    assert page.access_level == "establishment"
    return page


def admin_urls(page):
    revision = page.latest_revision
    return [
        reverse("wagtailadmin_pages:edit", args=[page.pk]),
        reverse("wagtailadmin_pages:history", args=[page.pk]),
        reverse("wagtailadmin_pages:view_draft", args=[page.pk]),
        reverse("wagtailadmin_pages:revisions_view", args=[page.pk, revision.pk]),
        reverse("wagtailadmin_pages:preview_on_edit", args=[page.pk]),
    ]


@pytest.mark.parametrize("name", list(STAFF))
def test_admin_views_of_a_red_page_follow_the_staff_rule(name, red_rex, caplog):
    page = red_rex
    client = staff_client(name)
    sees = STAFF[name][3]
    with caplog.at_level(logging.INFO, logger="portal.security"):
        for url in admin_urls(page):
            status = client.get(url).status_code
            if sees:
                assert status != 404, (name, url)
            else:
                assert status == 404, (name, url)
    viewed = [r for r in caplog.records if "event=sensitive_content_viewed" in r.getMessage()]
    assert len(viewed) == (len(admin_urls(page)) if sees else 0)


@pytest.mark.parametrize("name", list(STAFF))
def test_admin_listing_and_search_follow_the_staff_rule(name, red_rex):
    page = red_rex
    client = staff_client(name)
    listing = client.get(reverse("wagtailadmin_explore", args=[page.get_parent().pk]))
    search = client.get(reverse("wagtailadmin_pages:search"), {"q": "Rançongiciel"})
    for response in (listing, search):
        assert response.status_code == 200
        assert (page.title in response.content.decode()) is STAFF[name][3], name


def test_a_member_of_the_establishment_who_may_view_it_sees_it_in_the_admin(red_rex):
    page = red_rex
    rssi = MemberFactory(
        profile__roles={Role.RSSI, Role.EDITOR},
        profile__establishment=page.establishment,
        is_staff=True,
    )
    rssi.groups.add(Group.objects.get(name="Editors"))
    client = Client()
    client.force_login(rssi)
    assert client.get(reverse("wagtailadmin_pages:edit", args=[page.pk])).status_code == 200


@pytest.mark.parametrize("name", list(STAFF))
def test_a_file_of_an_amber_strict_page_downloads_by_the_staff_rule(name, caplog):
    plan = wagtail_document("Plan de crise", "plan-de-crise.pdf")
    document_page(
        title="Plan de crise du CH de Vienne",
        attachments=[plan],
        access_level=AccessLevel.ESTABLISHMENT,
        establishment=EstablishmentFactory(name="CH de Vienne"),
    )
    client = staff_client(name)
    with caplog.at_level(logging.INFO, logger="portal.security"):
        status = client.get(plan.url).status_code
    # Every staff member here may download documents (Wagtail's "Editors" or "Moderators").
    assert status == (200 if STAFF[name][3] else 404)
    assert ("event=sensitive_content_viewed" in caplog.text) is (status == 200)
