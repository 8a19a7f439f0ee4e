"""Following, notifications, mentions, reports and moderation, solutions, limits, search,
home, personal data."""

import pytest
from django.core import mail
from django.urls import reverse
from machina.apps.forum_conversation.models import Post, Topic

from forum import polls, services
from forum.models import PostReport, ReportStatus
from portal.notifications.models import Notification
from tests.forum.helpers import make_topic

pytestmark = pytest.mark.django_db


@pytest.fixture
def run_tasks(django_capture_on_commit_callbacks):
    return lambda: django_capture_on_commit_callbacks(execute=True)


def test_a_reply_notifies_the_topic_followers_but_not_its_author(spaces, users, run_tasks):
    caregiver, rssi = users["caregiver"], users["rssi"]
    with run_tasks():
        post, _ = services.start_topic(caregiver, spaces["Général"], "Sauvegardes", "Comment ?")
    with run_tasks():
        services.reply(rssi, post.topic, "Nous testons chaque mois.")
    assert Notification.objects.filter(user=caregiver, kind="forum.reply").count() == 1
    assert not Notification.objects.filter(user=rssi, kind="forum.reply").exists()
    assert any("Sauvegardes" in m.subject or "Sauvegardes" in m.body for m in mail.outbox)


def test_forum_followers_hear_of_new_topics(spaces, users, run_tasks, client_for):
    general = spaces["Général"]
    c = client_for("rssi")
    assert c.post(f"/~forum/{general.forum_id}/follow/", {"on": "1"}).status_code == 302
    with run_tasks():
        services.start_topic(users["caregiver"], general, "EDR", "Lequel ?")
    assert Notification.objects.filter(user=users["rssi"], kind="forum.topic").count() == 1


def test_access_is_checked_again_when_notifying(spaces, users, run_tasks):
    """A follower who lost the role is not notified of a post in the private forum."""
    secret = spaces["RSSI et DSI"]
    rssi = users["rssi"]
    services.follow_forum(rssi, secret, True)
    profile = rssi.member_profile
    profile.roles = {"caregiver"}
    profile.save()
    root = users["regional_admin"]
    root.is_superuser = True
    root.save()
    with run_tasks():
        services.start_topic(root, secret, "Secret jetonrouge", "jetonrouge")
    assert not Notification.objects.filter(user=rssi).exists()
    assert not any("jetonrouge" in m.body for m in mail.outbox)


def test_mentions_notify_who_may_view_and_tell_the_author_about_the_others(
    spaces, users, run_tasks, client_for
):
    rssi, caregiver = users["rssi"], users["caregiver"]
    rssi.first_name, rssi.last_name = "Rémi", "Sécu"
    rssi.save()
    caregiver.first_name, caregiver.last_name = "Claire", "Soin"
    caregiver.save()
    colleague = users["other_establishment"]
    colleague.first_name, colleague.last_name = "Paul", "Rssi"
    colleague.save()
    secret = spaces["RSSI et DSI"]
    post, _ = services.start_topic(rssi, secret, "Question", "Bonjour")
    c = client_for("rssi")
    assert c.get(f"/~forum/topic/{post.topic_id}/mentions/", {"q": "cla"}).json() == {"members": []}
    with run_tasks():
        response = c.post(
            f"/~forum/topic/{post.topic_id}/reply/", {"content": "Avis de @claire-soin ?"},
            follow=True,
        )  # fmt: skip
    assert "@claire-soin" in response.text  # "nobody was notified for @claire-soin"
    assert not Notification.objects.filter(user=caregiver).exists()
    general_post, _ = services.start_topic(caregiver, spaces["Général"], "MFA", "Bonjour")
    c2 = client_for("caregiver")
    found = c2.get(f"/~forum/topic/{general_post.topic_id}/mentions/", {"q": "rém"}).json()
    assert found == {"members": [{"handle": "remi-secu", "name": "Rémi Sécu"}]}
    with run_tasks():
        c2.post(f"/~forum/topic/{general_post.topic_id}/reply/", {"content": "Merci @remi-secu !"})
    assert Notification.objects.filter(user=rssi, kind="forum.mention").count() == 1


