"""Life cycle: change notes, review dates and reminders, the editors' report, archive not delete."""

import datetime
import re

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from docs_base.documents import lifecycle
from docs_base.documents import module as documents_module
from docs_base.documents.reader import related_documents
from docs_base.models.documents import DocumentPage, DocumentVote
from portal.access import AccessLevel
from tests.docs_base.factories import (
    document_index,
    document_page,
    documents_editor,
    publish_new_revision,
    reader,
)
from tests.portal.factories import UserFactory, with_mfa

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
DAY = datetime.timedelta(days=1)


def test_each_published_change_note_is_shown_once_newest_first():
    page = document_page(title="Procédure", change_note="Première version.")
    page = publish_new_revision(page, summary="Résumé modifié")  # note carried over unchanged
    page = publish_new_revision(page, change_note="Numéros d'astreinte mis à jour.")
    changes = lifecycle.published_changes(page)
    assert [change.note for change in changes] == [
        "Numéros d'astreinte mis à jour.",
        "Première version.",
    ]
    html = Client().get(page.url).content.decode()
    section = html[html.index('id="changes-title"') :]
    assert section.index("Numéros d&#x27;astreinte") < section.index("Première version.")
    assert section.count("Première version.") == 1


def test_a_draft_change_note_is_not_shown():
    page = document_page(title="Brouillon", change_note="Publiée.")
    draft = DocumentPage.objects.get(pk=page.pk)
    draft.change_note = "Pas encore publiée."
    draft.save_revision()
    assert [c.note for c in lifecycle.published_changes(page)] == ["Publiée."]


def test_last_reviewed_is_distinct_from_last_edited():
    page = document_page(title="Revue", last_reviewed_at=datetime.date(2024, 3, 5))
    html = Client().get(page.url).content.decode()
    edited = timezone.localtime(page.last_published_at)
    assert re.search(r'id="document-last-reviewed">.*<time datetime="2024-03-05">', html)
    assert re.search(
        r'id="document-last-edited">.*<time datetime="' + re.escape(edited.isoformat()), html
    )
    never = Client().get(document_page(title="Jamais revu").url).content.decode()
    reviewed_item = re.search(r'id="document-last-reviewed">(.*?)</li>', never).group(1)
    assert "<time" not in reviewed_item


def test_review_dates_are_validated():
    page = document_page(title="Dates")
    page.last_reviewed_at = TODAY + DAY
    with pytest.raises(Exception) as error:
        page.full_clean()
    assert "last_reviewed_at" in error.value.message_dict
    page.last_reviewed_at = TODAY - 10 * DAY
    page.review_due = TODAY - 20 * DAY
    with pytest.raises(Exception) as error:
        page.full_clean()
    assert "review_due" in error.value.message_dict


def test_review_reminders_email_each_owner_their_overdue_documents(
    django_capture_on_commit_callbacks,
):
    owner = UserFactory(email="proprietaire@gcs.example")
    other_owner = UserFactory(email="autre@gcs.example")
    document_page(title="En retard 1", owner=owner, review_due=TODAY - 3 * DAY)
    document_page(title="En retard 2", owner=owner, review_due=TODAY - DAY)
    document_page(title="À jour", owner=owner, review_due=TODAY + 30 * DAY)
    document_page(title="Archivé en retard", owner=owner, review_due=TODAY - DAY, archived=True)
    document_page(title="Brouillon en retard", owner=owner, review_due=TODAY - DAY, publish=False)
    document_page(title="Autre à jour", owner=other_owner, review_due=TODAY)

    with django_capture_on_commit_callbacks(execute=True):
        call_command("review_reminders", stdout=(out := __import__("io").StringIO()))
    assert "2 document(s) to review, 1 owner(s) notified." in out.getvalue()
    assert mail.outbox == []  # by default, in the owner's daily digest

    with django_capture_on_commit_callbacks(execute=True):
        call_command("periodic", "--run", "notifications.daily_digest", stdout=out)
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["proprietaire@gcs.example"]
    assert "En retard 1" in message.body and "En retard 2" in message.body
    assert "À jour" not in message.body
    assert "Archivé" not in message.body and "Brouillon" not in message.body
    assert "2 notification(s)" in message.subject


