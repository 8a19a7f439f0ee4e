"""Role x URL matrix: every URL the project resolves, for every kind of user.

Each URL name must match an entry of ``MATRIX`` (shell patterns), so that a new page cannot
appear without declaring who may see it. Entries map each user to the allowed statuses.
"""

from fnmatch import fnmatch

import pytest
from django.test import Client
from django.utils.module_loading import import_string

from docs_base.routes import documents_url
from portal.access import AccessLevel, Role
from tests.docs_base.factories import document_page
from tests.portal.factories import home_page, standard_page
from tests.portal.url_matrix import (
    USERS,
    build_users,
    establishments,
    needs_arguments,
    routable_page_routes,
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
    # Experience feedback (REX): the index is a Wagtail page (created by the fixture, see
    # ROUTABLE_INDEXES); rex_home redirects to it. Its routes serve the members' own views;
    # submissions are their author's only (tests/docs_base).
    "docs_base:rex_home": rule(REDIRECT, REDIRECT),
    "docs_base.RexIndexPage:index_route": PUBLIC,
    "docs_base.RexIndexPage:submit": APPROVED_ONLY,
    "docs_base.RexIndexPage:mine": APPROVED_ONLY,
    "docs_base.RexIndexPage:statistics": APPROVED_ONLY,
    "docs_base.RexIndexPage:submission_*": "the author's own drafts, 404 for anyone else "
    "(tests/docs_base)",
    # Document base: the catalogue is a Wagtail page; "catalogue" redirects to it. Reader
    # features (its routes) are for approved members; downloads and the per-document actions
    # are covered with real documents in tests/docs_base/test_documents_*.
    "docs_base:catalogue": rule(REDIRECT, REDIRECT),
    "docs_base.DocumentIndexPage:index_route": PUBLIC,
    "docs_base.DocumentIndexPage:favourites": APPROVED_ONLY,
    "docs_base.DocumentIndexPage:favourites_sharing": rule(REDIRECT, {405}),  # POST only
    "docs_base.DocumentIndexPage:shared_favourites": "same establishment, shared, else 404 "
    "(tests/docs_base)",
    "docs_base.DocumentIndexPage:vote": "POST, approved members who may view the document "
    "(tests/docs_base)",
    "docs_base.DocumentIndexPage:favourite": "POST, approved members who may view the "
    "document (tests/docs_base)",
    "docs_base.DocumentIndexPage:watch": "POST, approved members who may view the document "
    "(tests/docs_base)",
    # Solution benchmarks: the index is a Wagtail page; "home" redirects to it (404 while there
    # is none, as here); the comparison, exports and reviews hang off it (tests/benchmarks).
    "benchmarks:home": rule(REDIRECT | NOT_FOUND, REDIRECT | NOT_FOUND),
    "benchmarks.BenchmarkIndexPage:index_route": PUBLIC,
    "benchmarks.BenchmarkIndexPage:compare": "a category's solutions: public ones to everyone, "
    "members-only ones to approved members, else 404 (tests/benchmarks/test_access.py)",
    "benchmarks.BenchmarkIndexPage:compare_csv": "as the comparison (tests/benchmarks)",
    "benchmarks.BenchmarkIndexPage:compare_pdf": "as the comparison (tests/benchmarks)",
    "benchmarks.BenchmarkIndexPage:review": "directors, RSSI and DSI of a validated member "
    "establishment, for a solution they may view, else 404 (tests/benchmarks/test_reviews.py)",
    "benchmarks.BenchmarkIndexPage:report_review": "POST, approved members who may view the "
    "review, else 404 (tests/benchmarks/test_reviews.py)",
    # The establishment's own reviews: its director, RSSI or DSI (the impostor's claimed roles
    # open nothing).
    "benchmarks.BenchmarkIndexPage:my_reviews": rule(REDIRECT, NOT_FOUND, rssi=OK),
    # Alerts and watch: "home" redirects to the index page; "attack" to the "Vous êtes
    # attaqué ?" page (404 while there is none, as here). The index's routes serve the watch,
    # subscriptions, acknowledgements, the exposure dashboard and the feeds (tests/alerts).
    "alerts:home": rule(REDIRECT | NOT_FOUND, REDIRECT | NOT_FOUND),
    "alerts:attack": rule(REDIRECT | NOT_FOUND, REDIRECT | NOT_FOUND),
    "alerts.AlertIndexPage:index_route": PUBLIC,
    "alerts.AlertIndexPage:watch": PUBLIC,
    "alerts.AlertIndexPage:rss": PUBLIC,
    "alerts.AlertIndexPage:atom": PUBLIC,
    "alerts.AlertIndexPage:subscription": APPROVED_ONLY,
    # The establishment's own history: its approved RSSI, DSI or director (the impostor's
    # claimed roles and the pending RSSI open nothing).
    "alerts.AlertIndexPage:history": rule(REDIRECT, NOT_FOUND, rssi=OK),
    # Regional staff and ARS referents only.
    "alerts.AlertIndexPage:dashboard": rule(
        REDIRECT, NOT_FOUND, moderator=OK, editor=OK, regional_admin=OK
    ),
    "alerts.AlertIndexPage:alert_dashboard*": "regional roles, for an alert they may follow, "
    "else 404 (tests/alerts/test_dashboard.py)",
    "alerts.AlertIndexPage:acknowledge": "the establishment's own RSSI, DSI or director, for "
    "an alert concerning it, else 404 (tests/alerts/test_acknowledgements.py)",
    "docs_base:download": "the access model decides, 404 otherwise (tests/docs_base)",
    # E-learning: "catalogue" redirects to the catalogue page (404 while there is none); its
    # other views are routes of Wagtail pages (see ROUTABLE_INDEXES). SCORM content needs a
    # signed token bound to an enrolment (tests/elearning/test_scorm.py).
    "elearning:catalogue": rule(REDIRECT | NOT_FOUND, REDIRECT | NOT_FOUND),
    "elearning:scorm_content": "token bound to the learner's enrolment, else 404 (tests/elearning)",
    # The catalogue page's routes (tests/elearning). Managers' views: approved directors and
    # RSSI of an establishment (report), directors (assign), regional roles (regional figures);
    # the impostor's claimed RSSI and director roles open nothing.
    "elearning.CourseIndexPage:index_route": PUBLIC,
    "elearning.CourseIndexPage:mine": APPROVED_ONLY,
    "elearning.CourseIndexPage:report": rule(REDIRECT, NOT_FOUND, rssi=OK),
    # Without ?formation=, every course of the manager's establishment; the export itself is
    # covered in tests/elearning/test_reports.py.
    "elearning.CourseIndexPage:report_csv": rule(REDIRECT, NOT_FOUND, rssi=OK),
    "elearning.CourseIndexPage:regional": rule(
        REDIRECT, NOT_FOUND, moderator=OK, editor=OK, regional_admin=OK
    ),
    "elearning.CourseIndexPage:assign": rule(REDIRECT, NOT_FOUND),  # no director here
    "elearning.CourseIndexPage:verify": "public, by certificate code, 404 for an unknown code "
    "(tests/elearning)",
    "elearning.CourseIndexPage:certificate_pdf": "the learner's own certificates, else 404 "
    "(tests/elearning)",
    "elearning.CourseIndexPage:scorm_runtime": "POST, the learner's current enrolment in the "
    "lesson's course, else 404 (tests/elearning/test_scorm.py)",
    # A course's own routes (the access model decides who may view the course: public here).
    "elearning.CoursePage:index_route": PUBLIC,
    "elearning.CoursePage:enrol": ALWAYS_REDIRECTS,  # POST only: a GET goes back to the course
    # Approved members: to their next step, or the course when not enrolled.
    "elearning.CoursePage:resume": rule(
        REDIRECT, REDIRECT, unverified=NOT_FOUND, pending=NOT_FOUND
    ),
    # Events and escape-game kits (elearning/events): the events page, an event and a kit are
    # Wagtail pages (see ROUTABLE_INDEXES); registration, cancellation and decisions are POST
    # only; organisers are GCS facilitators / editors and regional administrators.
    "elearning:events": rule(REDIRECT | NOT_FOUND, REDIRECT | NOT_FOUND),
    "elearning.EventIndexPage:index_route": PUBLIC,
    "elearning.EventIndexPage:my_events": APPROVED_ONLY,
    # Staff see every loan request, members their establishment's.
    "elearning.EventIndexPage:loans": APPROVED_ONLY,
    "elearning.EventIndexPage:feed": "secret token, 404 when unknown or revoked "
    "(tests/elearning/test_events_calendars.py)",
    "elearning.EventIndexPage:loan_decision": "POST, GCS staff only, else 404 "
    "(tests/elearning/test_events_kits.py)",
    "elearning.EventIndexPage:session_report": "an approved loan of the member's "
    "establishment, else 404 (tests/elearning/test_events_kits.py)",
    "elearning.EventPage:index_route": PUBLIC,
    "elearning.EventPage:register": ALWAYS_REDIRECTS,  # POST only: a GET goes back to the event
    "elearning.EventPage:cancel": ALWAYS_REDIRECTS,
    "elearning.EventPage:ics": PUBLIC,  # as the event; its online link for participants only
    "elearning.EventPage:participants": rule(REDIRECT, NOT_FOUND, editor=OK, regional_admin=OK),
    # POST only: a GET sends organisers back to the participants.
    "elearning.EventPage:attendance_import": rule(
        REDIRECT, NOT_FOUND, editor=REDIRECT, regional_admin=REDIRECT
    ),
    # Nobody attended the matrix's upcoming event: no certificate, no survey yet.
    "elearning.EventPage:certificate": rule(REDIRECT, NOT_FOUND),
    "elearning.EventPage:survey": rule(REDIRECT, NOT_FOUND),
    "elearning.KitPage:index_route": PUBLIC,
    "elearning.KitPage:loan_request": APPROVED_ONLY,
    "elearning.KitPage:material": "approved members who may view the kit; the facilitator's "
    "guide for facilitators only, else 404 (tests/elearning/test_events_kits.py)",
    # Wagtail's document URLs go through the same access-checked download view.
    "wagtaildocs_serve": "the access model decides, 404 otherwise (tests/docs_base)",
    "wagtaildocs_authenticate_with_password": "always 404: not part of the access model",
    "docs_base_review_report": "admin",
    "alerts_watch_report": "admin",
    # Member forum: approved members; forums, topics and posts per audience (every forum x
    # user in tests/forum/test_access.py); the moderation queue for moderators only.
    "community:index": APPROVED_ONLY,
    "community:ask": APPROVED_ONLY,
    "community:moderation": rule(REDIRECT, NOT_FOUND, moderator=OK, regional_admin=OK),
    "community:*": "forum, topic and post ids: the permission matrix in tests/forum",
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

# Page models whose routes serve a module's own views -> a factory of one live page of each:
# the matrix requests every route under it, for every user.
ROUTABLE_INDEXES = {
    "alerts.AlertIndexPage": "tests.alerts.factories.alert_index",
    "benchmarks.BenchmarkIndexPage": "tests.benchmarks.factories.benchmark_index",
    "docs_base.RexIndexPage": "tests.docs_base.factories.rex_index",
    "docs_base.DocumentIndexPage": "tests.docs_base.factories.document_index",
    "elearning.CourseIndexPage": "tests.elearning.factories.course_index",
    "elearning.CoursePage": "tests.elearning.factories.course",
    "elearning.EventIndexPage": "tests.elearning.event_factories.event_index",
    "elearning.EventPage": "tests.elearning.event_factories.event",
    "elearning.KitPage": "tests.elearning.event_factories.kit",
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
    missing += [name for name, _, _ in routable_page_routes() if entry_for(name) is None]
    assert not missing, f"declare who may see these URLs in MATRIX: {missing}"


def test_every_page_model_with_routes_has_an_index_here():
    models = {name.split(":")[0] for name, _, _ in routable_page_routes()}
    assert models == set(ROUTABLE_INDEXES), "declare a factory in ROUTABLE_INDEXES"


def all_routes():
    """(name, URL path without the leading "/") of every URL pattern and every route of a
    routable index page (the fixture created one live page of each)."""
    indexes = {}
    for name, model, route in routable_page_routes():
        label = name.split(":")[0]
        if label not in indexes:
            indexes[label] = model.objects.live().order_by("path").first()
        yield name, indexes[label].url.lstrip("/") + route
    yield from url_patterns()


@pytest.fixture
def users():
    home_page()
    for factory in ROUTABLE_INDEXES.values():
        import_string(factory)()
    return build_users(*establishments())


def _client(users, who):
    client = Client(raise_request_exception=False)
    if users[who] is not None:
        client.force_login(users[who])
    return client


def test_portal_urls(users):
    failures = []
    clients = {who: _client(users, who) for who in USERS}
    for name, route in all_routes():
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


def test_document_pages_from_the_page_cache_reach_their_audience_only(users):
    """Each user visits every document page twice, the second round in the reverse order: the
    copies the first visitors left in the page cache serve their own audience only, and the
    reader's controls (a personal fragment) only approved members."""
    est_a = users["caregiver"].member_profile.establishment
    est_b = users["other_establishment"].member_profile.establishment
    levels = {
        "public": {},
        "members": {"access_level": AccessLevel.MEMBERS},
        "rssi_dsi": {"access_level": AccessLevel.ROLES, "allowed_roles": {Role.RSSI, Role.DSI}},
        "establishment_a": {"access_level": AccessLevel.ESTABLISHMENT, "establishment": est_a},
        "establishment_b": {"access_level": AccessLevel.ESTABLISHMENT, "establishment": est_b},
    }
    pages = {
        key: document_page(title=f"Document {key} zorglub{n}", themes={"backups"}, **fields)
        for n, (key, fields) in enumerate(levels.items())
    }
    clients = {who: _client(users, who) for who in USERS}
    failures = []
    for order in (USERS, USERS[::-1]):
        for who in order:
            for key, page in pages.items():
                response = clients[who].get(page.url)
                html = response.content.decode()
                allowed = who in PAGES[key]
                seen = {k for k, other in pages.items() if other.title in html}
                visible = {k for k in pages if who in PAGES[k]}
                if response.status_code != (200 if allowed else 404) or not seen <= visible:
                    failures.append(f"{key} as {who}: {response.status_code}, shows {seen}")
                controls = documents_url("favourite", page.pk) in html
                if allowed and controls != (who in PAGES["members"]):
                    failures.append(f"{key} as {who}: reader controls {controls}")
    assert not failures, "\n".join(failures)
    assert clients["rssi"].get(pages["rssi_dsi"].url)["X-Page-Cache"] == "hit"


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
    for name, route in all_routes():
        if needs_arguments(route) or entry_for(name) == NOT_REQUESTED:
            continue
        status = client.post("/" + route, {"x": "1"}).status_code
        if status not in {403, 405}:
            accepted.append(f"{name} (/{route}): {status}")
    assert not accepted, "\n".join(accepted)
