"""Who may see and do what in each forum: the permission matrix, 404 and logged refusals."""

import logging

import pytest
from django.urls import reverse
from machina.apps.forum_conversation.models import Post

from forum.permissions import PortalPermissionHandler, visible_forum_ids
from portal.access import Role
from portal.accounts.models import MemberStatus
from tests.forum.helpers import make_topic, superuser
from tests.portal.url_matrix import USERS

pytestmark = pytest.mark.django_db

MEMBERS = {"caregiver", "impostor", "other_establishment", "rssi", "moderator", "editor",
           "regional_admin"}  # fmt: skip
MODERATORS = {"moderator", "regional_admin"}
# The forums' audiences (the access model; what the unified search finds); the impostor's
# director role is only claimed; "other_establishment" works in an EHPAD, everyone else in a CH.
AUDIENCES = {
    "Général": MEMBERS,
    "RSSI et DSI": {"rssi"},
    "Directions": set(),
    "DPO et données personnelles": set(),
    "Médico-social": {"other_establishment"},
    "Annonces": MEMBERS,
}
# Forum moderators read (and moderate) every forum.
READERS = {name: audience | MODERATORS for name, audience in AUDIENCES.items()}
POSTERS = READERS | {"Annonces": {"moderator", "editor", "regional_admin"}}
SIGNED_IN = set(USERS) - {"anonymous"}


@pytest.fixture
def topics(spaces):
    root = superuser()
    return {
        name: make_topic(space, root, f"Sujet jeton{n}", f"Texte jetonsecret{n}", replies=1)
        for n, (name, space) in enumerate(spaces.items())
    }


def _code(response):
    return response.status_code


def test_permission_matrix(spaces, topics, users, client_for):
    failures = []

    def check(who, what, got, want):
        if got != want:
            failures.append(f"{who} {what}: {got}, expected {want}")

    replies = {name: topic.posts.order_by("pk").last() for name, topic in topics.items()}
    for who in USERS:
        c = client_for(who)
        index = c.get(reverse("community:index"))
        if who == "anonymous":
            check(who, "index", _code(index), 302)
        elif who in {"unverified", "pending"}:
            check(who, "index", _code(index), 404)
        else:
            check(who, "index", _code(index), 200)
        moderation = c.get(reverse("community:moderation"))
        want = 302 if who == "anonymous" else 200 if who in MODERATORS else 404
        check(who, "moderation", _code(moderation), want)
        for n, (name, space) in enumerate(spaces.items()):
            topic = topics[name]
            reply = replies[name]
            reads = who in READERS[name]
            ok_or_404 = 200 if reads else 404
            if who != "anonymous" and index.status_code == 200:
                check(who, f"index lists {name}", space.name in index.text, reads)
            if who == "anonymous":
                check(who, f"forum {name}", _code(c.get(f"/~forum/{space.forum_id}/")), 302)
                continue
            check(who, f"forum {name}", _code(c.get(f"/~forum/{space.forum_id}/")), ok_or_404)
            check(who, f"topic {name}", _code(c.get(f"/~forum/topic/{topic.pk}/")), ok_or_404)
            check(
                who,
                f"post {name}",
                _code(c.get(f"/~forum/post/{reply.pk}/")),
                302 if reads else 404,
            )
            posts = who in POSTERS[name]
            check(who, f"new topic {name}", _code(c.get(f"/~forum/{space.forum_id}/new/")),
                  200 if posts else 404)  # fmt: skip
            answer = c.post(f"/~forum/topic/{topic.pk}/reply/", {"content": f"réponse de {who}"})
            check(who, f"reply {name}", _code(answer), 302 if posts else 404)
            edit = c.get(f"/~forum/post/{reply.pk}/edit/")
            check(who, f"edit {name}", _code(edit), 200 if reads and who in MODERATORS else 404)
            report = c.get(f"/~forum/post/{reply.pk}/report/")
            check(who, f"report {name}", _code(report), ok_or_404)
            found = c.get(reverse("search:results"), {"q": f"jetonsecret{n}"})
            check(who, f"search {name}", f"jeton{n}" in found.text, who in AUDIENCES[name])
    assert not failures, "\n".join(failures)


def test_refusals_are_404_and_logged(spaces, topics, users, client_for, caplog):
    c = client_for("caregiver")
    secret = topics["RSSI et DSI"]
    with caplog.at_level(logging.INFO, logger="portal.security"):
        assert c.get(f"/~forum/topic/{secret.pk}/").status_code == 404
        assert c.get("/~forum/topic/999999/").status_code == 404
    events = [
        r.getMessage() for r in caplog.records if "restricted_content_denied" in r.getMessage()
    ]
    assert len(events) == 2
    assert "jeton" not in " ".join(events)


def test_access_follows_suspension_and_role_changes_at_once(spaces, topics, users, client_for):
    rssi = users["rssi"]
    secret = topics["RSSI et DSI"]
    c = client_for("rssi")
    assert c.get(f"/~forum/topic/{secret.pk}/").status_code == 200
    profile = rssi.member_profile
    profile.roles = {Role.CAREGIVER}
    profile.save()
    assert c.get(f"/~forum/topic/{secret.pk}/").status_code == 404
    profile.roles = {Role.RSSI}
    profile.save()
    assert c.get(f"/~forum/topic/{secret.pk}/").status_code == 200
    profile.status = MemberStatus.SUSPENDED
    profile.save()
    assert c.get(f"/~forum/{spaces['Général'].forum_id}/").status_code == 404


def test_pending_members_read_nothing(spaces, topics, users):
    assert visible_forum_ids(users["pending"]) == frozenset()
    assert visible_forum_ids(users["unverified"]) == frozenset()


def test_machina_permissions_are_derived_from_the_access_model(spaces, users):
    handler = PortalPermissionHandler()
    rssi, caregiver, moderator = users["rssi"], users["caregiver"], users["moderator"]
    secret, general = spaces["RSSI et DSI"].forum, spaces["Général"].forum
    announcements = spaces["Annonces"].forum
    assert handler.can_read_forum(secret, rssi)
    assert not handler.can_read_forum(secret, caregiver)
    assert handler.can_add_topic(general, caregiver)
    assert not handler.can_add_topic(announcements, caregiver)
    assert handler.can_add_topic(announcements, moderator)
    assert handler.can_lock_topics(general, moderator)
    assert not handler.can_lock_topics(general, caregiver)
    assert not handler.can_read_forum(general, users["pending"])


def test_unapproved_post_is_seen_by_its_author_and_moderators_only(spaces, users, client_for):
    topic = make_topic(spaces["Général"], users["caregiver"])
    waiting = Post.objects.create(
        topic=topic, subject="Re", content="en attente", poster=users["caregiver"], approved=False
    )
    assert client_for("caregiver").get(f"/~forum/post/{waiting.pk}/").status_code == 302
    assert client_for("moderator").get(f"/~forum/post/{waiting.pk}/").status_code == 302
    assert client_for("rssi").get(f"/~forum/post/{waiting.pk}/").status_code == 404
