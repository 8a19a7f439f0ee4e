"""A forbidden object and a missing one are refused on the same path: visibility is decided in
the query that looks the object up, so neither the queries run nor the answer tell them apart
(outside security review, issue 10 item 4)."""

import logging
import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from portal.access import AccessLevel
from tests.docs_base.factories import document_page, reader
from tests.portal.factories import standard_page

pytestmark = pytest.mark.django_db


def _body(response, *variable_parts) -> str:
    """The body without what differs by construction: the asked key in the page's own URL
    (language links), the masked CSRF token, the CSP nonce."""
    body = response.content.decode()
    for part in variable_parts:
        body = body.replace(str(part), "KEY")
    return re.sub(r'(csrfmiddlewaretoken" value|nonce)="[^"]*"', r"\1", body)


def _same_path(client, method, forbidden, missing, django_assert_num_queries):
    getattr(client, method)(missing)  # warm the per-process caches (content types, site)
    with CaptureQueriesContext(connection) as missing_queries:
        missing_response = getattr(client, method)(missing)
    with django_assert_num_queries(len(missing_queries)):
        forbidden_response = getattr(client, method)(forbidden)
    assert forbidden_response.status_code == missing_response.status_code == 404
    return forbidden_response, missing_response


@pytest.mark.parametrize("member", [False, True])
def test_a_restricted_page_slug_and_a_missing_one_take_the_same_path(
    member, django_assert_num_queries
):
    restricted = standard_page(
        title="Cellule de crise",
        slug="cellule-de-crise",
        access_level=AccessLevel.ROLES,
        allowed_roles={"rssi"},
    )
    client = Client()
    if member:
        client.force_login(reader())
    forbidden, missing = _same_path(
        client, "get", restricted.url, "/cellule-de-crisf/", django_assert_num_queries
    )
    assert _body(forbidden, "cellule-de-crise") == _body(missing, "cellule-de-crisf")


def test_a_page_below_a_restricted_page_is_refused_on_the_same_path(django_assert_num_queries):
    section = standard_page(title="Section membres", access_level=AccessLevel.MEMBERS)
    child = standard_page(parent=section, title="Sous-page")
    _same_path(Client(), "get", child.url, section.url + "sous-pagf/", django_assert_num_queries)


@pytest.mark.parametrize("action", ["vote", "favourite", "watch"])
def test_a_forbidden_document_id_and_a_missing_one_take_the_same_path(
    action, django_assert_num_queries, monkeypatch
):
    page = document_page(
        title="Réservé RSSI", access_level=AccessLevel.ROLES, allowed_roles={"rssi"}
    )
    client = Client()
    client.force_login(reader())
    missing_id = page.pk + 1000
    checked = []  # a forbidden object is never fetched then checked: the query decides
    monkeypatch.setattr("portal.access.policy.can_view", lambda *args: checked.append(args))
    forbidden, missing = _same_path(
        client,
        "post",
        reverse(f"docs_base:{action}", args=[page.pk]),
        reverse(f"docs_base:{action}", args=[missing_id]),
        django_assert_num_queries,
    )
    assert _body(forbidden, f"/{page.pk}/") == _body(missing, f"/{missing_id}/")
    assert checked == []


def test_a_refusal_is_logged_with_the_lookup_key_without_fetching_the_object(caplog):
    restricted = standard_page(title="Réservé", slug="reserve", access_level=AccessLevel.MEMBERS)
    with caplog.at_level(logging.INFO, logger="portal.security"):
        assert Client().get(restricted.url).status_code == 404
    lines = [
        r.getMessage() for r in caplog.records if "restricted_content_denied" in r.getMessage()
    ]
    assert len(lines) == 1
    assert f"parent={restricted.get_parent().pk},slug=reserve" in lines[0]
