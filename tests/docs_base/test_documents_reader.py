"""Reader features: helpful votes, favourites and sharing, watching, related documents, print,
and per-user state rendered into the audience's shared copy of the page."""

import pytest
from django.core import mail
from django.test import Client

from docs_base.documents import reader as reader_service
from docs_base.models.documents import DocumentFavourite, DocumentPage, DocumentVote, DocumentWatch
from docs_base.routes import documents_url
from portal.access import AccessLevel
from portal.accounts.models import MemberStatus
from tests.docs_base.factories import document_page, publish_new_revision, reader
from tests.portal.factories import EstablishmentFactory

pytestmark = pytest.mark.django_db


def logged_in(user):
    client = Client()
    client.force_login(user)
    return client


# --- Votes -------------------------------------------------------------------------------------


def test_one_vote_per_member_per_revision_and_a_new_revision_opens_a_new_vote():
    page = document_page(title="Guide MFA")
    member = reader()
    client = logged_in(member)
    url = documents_url("vote", page.pk)

    response = client.post(url, {"helpful": "no", "reason": "Il manque les étapes."})
    assert response.status_code == 302
    vote = DocumentVote.objects.get()
    assert (vote.helpful, vote.reason, vote.revision_id) == (
        False,
        "Il manque les étapes.",
        page.live_revision_id,
    )
    client.post(url, {"helpful": "yes"})
    assert DocumentVote.objects.count() == 1  # refused: same revision

    page = publish_new_revision(page, change_note="Étapes ajoutées.")
    client.post(url, {"helpful": "yes"})
    assert DocumentVote.objects.count() == 2
    assert DocumentVote.objects.filter(helpful=True, revision_id=page.live_revision_id).exists()


def test_bad_votes_change_nothing():
    page = document_page(title="Guide")
    client = logged_in(reader())
    url = documents_url("vote", page.pk)
    assert client.post(url, {"helpful": "maybe"}).status_code == 302
    assert client.post(url, {"helpful": "no", "reason": "x" * 501}).status_code == 302
    assert not DocumentVote.objects.exists()


def test_reader_features_are_for_approved_members_who_may_view_the_page():
    page = document_page(
        title="Réservé RSSI", access_level=AccessLevel.ROLES, allowed_roles={"rssi"}
    )
    public = document_page(title="Public")
    anonymous = Client().post(documents_url("favourite", public.pk))
    assert anonymous.status_code == 302 and "login" in anonymous["Location"]
    pending = logged_in(reader(profile__status=MemberStatus.PENDING))
    assert pending.post(documents_url("favourite", public.pk)).status_code == 404
    caregiver = logged_in(reader())
    for name in ("vote", "favourite", "watch"):
        response = caregiver.post(documents_url(name, page.pk), {"helpful": "yes"})
        assert response.status_code == 404
    assert not DocumentVote.objects.exists()
    assert not DocumentFavourite.objects.exists() and not DocumentWatch.objects.exists()
    assert caregiver.get(documents_url("favourite", public.pk)).status_code == 405


def test_reader_posts_need_the_csrf_token():
    page = document_page(title="Public")
    client = Client(enforce_csrf_checks=True)
    client.force_login(reader())
    for name in ("vote", "favourite", "watch"):
        assert client.post(documents_url(name, page.pk)).status_code == 403
    assert client.post(documents_url("favourites_sharing"), {"shared": "1"}).status_code == 403


# --- Favourites and sharing ----------------------------------------------------------------------


@pytest.fixture
def shared_list():
    est_a = EstablishmentFactory(name="CH A")
    est_b = EstablishmentFactory(name="CH B")
    rssi = reader(roles={"rssi"}, establishment=est_a, first_name="Rémi", last_name="Rssi")
    public = document_page(title="Public partagé")
    secret = document_page(
        title="Secret RSSI partagé", access_level=AccessLevel.ROLES, allowed_roles={"rssi"}
    )
    archived = document_page(title="Archivé partagé", archived=True)
    client = logged_in(rssi)
    for page in (public, secret, archived):
        client.post(documents_url("favourite", page.pk))
    return {"owner": rssi, "client": client, "a": est_a, "b": est_b}


def test_favourites_toggle_and_list(shared_list):
    client = shared_list["client"]
    response = client.get(documents_url("favourites"))
    titles = [f.page.title for f in response.context["page_obj"].object_list]
    assert titles == ["Secret RSSI partagé", "Public partagé"]  # archived: never listed
    public = DocumentPage.objects.get(title="Public partagé")
    client.post(documents_url("favourite", public.pk))
    assert not DocumentFavourite.objects.filter(user=shared_list["owner"], page=public).exists()