@pytest.fixture
def report_data():
    document_page(
        title="Revue dépassée", review_due=TODAY - 5 * DAY, last_reviewed_at=TODAY - 400 * DAY
    )
    document_page(title="Jamais relu")
    unhelpful = document_page(title="Peu utile", last_reviewed_at=TODAY)
    voter = reader()
    DocumentVote.objects.create(
        page=unhelpful,
        revision_id=unhelpful.live_revision_id,
        user=voter,
        helpful=False,
        reason="Il manque la procédure de restauration.",
    )
    from search import query_log

    query_log.record("fovi telephone", 0)
    query_log.record("fovi telephone", 0)


def test_the_review_report_lists_the_readouts_for_editors(report_data):
    client = Client()
    client.force_login(documents_editor())
    response = client.get(reverse("docs_base_review_report"))
    assert response.status_code == 200
    html = response.content.decode()
    overdue = html[html.index('id="overdue-title"') : html.index('id="never-title"')]
    assert "Revue dépassée" in overdue and "Jamais relu" not in overdue
    never = html[html.index('id="never-title"') : html.index('id="unhelpful-title"')]
    assert "Jamais relu" in never and "Revue dépassée" not in never
    unhelpful = html[html.index('id="unhelpful-title"') : html.index('id="searches-title"')]
    assert "Peu utile" in unhelpful and "Il manque la procédure de restauration." in unhelpful
    searches = html[html.index('id="searches-title"') :]
    assert "fovi telephone" in searches


def test_the_review_report_shows_editors_no_establishment_only_document(establishment):
    """The staff rule (``portal.access.staff``): an editor does not see the titles of documents
    for one establishment in the report; a superuser does."""
    for title, review_due in (("Confidentiel en retard", TODAY - DAY), ("Confidentiel neuf", None)):
        confidential = document_page(
            title=title,
            review_due=review_due,
            access_level=AccessLevel.ESTABLISHMENT,
            establishment=establishment,
        )
        DocumentVote.objects.create(
            page=confidential,
            revision_id=confidential.live_revision_id,
            user=reader(),
            helpful=False,
        )
    admin = with_mfa(UserFactory(is_superuser=True, is_staff=True))
    for user, shown in ((documents_editor(), False), (admin, True)):
        client = Client()
        client.force_login(user)
        html = client.get(reverse("docs_base_review_report")).content.decode()
        assert ("Confidentiel en retard" in html) is shown
        assert ("Confidentiel neuf" in html) is shown


def test_the_review_report_is_for_editors_only(report_data):
    caregiver = Client()
    caregiver.force_login(reader())
    no_admin = caregiver.get(reverse("docs_base_review_report"))
    assert no_admin.status_code == 302 and "login" in no_admin["Location"]
    staff_without_page_rights = reader()
    staff_without_page_rights.is_staff = True
    staff_without_page_rights.save()
    from django.contrib.auth.models import Permission

    staff_without_page_rights.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client = Client()
    client.force_login(staff_without_page_rights)
    refused = client.get(reverse("docs_base_review_report"))
    # Wagtail turns the refusal into a redirect to the admin's home, with a message.
    assert refused.status_code == 302 and refused["Location"] == reverse("wagtailadmin_home")
    assert not lifecycle.can_review_documents(staff_without_page_rights)


def test_deleting_a_document_is_refused_and_points_to_the_archive_flag():
    page = document_page(title="À garder")
    admin = with_mfa(UserFactory(is_superuser=True, is_staff=True))
    client = Client()
    client.force_login(admin)
    delete_url = reverse("wagtailadmin_pages:delete", args=[page.pk])
    edit_url = reverse("wagtailadmin_pages:edit", args=[page.pk])
    for response in (client.get(delete_url), client.post(delete_url, {"confirm": "1"})):
        assert response.status_code == 302 and response["Location"] == edit_url
        assert DocumentPage.objects.filter(pk=page.pk).exists()
    messages = [str(m) for m in client.get(edit_url).context["messages"]]
    assert any("archived" in m or "archiv" in m for m in messages)
    index_delete = reverse("wagtailadmin_pages:delete", args=[document_index().pk])
    client.post(index_delete)
    assert DocumentPage.objects.filter(pk=page.pk).exists()


def test_archived_documents_are_never_listed_related_or_on_the_home_page():
    page = document_page(title="Active", themes={"backups"})
    archived = document_page(title="Archivée", themes={"backups"}, archived=True, featured=True)
    assert archived not in related_documents(None, page)
    assert [item.title for item in documents_module.latest(None, 10)] == ["Active"]
    html = Client().get(archived.url).content.decode()
    assert "fr-alert--warning" in html
    assert "fr-badge--warning" in html
