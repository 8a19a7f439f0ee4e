"""A member's document-base and REX data are in their export, and erased with their account."""

import pytest

from docs_base.models import DocumentFavourite, DocumentVote, DocumentWatch, RexSubmission
from portal.accounts.personal_data import delete_account, export
from tests.docs_base.factories import document_page, reader, rex_submission

pytestmark = pytest.mark.django_db


@pytest.fixture
def member_data():
    member = reader()
    page = document_page(title="Sauvegardes hors ligne")
    DocumentFavourite.objects.create(user=member, page=page)
    DocumentWatch.objects.create(user=member, page=page)
    DocumentVote.objects.create(
        user=member, page=page, revision=page.live_revision, helpful=True, reason="Clair"
    )
    rex_submission(member, title="Messagerie compromise")
    return member


def test_export_lists_favourites_watches_votes_and_rex(member_data):
    data = export(member_data)
    assert data["documents"]["favourites"][0]["title"] == "Sauvegardes hors ligne"
    assert data["documents"]["watched"][0]["title"] == "Sauvegardes hors ligne"
    assert data["documents"]["helpful_votes"][0]["reason"] == "Clair"
    assert data["experience_feedback"][0]["title"] == "Messagerie compromise"


def test_deletion_erases_favourites_watches_and_drafts(member_data):
    delete_account(member_data)
    assert not DocumentFavourite.objects.filter(user=member_data).exists()
    assert not DocumentWatch.objects.filter(user=member_data).exists()
    assert not RexSubmission.objects.filter(owner=member_data).exists()
    assert DocumentVote.objects.filter(user=member_data).count() == 1  # anonymous statistic
