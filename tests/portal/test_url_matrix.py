"""Role x URL matrix: every URL the project resolves, for every kind of user.

Each URL name must match an entry of ``MATRIX`` (shell patterns), so that a new page cannot
appear without declaring who may see it. Entries map each user to the allowed statuses.
"""

from fnmatch import fnmatch

import pytest
from django.test import Client

from portal.access import AccessLevel, Role
from tests.portal.factories import home_page, standard_page
from tests.portal.url_matrix import (
    USERS,
    build_users,
    establishments,
    needs_arguments,
    url_patterns,
)

pytestmark = pytest.mark.django_db

EVERYONE = set(USERS)
SIGNED_IN = EVERYONE - {"anonymous"}
REDIRECT, OK, NOT_FOUND = {302}, {200}, {404}


def rule(anonymous, signed_in, **overrides):
    statuses = {user: signed_in for user in SIGNED_IN} | {"anonymous": anonymous}
    return statuses | overrides


PUBLIC = rule(OK, OK)
ENTRANCE = rule(OK, REDIRECT)  # login and sign-up: signed-in users are sent on
SIGNED_IN_ONLY = rule(REDIRECT, OK)
ALWAYS_REDIRECTS = rule(REDIRECT, REDIRECT)  # flow steps that need prior state
# Pages about a factor the user may not have (404) or that ask for the password again (302).
FACTOR_PAGE = rule(REDIRECT, REDIRECT | NOT_FOUND)
REAUTHENTICATION = rule(REDIRECT, OK | REDIRECT)
REGIONAL_ADMIN_ONLY = rule(REDIRECT, NOT_FOUND, regional_admin=OK)
# Approved members only: the login for visitors, 404 for people whose membership is pending.
APPROVED_ONLY = rule(REDIRECT, OK, unverified=NOT_FOUND, pending=NOT_FOUND)
NOT_REQUESTED = "needs object ids or one-time keys: covered by the flow tests"