def test_report_moderation_and_outcome(spaces, users, client_for, run_tasks):
    topic = make_topic(spaces["Général"], users["rssi"], "Sujet", "Question")
    bad = Post.objects.create(
        topic=topic,
        subject="Re",
        content="Patient Dupont, lit 12",
        poster=users["other_establishment"],
    )
    reporter = client_for("caregiver")
    response = reporter.post(f"/~forum/post/{bad.pk}/report/", {"reason": "confidential"})
    assert response.status_code == 302
    bad_reason = reporter.post(f"/~forum/post/{bad.pk}/report/", {"reason": "nonsense"})
    assert bad_reason.status_code == 200 and "fr-fieldset--error" in bad_reason.text
    moderator = client_for("moderator")
    queue = moderator.get(reverse("community:moderation"))
    assert "1 signalement en attente" in queue.text or "1 report waiting" in queue.text
    report = PostReport.objects.get()
    with run_tasks():
        moderator.post(
            f"/~forum/moderation/report/{report.pk}/", {"uphold": "1", "reason": "Données de santé"}
        )
    report.refresh_from_db()
    assert report.status == ReportStatus.UPHELD
    outcome = Notification.objects.get(user=users["caregiver"], kind="forum.report_outcome")
    assert outcome.title
    page = client_for("rssi").get(f"/~forum/topic/{topic.pk}/")
    assert "Patient Dupont" not in page.text
    author_page = client_for("other_establishment").get(f"/~forum/topic/{topic.pk}/")
    assert "Données de santé" in author_page.text  # the reason is shown to the author
    moderator.post(f"/~forum/post/{bad.pk}/hide/", {"on": "0"})
    assert "Patient Dupont" in client_for("rssi").get(f"/~forum/topic/{topic.pk}/").text


def test_edit_history_lock_and_move(spaces, users, client_for):
    topic = make_topic(spaces["Général"], users["caregiver"], "Sujet", "Version 1")
    post = topic.posts.get()
    c = client_for("caregiver")
    c.post(f"/~forum/post/{post.pk}/edit/", {"content": "Version 2"})
    moderator = client_for("moderator")
    history = moderator.get(f"/~forum/post/{post.pk}/history/")
    assert "Version 1" in history.text and "Version 2" in history.text
    assert c.get(f"/~forum/post/{post.pk}/history/").status_code == 404
    moderator.post(f"/~forum/topic/{topic.pk}/lock/", {"on": "1"})
    assert c.post(f"/~forum/topic/{topic.pk}/reply/", {"content": "encore"}).status_code == 200
    assert topic.posts.count() == 1
    target = spaces["Médico-social"]
    moderator.post(f"/~forum/topic/{topic.pk}/move/", {"forum": target.forum_id})
    topic.refresh_from_db()
    assert topic.forum_id == target.forum_id


def test_solution_and_filters(spaces, users, client_for):
    general = spaces["Général"]
    solved = make_topic(general, users["caregiver"], "Résolu", "Question", replies=1)
    open_topic = make_topic(general, users["rssi"], "Sans réponse", "Question")
    answer = solved.posts.order_by("pk").last()
    other = client_for("rssi")
    assert other.post(f"/~forum/post/{answer.pk}/solution/").status_code == 302
    assert services.solution_of(solved) is None  # only the author or a moderator
    c = client_for("caregiver")
    c.post(f"/~forum/post/{answer.pk}/solution/")
    assert services.solution_of(Topic.objects.get(pk=solved.pk)) == answer
    page = c.get(f"/~forum/topic/{solved.pk}/")
    assert "solution-title" in page.text
    listing = lambda which: c.get(f"/~forum/{general.forum_id}/", {"filter": which}).text  # noqa: E731
    solved_url, open_url = f"/~forum/topic/{solved.pk}/", f"/~forum/topic/{open_topic.pk}/"
    assert solved_url in listing("solved") and open_url not in listing("solved")
    assert open_url in listing("unanswered") and solved_url not in listing("unanswered")
    mine = listing("mine")
    assert f"/~forum/topic/{solved.pk}/" in mine and f"/~forum/topic/{open_topic.pk}/" not in mine


def test_posting_is_rate_limited(spaces, users, client_for):
    c = client_for("caregiver")
    general = spaces["Général"]
    for n in range(services.RATE_BURST):
        c.post(f"/~forum/{general.forum_id}/new/", {"subject": f"S{n}", "content": "x"})
    response = c.post(f"/~forum/{general.forum_id}/new/", {"subject": "Trop", "content": "x"})
    assert response.status_code == 200
    assert "fr-alert--error" in response.text
    assert not Post.objects.filter(subject="Trop").exists()


def test_post_form_warns_against_patient_data_and_checks_input(spaces, client_for):
    c = client_for("caregiver")
    general = spaces["Général"]
    form = c.get(f"/~forum/{general.forum_id}/new/")
    assert "patient" in form.text.lower()
    empty = c.post(f"/~forum/{general.forum_id}/new/", {"subject": "", "content": " "})
    assert empty.status_code == 200 and "fr-error-text" in empty.text


def test_ask_on_the_forum_prefills_the_title(spaces, client_for):
    c = client_for("caregiver")
    ask = c.get(reverse("community:index"), {"ask": "sauvegarde hors ligne"}, follow=True)
    assert "q=sauvegarde%20hors%20ligne" in ask.text or "q=sauvegarde+hors+ligne" in ask.text
    general = spaces["Général"]
    form = c.get(f"/~forum/{general.forum_id}/new/", {"q": "sauvegarde hors ligne"})
    assert 'value="sauvegarde hors ligne"' in form.text


