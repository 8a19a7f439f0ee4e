"""The signed-in user comes from the shared cache, never stale: every change shows at once."""

import pytest
from django.conf import settings as django_settings
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail import hooks
from wagtail.users.views.bulk_actions.set_active_state import SetActiveStateBulkAction

from portal.access import Role, membership_of
from portal.accounts import services, user_cache
from portal.accounts.backends import MemberBackend
from portal.accounts.models import (
    FAMILY_OF_TYPE,
    Establishment,
    EstablishmentType,
    MemberStatus,
)
from portal.notifications.models import Notification
from tests.portal.factories import (
    EstablishmentFactory,
    MemberFactory,
    UserFactory,
    client_for,
    home_page,
    with_mfa,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _home():
    home_page()


def request_user(client):
    """The user of a new request of ``client`` (loaded as every request loads it)."""
    response = client.get("/")
    assert response.status_code == 200
    user = response.wsgi_request.user
    return user if user.is_authenticated else None


def warm(client):
    """Two requests: the first stores the version, the second the copy."""
    request_user(client)
    return request_user(client)


def test_a_signed_in_request_reads_no_user_row_once_cached(client, establishment):
    member = MemberFactory(profile__establishment=establishment)
    client.force_login(member)
    warm(client)
    # The page comes from the page cache: the session (database sessions in tests) and the
    # header's unread count are read, not the user, its profile or its establishment.
    with CaptureQueriesContext(connection) as queries:
        assert request_user(client).pk == member.pk
    tables = " ".join(q["sql"] for q in queries.captured_queries)
    assert len(queries) == 2 and "django_session" in tables and "notification" in tables
    assert "auth_user" not in tables and "accounts_" not in tables


def test_each_user_gets_only_their_own_copy(establishment):
    first = MemberFactory(first_name="Alice", profile__establishment=establishment)
    second = MemberFactory(first_name="Bruno", profile__establishment=establishment)
    first_client, second_client = client_for(first), client_for(second)
    warm(first_client), warm(second_client)
    assert request_user(first_client).first_name == "Alice"
    assert request_user(second_client).first_name == "Bruno"


def test_approval_shows_at_once(establishment):
    admin = MemberFactory(profile__roles={Role.REGIONAL_ADMIN}, profile__mfa=False)
    member = MemberFactory(
        profile__establishment=establishment, profile__status=MemberStatus.PENDING
    )
    client = client_for(member)
    assert not membership_of(warm(client)).approved
    services.approve(member.member_profile, admin)
    assert membership_of(request_user(client)).approved


def test_suspension_and_role_changes_show_at_once(establishment):
    member = MemberFactory(profile__establishment=establishment, profile__roles={Role.DPO})
    client = client_for(member)
    assert membership_of(warm(client)).roles == {Role.DPO}
    profile = member.member_profile
    profile.roles = {Role.DPO, Role.CAREGIVER}
    profile.save()
    assert membership_of(request_user(client)).roles == {Role.DPO, Role.CAREGIVER}
    admin = MemberFactory(profile__roles={Role.REGIONAL_ADMIN}, profile__mfa=False)
    services.suspend(profile, admin, "Départ de l'établissement")
    assert not membership_of(request_user(client)).approved


def test_an_establishment_change_reaches_each_of_its_members(establishment):
    members = [MemberFactory(profile__establishment=establishment) for _ in range(2)]
    clients = [client_for(m) for m in members]
    for client in clients:
        assert membership_of(warm(client)).establishment_family == establishment.family
    establishment.kind = "ars"
    establishment.save()
    family = Establishment.objects.get(pk=establishment.pk).family
    assert family != FAMILY_OF_TYPE[EstablishmentType.CH]
    for client in clients:
        assert membership_of(request_user(client)).establishment_family == family


def test_approval_validating_the_establishment_reaches_its_other_members():
    new = EstablishmentFactory(validated=False)
    colleague = MemberFactory(profile__establishment=new)
    client = client_for(colleague)
    assert not warm(client).member_profile.establishment.validated
    applicant = MemberFactory(profile__establishment=new, profile__status=MemberStatus.PENDING)
    admin = MemberFactory(profile__roles={Role.REGIONAL_ADMIN}, profile__mfa=False)
    services.approve(applicant.member_profile, admin)  # validates with a queryset update
    assert request_user(client).member_profile.establishment.validated


def test_deactivation_and_deletion_sign_out_at_once(establishment):
    member = MemberFactory(profile__establishment=establishment)
    client = client_for(member)
    assert warm(client) is not None
    member.is_active = False
    member.save()
    assert request_user(client) is None

    other = MemberFactory(profile__establishment=establishment)
    client = client_for(other)
    assert warm(client) is not None
    other.delete()
    assert request_user(client) is None


def test_a_password_change_ends_the_other_sessions(establishment):
    member = MemberFactory(profile__establishment=establishment)
    client = client_for(member)
    assert warm(client) is not None
    member.set_password("un-nouveau-mot-de-passe-long")
    member.save()
    assert request_user(client) is None


def test_a_copy_stored_under_a_retired_token_is_never_used():
    """A request that read the row before a change stores it under the token it read first;
    the change replaces the token, so that copy is never served."""
    user = UserFactory(first_name="Avant")
    query = lambda: MemberBackend._query(user.pk)  # noqa: E731
    user_cache.load(user.pk, query)  # stores the token
    token = cache.get(user_cache.VERSION_KEY.format(user.pk))
    stale = MemberBackend._query(user.pk)  # the row, read before the change
    user.first_name = "Après"
    user.save()
    cache.set(user_cache.USER_KEY.format(user.pk), (token, stale))  # stored late
    assert user_cache.load(user.pk, query).first_name == "Après"
    assert user_cache.load(user.pk, query).first_name == "Après"


def test_the_unread_count_in_the_header_is_never_stale(establishment):
    member = MemberFactory(profile__establishment=establishment)
    client = client_for(member)
    warm(client)
    assert "fr-badge" not in client.get("/").content.decode()
    Notification.objects.create(
        user=member,
        kind="x",
        key="k1",
        title="Nouveau",
        target_type=ContentType.objects.get_for_model(member),
        target_id=str(member.pk),
    )
    html = client.get("/").content.decode()
    assert 'fr-badge fr-badge--sm fr-badge--info fr-ml-1v">1<' in html
    Notification.objects.filter(user=member).update(read_at="2026-01-01T00:00:00Z")
    assert "fr-badge--info fr-ml-1v" not in client.get("/").content.decode()


# --- The account links, kept rendered per user version --------------------------------------


def test_account_links_stay_each_members_own_and_follow_every_change(establishment):
    """Two members of one audience share the page copy but never the account links; a name,
    an approval, a role, the staff flag, a notification and the language show at once."""
    alice = MemberFactory(first_name="Alice", profile__establishment=establishment)
    bruno = MemberFactory(first_name="Bruno", profile__establishment=establishment)
    alice_client, bruno_client = client_for(alice), client_for(bruno)
    warm(alice_client), warm(bruno_client)
    for _ in range(2):
        alice_html = alice_client.get("/").content.decode()
        bruno_html = bruno_client.get("/").content.decode()
        assert "Alice" in alice_html and "Bruno" not in alice_html
        assert "Bruno" in bruno_html and "Alice" not in bruno_html
    # Each request has its own CSRF token in the logout form.
    tokens = {
        page.split('name="csrfmiddlewaretoken" value="')[1].split('"')[0]
        for page in (alice_client.get("/").content.decode() for _ in range(2))
    }
    assert len(tokens) == 2 and not any("placeholder" in token for token in tokens)

    alice.first_name = "Alicia"
    alice.save()
    assert "Alicia" in alice_client.get("/").content.decode()

    with_mfa(alice)  # the role needs a second factor
    profile = alice.member_profile
    profile.roles = {Role.REGIONAL_ADMIN}
    profile.save()
    assert "/adhesion/demandes/" in alice_client.get("/").content.decode()

    alice.is_staff = True
    alice.save()
    assert "Administration" in alice_client.get("/").content.decode()

    Notification.objects.create(
        user=alice,
        kind="x",
        key="k1",
        title="Nouveau",
        target_type=ContentType.objects.get_for_model(alice),
        target_id=str(alice.pk),
    )
    assert 'fr-ml-1v">1<' in alice_client.get("/").content.decode()
    assert 'fr-ml-1v">1<' not in bruno_client.get("/").content.decode()
    assert "Log out" in alice_client.get("/en/").content.decode()


def test_suspended_member_loses_the_links_of_approved_members(establishment):
    member = MemberFactory(profile__establishment=establishment)
    client = client_for(member)
    warm(client)
    assert "Mon adhésion" not in client.get("/").content.decode()
    admin = MemberFactory(profile__roles={Role.REGIONAL_ADMIN}, profile__mfa=False)
    services.suspend(member.member_profile, admin, "Départ")
    assert "Mon adhésion" in client.get("/").content.decode()


# --- The session store fetching the user along (the production engine with Redis) ----------


@pytest.fixture
def session_store(settings):
    settings.SESSION_ENGINE = "portal.accounts.session_store"


def test_with_the_session_store_one_cache_read_serves_session_and_user(
    session_store, establishment, monkeypatch
):
    member = MemberFactory(first_name="Alice", profile__establishment=establishment)
    client = client_for(member)
    warm(client), warm(client)
    reads = []
    for name in ("get", "get_many"):
        original = getattr(cache, name)

        def spy(key, *args, _original=original, **kwargs):
            reads.append([key] if isinstance(key, str) else list(key))
            return _original(key, *args, **kwargs)

        monkeypatch.setattr(cache, name, spy)
    with CaptureQueriesContext(connection) as queries:
        assert request_user(client).first_name == "Alice"
    # The session and the user's token and copy in one read; nothing else reads them.
    session_key = client.cookies[django_settings.SESSION_COOKIE_NAME].value
    user_keys = user_cache.keys(member.pk)
    first = reads[0]
    assert session_key in first[0] and first[1:] == user_keys
    # (the local-memory cache's get_many reads each key with get: those reads, nothing more)
    touching = [r for r in reads if set(r) & {*user_keys} or any(session_key in k for k in r)]
    assert touching == [first, *([key] for key in first)]
    assert "auth_user" not in " ".join(q["sql"] for q in queries.captured_queries)


def test_with_the_session_store_changes_still_show_at_once(session_store, establishment):
    admin = MemberFactory(profile__roles={Role.REGIONAL_ADMIN}, profile__mfa=False)
    member = MemberFactory(
        profile__establishment=establishment, profile__status=MemberStatus.PENDING
    )
    client = client_for(member)
    warm(client), warm(client)
    services.approve(member.member_profile, admin)
    assert membership_of(request_user(client)).approved
    member.is_active = False
    member.save()
    assert request_user(client) is None


def test_what_was_fetched_for_one_user_never_serves_another():
    alice, bruno = UserFactory(first_name="Alice"), UserFactory(first_name="Bruno")
    query = lambda pk: lambda: MemberBackend._query(pk)  # noqa: E731
    user_cache.load(alice.pk, query(alice.pk))
    user_cache.load(alice.pk, query(alice.pk))  # kept
    found = cache.get_many(user_cache.keys(alice.pk))
    user_cache.prefetched(alice.pk, found)
    assert user_cache.load(bruno.pk, query(bruno.pk)).first_name == "Bruno"
    # Used once: a later load of Alice reads the cache again (a change in between shows).
    user_cache.prefetched(alice.pk, found)
    assert user_cache.load(alice.pk, query(alice.pk)).first_name == "Alice"
    alice.first_name = "Alicia"
    alice.save()
    assert user_cache.load(alice.pk, query(alice.pk)).first_name == "Alicia"


def test_the_admins_bulk_deactivation_signs_users_out_at_once(establishment):
    """Wagtail's bulk action writes ``is_active`` with a queryset update, then runs the
    ``after_bulk_action`` hooks."""
    member = MemberFactory(profile__establishment=establishment)
    client = client_for(member)
    assert warm(client) is not None
    SetActiveStateBulkAction.execute_action([member], mark_as_active=False)
    for hook in hooks.get_hooks("after_bulk_action"):
        hook(None, "set_active_state", [member], None)
    assert request_user(client) is None