MATRIX = {
    "health": PUBLIC,
    "legal:*": PUBLIC,
    "search:results": PUBLIC,
    "search:suggestions": PUBLIC,  # titles the user may view only (tests/search)
    "search_statistics": "admin",
    "account_login": ENTRANCE,
    "account_signup": ENTRANCE,
    "account_inactive": PUBLIC,
    "account_email_verification_sent": PUBLIC,
    "account_reset_password": PUBLIC,
    "account_reset_password_done": PUBLIC,
    "account_reset_password_from_key_done": PUBLIC,
    "account_logout": SIGNED_IN_ONLY,
    "account_reauthenticate": SIGNED_IN_ONLY,
    "account_email": SIGNED_IN_ONLY,
    "account_change_password": SIGNED_IN_ONLY,
    "account_set_password": ALWAYS_REDIRECTS,
    "account_confirm_login_code": ALWAYS_REDIRECTS,
    "account_confirm_email": NOT_REQUESTED,
    "account_reset_password_from_key": NOT_REQUESTED,
    "mfa_index": SIGNED_IN_ONLY,
    "mfa_list_webauthn": SIGNED_IN_ONLY,
    "usersessions_list": SIGNED_IN_ONLY,
    "mfa_authenticate": ALWAYS_REDIRECTS,
    "mfa_login_webauthn": ALWAYS_REDIRECTS,
    "mfa_activate_totp": ALWAYS_REDIRECTS,
    "mfa_add_webauthn": ALWAYS_REDIRECTS,
    "mfa_generate_recovery_codes": ALWAYS_REDIRECTS,
    "mfa_reauthenticate_webauthn": ALWAYS_REDIRECTS,
    "mfa_reauthenticate": REAUTHENTICATION,
    "mfa_deactivate_totp": FACTOR_PAGE,
    "mfa_view_recovery_codes": FACTOR_PAGE,
    "mfa_download_recovery_codes": FACTOR_PAGE,
    "mfa_*webauthn*": NOT_REQUESTED,
    "membership:status": SIGNED_IN_ONLY,
    "membership:queue": REGIONAL_ADMIN_ONLY,
    # Approved directors and RSSI (their establishment's claims) and regional administrators;
    # the impostor's claimed RSSI and director roles open nothing.
    "membership:claims": rule(REDIRECT, NOT_FOUND, rssi=OK, regional_admin=OK),
    "membership:profile": SIGNED_IN_ONLY,
    "membership:export": SIGNED_IN_ONLY,
    "membership:delete": ALWAYS_REDIRECTS,  # asks for the password again first
    "notifications:list": SIGNED_IN_ONLY,
    "notifications:read_all": rule(REDIRECT, {405}),  # POST only
    "notifications:read": "POST, the member's own notifications only (tests/notifications)",
    "notifications:open": "the member's own, while they may view its object (tests/notifications)",
    "notifications:unsubscribe": "signed token, 400 if altered (tests/notifications)",
    # Experience feedback (REX): the index is a Wagtail page; rex_home redirects to it (404
    # while there is none, as here); submissions are their author's only (tests/docs_base).
    "docs_base:rex_home": rule(REDIRECT | NOT_FOUND, REDIRECT | NOT_FOUND),
    "docs_base:rex_submit": APPROVED_ONLY,
    "docs_base:rex_mine": APPROVED_ONLY,
    "docs_base:rex_statistics": APPROVED_ONLY,
    "docs_base:rex_submission_*": "the author's own drafts, 404 for anyone else (tests/docs_base)",
    # Document base: the catalogue is a Wagtail page; "catalogue" redirects to it (404 while
    # there is none, as here). Reader features are for approved members; downloads and the
    # per-document actions are covered with real documents in tests/docs_base/test_documents_*.
    "docs_base:catalogue": rule(REDIRECT | NOT_FOUND, REDIRECT | NOT_FOUND),
    "docs_base:favourites": APPROVED_ONLY,
    # Solution benchmarks: the index is a Wagtail page; "home" redirects to it (404 while there
    # is none, as here); the comparison, exports and reviews hang off it (tests/benchmarks).
    "benchmarks:home": rule(REDIRECT | NOT_FOUND, REDIRECT | NOT_FOUND),
    "docs_base:favourites_sharing": rule(REDIRECT, {405}),  # POST only
    "docs_base:shared_favourites": "same establishment, shared, else 404 (tests/docs_base)",
    "docs_base:vote": "POST, approved members who may view the document (tests/docs_base)",
    "docs_base:favourite": "POST, approved members who may view the document (tests/docs_base)",
    "docs_base:watch": "POST, approved members who may view the document (tests/docs_base)",
    "docs_base:download": "the access model decides, 404 otherwise (tests/docs_base)",
    # Wagtail's document URLs go through the same access-checked download view.
    "wagtaildocs_serve": "the access model decides, 404 otherwise (tests/docs_base)",
    "wagtaildocs_authenticate_with_password": "always 404: not part of the access model",
    "docs_base_review_report": "admin",
    # Wagtail pages: see PAGES below (the access model decides, 404 when not allowed).
    "wagtail_serve": "pages",
    # The Wagtail admin: staff only, checked on every URL that needs no argument.
    "wagtailadmin_error_test": "admin (raises on purpose for staff: Wagtail's error test)",
    # Static resources of the admin's own pages.
    "wagtailadmin_sprite": PUBLIC,
    "wagtailadmin_javascript_catalog": PUBLIC,
    # Every other way in goes through the portal's login (rate limits, MFA): redirects.
    "portal_admin_login": ALWAYS_REDIRECTS,
    "portal_admin_password_reset": ALWAYS_REDIRECTS,
    "portal_frontend_login": ALWAYS_REDIRECTS,
    "wagtail*": "admin",
    "<unnamed admin/*": "admin",
}