def test_a_shared_list_shows_a_colleague_only_what_they_may_see(shared_list):
    owner = shared_list["owner"]
    colleague = logged_in(reader(establishment=shared_list["a"]))
    url = documents_url("shared_favourites", owner.pk)
    assert colleague.get(url).status_code == 404  # not shared yet

    shared_list["client"].post(documents_url("favourites_sharing"), {"shared": "1"})
    response = colleague.get(url)
    assert response.status_code == 200
    assert [f.page.title for f in response.context["page_obj"].object_list] == ["Public partagé"]
    assert "Secret RSSI partagé" not in response.content.decode()
    own_page = colleague.get(documents_url("favourites"))
    assert list(own_page.context["colleagues"]) == [owner]

    other_establishment = logged_in(reader(establishment=shared_list["b"]))
    assert other_establishment.get(url).status_code == 404
    pending_colleague = logged_in(
        reader(establishment=shared_list["a"], profile__status=MemberStatus.PENDING)
    )
    assert pending_colleague.get(url).status_code == 404

    shared_list["client"].post(documents_url("favourites_sharing"), {"shared": "0"})
    assert colleague.get(url).status_code == 404


def test_favourites_list_queries_are_bounded(shared_list, django_assert_max_num_queries):
    client = shared_list["client"]
    for number in range(10):
        page = document_page(title=f"Favori {number}")
        client.post(documents_url("favourite", page.pk))
    url = documents_url("favourites")
    # Routed through the page tree (site, home, catalogue, its children, privacy): a fixed cost.
    with django_assert_max_num_queries(18):  # +1: the header's unread notifications
        response = client.get(url)
    assert len(response.context["page_obj"].object_list) == 12


# --- Watching ----------------------------------------------------------------------------------


def test_watchers_who_may_view_are_mailed_once_the_new_revision_is_committed(
    django_capture_on_commit_callbacks,
):
    establishment = EstablishmentFactory()
    page = document_page(title="Procédure de crise", access_level=AccessLevel.MEMBERS)
    rssi = reader(roles={"rssi"}, establishment=establishment, email="rssi@ch.example")
    caregiver = reader(establishment=establishment, email="soignant@ch.example")
    for user in (rssi, caregiver):
        logged_in(user).post(documents_url("watch", page.pk))
    assert DocumentWatch.objects.count() == 2

    with django_capture_on_commit_callbacks(execute=True):
        publish_new_revision(page, change_note="Annuaire de crise mis à jour.")
    assert sorted(m.to[0] for m in mail.outbox) == ["rssi@ch.example", "soignant@ch.example"]
    assert "Annuaire de crise mis à jour." in mail.outbox[0].body

    # The caregiver loses access: the next update is mailed to the RSSI only.
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        publish_new_revision(
            page,
            access_level=AccessLevel.ROLES,
            allowed_roles={"rssi"},
            change_note="Réservé aux RSSI.",
        )
    assert [m.to for m in mail.outbox] == [["rssi@ch.example"]]


def test_no_mail_before_the_commit_nor_to_a_suspended_watcher(django_capture_on_commit_callbacks):
    page = document_page(title="Public suivi")
    watcher = reader(email="suspendu@ch.example")
    logged_in(watcher).post(documents_url("watch", page.pk))
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        publish_new_revision(page, change_note="x")
    assert mail.outbox == [] and callbacks
    profile = watcher.member_profile
    profile.status = MemberStatus.SUSPENDED
    profile.save()
    with django_capture_on_commit_callbacks(execute=True):
        publish_new_revision(page, change_note="y")
    assert mail.outbox == []


# --- Related documents -------------------------------------------------------------------------


def test_related_documents_share_a_theme_are_visible_and_never_archived(
    django_assert_max_num_queries,
):
    page = document_page(title="Sauvegardes", themes={"backups", "governance"})
    document_page(title="Gouvernance", themes={"governance"})
    document_page(title="Réseau", themes={"network"})
    document_page(title="Archivée", themes={"backups"}, archived=True)
    document_page(
        title="Restreinte",
        themes={"backups"},
        access_level=AccessLevel.ROLES,
        allowed_roles={"rssi"},
    )
    document_page(title="Brouillon", themes={"backups"}, publish=False)
    with django_assert_max_num_queries(2):
        related = reader_service.related_documents(None, page)
    assert [p.title for p in related] == ["Gouvernance"]
    rssi = reader(roles={"rssi"})
    assert {p.title for p in reader_service.related_documents(rssi, page)} == {
        "Gouvernance",
        "Restreinte",
    }
    html = Client().get(page.url).content.decode()
    related_html = html[html.index('id="related-title"') :]
    assert "Gouvernance" in related_html and "Restreinte" not in related_html