def test_home_latest_shows_only_viewable_topics(spaces, users):
    from forum.module import latest

    make_topic(spaces["RSSI et DSI"], users["rssi"], "Secret jetonbleu", "x")
    make_topic(spaces["Général"], users["rssi"], "Ouvert", "x")
    assert [i.title for i in latest(users["caregiver"])] == ["Ouvert"]
    assert {i.title for i in latest(users["rssi"])} == {"Ouvert", "Secret jetonbleu"}
    assert latest(users["pending"]) == []


def test_personal_data_export_and_deletion(spaces, users):
    from portal.accounts.personal_data import delete_account, export

    caregiver = users["caregiver"]
    post, _ = services.start_topic(caregiver, spaces["Général"], "Mon sujet", "Mon texte")
    services.follow_forum(caregiver, spaces["Général"], True)
    poll = polls.create(caregiver, post.topic, "Quel rythme ?", ["Mensuel", "Annuel"])
    polls.vote(caregiver, poll, [poll.options.get(text="Mensuel").pk])
    data = export(caregiver)
    forum_data = data["modules"]["forum"] if "modules" in data else data["forum"]
    assert forum_data["posts"][0]["content"] == "Mon texte"
    assert forum_data["followed_topics"] == ["Mon sujet"]
    assert forum_data["followed_forums"] == ["Général"]
    assert forum_data["poll_votes"] == [
        {"topic": "Mon sujet", "question": "Quel rythme ?", "answer": "Mensuel"}
    ]
    delete_account(caregiver)
    post.refresh_from_db()
    assert post.poster_id == caregiver.pk
    assert services.display_name(post.poster) in {"ancien membre", "former member"}
    assert not post.topic.subscribers.exists()
    assert not caregiver.forum_follows.exists()


def test_patient_numbers_and_passwords_are_refused_with_a_clear_message(spaces, client_for):
    c = client_for("caregiver")
    url = f"/~forum/{spaces['Général'].forum_id}/new/"
    nir = c.post(url, {"subject": "Patient", "content": "M. X, 1 84 12 76 451 089 46"})
    assert nir.status_code == 200 and "sécurité sociale" in nir.text
    secret = c.post(url, {"subject": "Accès", "content": "mot de passe : Hopital2024!"})
    assert secret.status_code == 200 and "fr-error-text" in secret.text
    assert not Post.objects.exists()


def test_the_first_posts_of_a_new_member_wait_for_approval(spaces, users, client_for):
    from django.utils import timezone

    newcomer = users["caregiver"]
    profile = newcomer.member_profile
    profile.decided_at = timezone.now()
    profile.save()
    post, _ = services.start_topic(newcomer, spaces["Général"], "Bonjour", "Première question")
    assert not post.approved
    assert client_for("rssi").get(f"/~forum/topic/{post.topic_id}/").status_code == 404
    assert client_for("caregiver").get(f"/~forum/topic/{post.topic_id}/").status_code == 200
    moderator = client_for("moderator")
    assert "Première question" in moderator.get(reverse("community:moderation")).text
    moderator.post(f"/~forum/post/{post.pk}/approve/")
    assert client_for("rssi").get(f"/~forum/topic/{post.topic_id}/").status_code == 200


def test_attachments_go_through_the_shared_upload_checks_and_the_access_model(
    spaces, users, client_for
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    secret = spaces["RSSI et DSI"]
    c = client_for("rssi")
    refused = c.post(
        f"/~forum/{secret.forum_id}/new/",
        {"subject": "Script", "content": "voir pj",
         "attachment": SimpleUploadedFile("outil.exe", b"MZ\x90\x00binary")},
    )  # fmt: skip
    assert refused.status_code == 200 and "fr-error-text" in refused.text
    sent = c.post(
        f"/~forum/{secret.forum_id}/new/",
        {"subject": "Procédure", "content": "voir pj",
         "attachment": SimpleUploadedFile("procedure.txt", b"Etapes de restauration\n")},
    )  # fmt: skip
    assert sent.status_code == 302
    from machina.apps.forum_conversation.forum_attachments.models import Attachment

    attachment = Attachment.objects.get()
    url = reverse("community:attachment", args=[attachment.pk])
    assert b"".join(c.get(url).streaming_content) == b"Etapes de restauration\n"
    assert client_for("caregiver").get(url).status_code == 404


def test_a_new_topic_refreshes_the_cached_home_page(
    spaces, users, django_capture_on_commit_callbacks
):
    from portal import page_cache

    before = page_cache.current_version()
    home = page_cache.tag_versions([page_cache.HOME])[page_cache.HOME]
    with django_capture_on_commit_callbacks(execute=True):
        services.start_topic(users["caregiver"], spaces["Général"], "Nouveau", "Texte")
    assert page_cache.tag_versions([page_cache.HOME])[page_cache.HOME] > home
    # Narrow: the pages that show no discussion stay cached.
    page_cache._version["read_at"] = float("-inf")
    assert page_cache.current_version() == before