PAGES = {
    # page -> the users who may view it; everyone else gets 404
    "home": EVERYONE,
    "public": EVERYONE,
    "members": {
        "caregiver",
        "impostor",
        "other_establishment",
        "rssi",
        "moderator",
        "editor",
        "regional_admin",
    },
    "rssi_dsi": {"rssi"},
    "establishment_a": {"caregiver", "impostor", "rssi", "moderator", "editor", "regional_admin"},
    "establishment_b": {"other_establishment"},
}
STAFF = {"editor", "regional_admin"}


def entry_for(name):
    for pattern, value in MATRIX.items():
        if fnmatch(name, pattern):
            return value
    return None


def test_every_url_has_an_entry():
    missing = [name for name, _ in url_patterns() if entry_for(name) is None]
    assert not missing, f"declare who may see these URLs in MATRIX: {missing}"


@pytest.fixture
def users():
    home_page()
    return build_users(*establishments())


def _client(users, who):
    client = Client(raise_request_exception=False)
    if users[who] is not None:
        client.force_login(users[who])
    return client


def test_portal_urls(users):
    failures = []
    clients = {who: _client(users, who) for who in USERS}
    for name, route in url_patterns():
        entry = entry_for(name)
        if not isinstance(entry, dict) or needs_arguments(route):
            continue
        for who in USERS:
            status = clients[who].get("/" + route).status_code
            if status not in entry[who]:
                failures.append(f"{name} as {who}: {status}, expected {sorted(entry[who])}")
    assert not failures, "\n".join(failures)


def test_the_impostor_holds_only_the_roles_a_domain_may_grant(users):
    from portal.access import membership_of

    impostor = users["impostor"]
    assert membership_of(impostor).roles == {Role.CAREGIVER}
    assert impostor.member_profile.role_claims.get().roles == {Role.RSSI, Role.DIRECTOR}


def test_pages(users):
    est_a = users["caregiver"].member_profile.establishment
    est_b = users["other_establishment"].member_profile.establishment
    pages = {
        "home": home_page(),
        "public": standard_page(title="Public", slug="public"),
        "members": standard_page(title="Membres", slug="membres", access_level=AccessLevel.MEMBERS),
        "rssi_dsi": standard_page(
            title="RSSI",
            slug="rssi",
            access_level=AccessLevel.ROLES,
            allowed_roles={Role.RSSI, Role.DSI},
        ),
        "establishment_a": standard_page(
            title="Etab A",
            slug="etab-a",
            access_level=AccessLevel.ESTABLISHMENT,
            establishment=est_a,
        ),
        "establishment_b": standard_page(
            title="Etab B",
            slug="etab-b",
            access_level=AccessLevel.ESTABLISHMENT,
            establishment=est_b,
        ),
    }
    failures = []
    for who in USERS:
        client = _client(users, who)
        for key, page in pages.items():
            expected = 200 if who in PAGES[key] else 404
            if (status := client.get(page.url).status_code) != expected:
                failures.append(f"page {key} as {who}: {status}, expected {expected}")
    assert not failures, "\n".join(failures)


def test_admin_is_staff_only(users):
    failures = []
    clients = {who: _client(users, who) for who in ("anonymous", "caregiver", "editor")}
    for name, route in url_patterns():
        entry = entry_for(name)
        if not str(entry).startswith("admin") or needs_arguments(route):
            continue
        for who, client in clients.items():
            status = client.get("/" + route).status_code
            if who in STAFF:
                allowed = status < 500 or entry != "admin"
            else:
                allowed = status in {302, 403, 404, 405}
            if not allowed:
                failures.append(f"{name} (/{route}) as {who}: {status}")
    assert not failures, "\n".join(failures)


def test_every_post_is_csrf_protected(users):
    """No view accepts a POST without the CSRF token (a staff member with MFA tries them all)."""
    client = Client(enforce_csrf_checks=True, raise_request_exception=False)
    client.force_login(users["regional_admin"])
    accepted = []
    for name, route in url_patterns():
        if needs_arguments(route) or entry_for(name) == NOT_REQUESTED:
            continue
        status = client.post("/" + route, {"x": "1"}).status_code
        if status not in {403, 405}:
            accepted.append(f"{name} (/{route}): {status}")
    assert not accepted, "\n".join(accepted)