def test_document_page_queries_are_bounded(django_assert_max_num_queries):
    page = document_page(title="Sauvegardes", themes={"backups"})
    for number in range(8):
        document_page(title=f"Voisin {number}", themes={"backups"})
    client = logged_in(reader())
    with django_assert_max_num_queries(30):
        assert client.get(page.url).status_code == 200


# --- Print and page cache ----------------------------------------------------------------------


def test_print_stylesheet_and_button_script_are_static_files():
    html = Client().get(document_page(title="À imprimer").url).content.decode()
    assert 'href="/static/docs_base/documents/print.css" media="print"' in html
    assert 'src="/static/docs_base/documents/documents.js"' in html
    assert "data-docs-print hidden" in html
    assert "<script>" not in html and "onclick" not in html


def test_the_audience_shares_the_page_with_each_readers_own_state():
    establishment = EstablishmentFactory()
    page = document_page(title="Partagée")
    first = logged_in(reader(establishment=establishment))
    second = logged_in(reader(establishment=establishment))  # same audience
    first.post(documents_url("favourite", page.pk))
    first.post(documents_url("vote", page.pk), {"helpful": "yes"})
    first.get(page.url)  # shows the flash messages: neither served from nor stored in the cache
    html = first.get(page.url).content.decode()
    assert "Retirer de mes favoris" in html and "Merci" in html
    response = second.get(page.url)
    html = response.content.decode()
    assert response["X-Page-Cache"] == "hit"
    assert "Ajouter à mes favoris" in html and "Retirer de mes favoris" not in html
    assert 'name="helpful"' in html  # the second reader has not voted
    again = first.get(page.url)
    assert again["X-Page-Cache"] == "hit" and "Retirer de mes favoris" in again.content.decode()
    anonymous = Client()
    anonymous.get(page.url)
    response = anonymous.get(page.url)
    assert response["X-Page-Cache"] == "hit" and not response.cookies
    assert "Connectez-vous pour enregistrer" in response.content.decode()


def test_a_document_page_reads_as_many_queries_whatever_its_related_list(
    django_assert_max_num_queries,
):
    establishment = EstablishmentFactory()
    page = document_page(title="Sauvegardes", themes={"backups"})
    first = logged_in(reader(establishment=establishment))
    second = logged_in(reader(establishment=establishment))
    with django_assert_max_num_queries(25) as few:
        first.get(page.url)
    for n in range(8):
        document_page(title=f"Voisin {n}", themes={"backups"})
    with django_assert_max_num_queries(len(few)):  # the publications retired the copy
        html = first.get(page.url).content.decode()
    assert "Voisin 7" in html and "Voisin 3" not in html  # the four newest related
    # From the audience's copy: session, user, unread notifications, the reader's state.
    with django_assert_max_num_queries(5):
        response = second.get(page.url)
    assert response["X-Page-Cache"] == "hit"


# --- Archived documents ------------------------------------------------------------------------


def test_archived_documents_cannot_be_rated_nor_added_to_favourites():
    page = document_page(title="Ancienne procédure", archived=True)
    client = logged_in(reader())

    html = client.get(page.url).content.decode()
    assert documents_url("vote", page.pk) not in html
    assert documents_url("favourite", page.pk) not in html

    for name in ("vote", "favourite"):
        response = client.post(documents_url(name, page.pk), {"helpful": "yes"}, follow=True)
        assert response.status_code == 200
        assert "il ne peut plus être évalué ni ajouté aux favoris" in response.content.decode()
    assert not DocumentVote.objects.exists() and not DocumentFavourite.objects.exists()


def test_a_favourite_archived_later_can_still_be_removed():
    page = document_page(title="Procédure")
    member = reader()
    DocumentFavourite.objects.create(user=member, page=page)
    page = publish_new_revision(page, archived=True)
    client = logged_in(member)
    assert documents_url("favourite", page.pk) in client.get(page.url).content.decode()
    client.post(documents_url("favourite", page.pk))
    assert not DocumentFavourite.objects.exists()


def test_kept_reader_controls_follow_each_change_and_carry_the_requests_csrf_token():
    """The controls are kept rendered per reader state: a toggle shows at once, back and forth,
    and the form's CSRF token is the request's own (a post with it passes the check)."""
    page = document_page(title="Suivie")
    member = reader()
    client = Client(enforce_csrf_checks=True)
    client.force_login(member)
    client.get(page.url)

    def controls():
        html = client.get(page.url).content.decode()
        token = html.split('name="csrfmiddlewaretoken" value="')[-1].split('"')[0]
        return html, token

    for expected in ("Retirer de mes favoris", "Ajouter à mes favoris") * 2:
        html, token = controls()
        assert "placeholder" not in token
        assert client.post(
            documents_url("favourite", page.pk), {"csrfmiddlewaretoken": token}
        ).status_code in (200, 302)
        client.get(page.url)  # the flash message
        html, _token = controls()
        assert expected in html
