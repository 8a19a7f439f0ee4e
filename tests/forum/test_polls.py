"""Topic polls: created by the topic's author or a moderator, voted by the topic's readers,
results shown by the rules of ``forum.polls``, every text nh3-safe; every forum x the 9 users."""

from datetime import timedelta

import pytest
from django.urls import reverse
from machina.apps.forum_conversation.forum_polls.models import TopicPoll, TopicPollVote

from forum import polls
from tests.forum.helpers import executable, make_topic, superuser
from tests.forum.test_access import READERS
from tests.forum.test_xss import PAYLOADS
from tests.portal.url_matrix import USERS

pytestmark = pytest.mark.django_db


def _poll(topic, **fields):
    poll = TopicPoll.objects.create(topic=topic, question="Quel EDR ?", **fields)
    for text in ("Produit A", "Produit B", "Aucun"):
        poll.options.create(text=text)
    return poll


def test_poll_matrix_every_forum_and_user(spaces, users, client_for):
    root = superuser()
    failures = []
    for name, space in spaces.items():
        poll = _poll(make_topic(space, root, f"Sondage {name}"))
        option = poll.options.first()
        for who in USERS:
            c = client_for(who)
            page = c.get(reverse("community:poll", args=[poll.topic_id]))
            voted = c.post(reverse("community:poll", args=[poll.topic_id]), {"option": option.pk})
            if who == "anonymous":
                want_page = want_vote = 302
            elif who in READERS[name]:
                want_page, want_vote = 200, 302
            else:
                want_page = want_vote = 404
            if (page.status_code, voted.status_code) != (want_page, want_vote):
                failures.append(f"{who} {name}: {page.status_code}/{voted.status_code}")
            counted = TopicPollVote.objects.filter(poll_option=option, voter=users[who]).exists()
            if who != "anonymous" and counted != (want_vote == 302):
                failures.append(f"{who} {name}: vote counted {counted}")
    assert not failures, "\n".join(failures)


def test_author_creates_a_poll_members_vote_and_see_results(spaces, users, client_for):
    topic = make_topic(spaces["Général"], users["caregiver"], "Sauvegardes", "Votre rythme ?")
    author, other = client_for("caregiver"), client_for("rssi")
    new = reverse("community:new_poll", args=[topic.pk])
    assert other.get(new).status_code == 404  # not the topic's author
    assert new in author.get(f"/~forum/topic/{topic.pk}/").text
    assert new not in other.get(f"/~forum/topic/{topic.pk}/").text
    bad = author.post(new, {"question": "Rythme ?", "options": "Chaque jour", "max_options": 1})
    assert bad.status_code == 200 and "fr-error-text" in bad.text
    assert not TopicPoll.objects.exists()
    too_many = author.post(new, {"question": "Rythme ?", "options": "A\nB", "max_options": 3})
    assert "fr-error-text" in too_many.text and not TopicPoll.objects.exists()
    created = author.post(
        new,
        {"question": "Rythme ?", "options": "Chaque jour\nChaque semaine\n\nChaque jour",
         "max_options": 1},
    )  # fmt: skip
    assert created.status_code == 302
    poll = TopicPoll.objects.get()
    assert [o.text for o in poll.options.order_by("pk")] == ["Chaque jour", "Chaque semaine"]
    assert author.get(new).status_code == 404  # one poll per topic
    url = reverse("community:poll", args=[topic.pk])
    before = other.get(url)
    assert "<table>" not in before.text  # results after voting
    daily, weekly = poll.options.order_by("pk")
    assert other.post(url, {"option": [daily.pk, weekly.pk]}).status_code == 400  # one only
    assert other.post(url, {"option": "abc"}).status_code == 400
    assert not TopicPollVote.objects.exists()
    assert other.post(url, {"option": daily.pk}).status_code == 302
    after = other.get(url)
    assert "<table>" in after.text and "100 %" in after.text
    assert other.post(url, {"option": weekly.pk}).status_code == 400  # no change allowed
    assert list(TopicPollVote.objects.values_list("poll_option", flat=True)) == [daily.pk]
    topic_page = other.get(f"/~forum/topic/{topic.pk}/")
    assert url in topic_page.text


def test_changes_hidden_results_and_closing(spaces, users, client_for):
    topic = make_topic(spaces["Général"], users["caregiver"], "MFA", "Question")
    poll = _poll(topic, user_changes=True, hide_results=True, duration=7, max_options=2)
    a, b, c = poll.options.order_by("pk")
    url = reverse("community:poll", args=[topic.pk])
    voter = client_for("rssi")
    voter.post(url, {"option": [a.pk, b.pk]})
    voter.post(url, {"option": [c.pk]})
    assert polls.choices_of(users["rssi"], poll) == {c.pk}
    assert "<table>" not in voter.get(url).text  # hidden until it closes
    assert "<table>" in client_for("caregiver").get(url).text  # the author sees them
    assert "<table>" in client_for("moderator").get(url).text
    TopicPoll.objects.filter(pk=poll.pk).update(created=poll.created - timedelta(days=8))
    closed = voter.get(url)
    assert "<table>" in closed.text and 'name="option"' not in closed.text
    assert voter.post(url, {"option": [a.pk]}).status_code == 400
    assert polls.choices_of(users["rssi"], poll) == {c.pk}


def test_poll_texts_are_safe_on_every_page(spaces, users, client_for):
    author = client_for("caregiver")
    for n, payload in enumerate(PAYLOADS):
        topic = make_topic(spaces["Général"], users["caregiver"], f"XSS {n}")
        created = author.post(
            reverse("community:new_poll", args=[topic.pk]),
            {"question": payload[:255], "options": f"{payload[:200]}\nNon", "max_options": 1},
        )
        assert created.status_code == 302, payload
        for url in (reverse("community:poll", args=[topic.pk]), f"/~forum/topic/{topic.pk}/"):
            page = author.get(url)
            assert page.status_code == 200
            assert executable(page.text) == [], (payload, url)
        option = TopicPoll.objects.get(topic=topic).options.first()
        voted = author.post(reverse("community:poll", args=[topic.pk]), {"option": option.pk})
        assert executable(author.get(voted.url).text) == [], payload
