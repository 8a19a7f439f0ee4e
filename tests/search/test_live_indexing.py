"""The index follows every change of the content, in the same transaction (database index)."""

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from wagtail.models import PageViewRestriction

from portal.access import AccessLevel, Role
from search import backends
from search.backends.postgres_fts import GIN_INDEXES
from search.models import SearchEntry
from tests.portal.factories import home_page, standard_page
from tests.search.test_contract import doc

pytestmark = pytest.mark.django_db


def entry(page):
    return SearchEntry.objects.filter(key=f"portal.standardpage:{page.pk}").first()


@pytest.fixture
def page():
    return standard_page(title="Sauvegardes hors ligne", slug="sauvegardes", intro="Règle 3-2-1")


def test_publishing_indexes_and_drafts_do_not(page):
    assert entry(page).title == "Sauvegardes hors ligne"
    page.title = "Sauvegardes immuables"
    page.save_revision()  # a draft: readers still see the published title
    assert entry(page).title == "Sauvegardes hors ligne"
    page.get_latest_revision().publish()
    assert entry(page).title == "Sauvegardes immuables"


def test_a_new_page_saved_as_draft_is_not_indexed():
    from portal.models import StandardPage

    draft = StandardPage(title="Brouillon", slug="brouillon", live=False)
    home_page().add_child(instance=draft)
    assert entry(draft) is None


def test_unpublishing_and_deleting_remove(page):
    page.unpublish()
    assert entry(page) is None
    page.save_revision().publish()
    assert entry(page) is not None
    page_id = page.pk
    page.delete()
    assert not SearchEntry.objects.filter(key=f"portal.standardpage:{page_id}").exists()


def test_moving_and_renaming_follow_the_url(page, django_capture_on_commit_callbacks):
    parent = standard_page(title="Guides", slug="guides")
    child = standard_page(parent=page, title="Restauration", slug="restauration")
    page.move(parent, pos="last-child")
    assert entry(child).url == "/guides/sauvegardes/restauration/"
    page.refresh_from_db()
    page.slug = "sauvegarde"
    with django_capture_on_commit_callbacks(execute=True):  # Wagtail signals it on commit
        page.save_revision().publish()
    assert entry(child).url == "/guides/sauvegarde/restauration/"


def test_privacy_restriction_removes_and_restores(page):
    restriction = PageViewRestriction.objects.create(
        page=page, restriction_type=PageViewRestriction.LOGIN
    )
    assert entry(page) is None
    restriction.delete()
    assert entry(page) is not None


def test_access_level_change_is_indexed(page):
    page.access_level = AccessLevel.ROLES
    page.allowed_roles = {Role.RSSI, Role.DSI}
    page.save_revision().publish()
    indexed = entry(page)
    assert indexed.access_level == AccessLevel.ROLES
    assert indexed.allowed_roles == frozenset({Role.RSSI, Role.DSI})


def test_rebuild_and_check_commands(page, capsys):
    SearchEntry.objects.all().delete()
    with pytest.raises(CommandError):
        call_command("search_index", "check")
    assert "missing: 1" in capsys.readouterr().out
    call_command("search_index", "rebuild")
    assert "database: 1 documents indexed" in capsys.readouterr().out
    call_command("search_index", "check")
    assert "database: in line with its source" in capsys.readouterr().out
    SearchEntry.objects.filter(pk=entry(page).pk).update(title="Ancien titre", fingerprint="x")
    with pytest.raises(CommandError):
        call_command("search_index", "check")
    assert "outdated: 1" in capsys.readouterr().out


def test_elasticsearch_down_never_blocks_an_edit(settings, django_capture_on_commit_callbacks):
    from search import backends

    settings.SEARCH_BACKEND = "elasticsearch"
    settings.ELASTICSEARCH_URL = "http://127.0.0.1:9"  # nothing listens there
    backends.reset()
    try:
        with django_capture_on_commit_callbacks(execute=True) as callbacks:
            page = standard_page(title="Journalisation", slug="journalisation")
    finally:
        backends.reset()
    assert callbacks  # the mirror to Elasticsearch was attempted after the commit
    assert entry(page).title == "Journalisation"  # the database index has it


def test_live_indexing_leaves_nothing_in_the_gin_pending_lists(
    db, django_capture_on_commit_callbacks
):
    """Every query reads a GIN index's pending list whole: live writes merge it once
    committed (``search.backends.postgres_fts``)."""
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only: this run is on SQLite (the CI runs it on PostgreSQL)")
    with django_capture_on_commit_callbacks(execute=True):
        backends.get_database().index([doc("live", "Sauvegardes hors ligne", "Règle 3-2-1.")])
    with connection.cursor() as cursor:
        for index in GIN_INDEXES:
            cursor.execute("SELECT gin_clean_pending_list(%s::regclass)", [index])
            assert cursor.fetchone()[0] == 0  # pages it had to merge
