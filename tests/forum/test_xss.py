"""Stored XSS: every payload through post, edit, preview, signature and poll yields nothing a
browser could execute (markdown2's safe_mode bypasses included)."""

import pytest
from machina.apps.forum_conversation.forum_polls.models import TopicPoll, TopicPollOption
from machina.apps.forum_conversation.models import Post
from machina.apps.forum_member.models import ForumProfile

from forum.markup import render
from forum.models import PostReport
from tests.forum.helpers import executable

pytestmark = pytest.mark.django_db

PAYLOADS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    '<img src="x" onerror="alert(1)">',
    "![x](javascript:alert(1))",
    "[clic](javascript:alert(1))",
    "[clic](JaVaScRiPt:alert(1))",
    "[clic](  javascript:alert(1))",
    "[clic](java\tscript:alert(1))",
    "[clic](&#106;avascript:alert(1))",
    "[clic](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "![x](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)",
    '![x](https://ex.fr/a.png" onerror="alert(1))',
    '[x](https://ex.fr "title" onmouseover="alert(1)")',
    "<svg onload=alert(1)>",
    "<iframe src=javascript:alert(1)></iframe>",
    "<a href=javascript:alert(1)>x</a>",
    '<div style="background:url(javascript:alert(1))">x</div>',
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    "<details open ontoggle=alert(1)>",
    "[x](vbscript:msgbox(1))",
    "<object data=javascript:alert(1)>",
    "<<script>script>alert(1)<</script>/script>",
    "`<img src=x onerror=alert(1)>`",
    "```\n</code><img src=x onerror=alert(1)>\n```",
    "[a](<javascript:alert(1)>)",
    "<body onload=alert(1)>",
]


def test_there_are_at_least_twenty_payloads():
    assert len(PAYLOADS) >= 20


@pytest.mark.parametrize("payload", PAYLOADS)
def test_render_leaves_nothing_executable(payload):
    assert executable(render(payload)) == []


def test_post_edit_and_preview_pages(spaces, users, client_for):
    c = client_for("caregiver")
    general = spaces["Général"]
    for payload in PAYLOADS:
        preview = c.post(
            f"/~forum/{general.forum_id}/new/",
            {"subject": "Test", "content": payload, "preview": "1"},
        )
        assert preview.status_code == 200
        assert executable(preview.text) == [], payload
    from forum import services

    post, _unknown = services.start_topic(users["caregiver"], general, "XSS", "début")
    for payload in PAYLOADS:
        services.edit_post(users["caregiver"], post, payload)
        page = c.get(f"/~forum/topic/{post.topic_id}/")
        assert page.status_code == 200
        assert executable(page.text) == [], payload
        edit_preview = c.post(f"/~forum/post/{post.pk}/edit/", {"content": payload, "preview": "1"})
        assert executable(edit_preview.text) == [], payload


def test_signature_and_poll_texts(spaces, users):
    from tests.forum.helpers import make_topic

    topic = make_topic(spaces["Général"], users["caregiver"])
    for payload in PAYLOADS:
        profile, _ = ForumProfile.objects.get_or_create(user=users["caregiver"])
        profile.signature = payload
        profile.save()
        profile.refresh_from_db()
        assert executable(profile.signature.rendered) == [], payload
        poll, _ = TopicPoll.objects.get_or_create(topic=topic, defaults={"question": "?"})
        poll.question = payload[:255]
        poll.save()
        option = TopicPollOption.objects.create(poll=poll, text=payload[:255])
        assert executable(render(poll.question)) == [], payload
        assert executable(render(option.text)) == [], payload


def test_published_through_the_forms(spaces, users, client_for, monkeypatch):
    """Each payload published as a topic and as a reply through the pages (not a preview),
    then read on the topic pages and, reported, in the moderation queue."""
    from forum import services

    monkeypatch.setattr(services, "RATE_BURST", 10_000)
    general = spaces["Général"]
    c = client_for("caregiver")
    first = c.post(f"/~forum/{general.forum_id}/new/", {"subject": "XSS", "content": "début"})
    topic_url = first.url
    topic_id = int(topic_url.rstrip("/").split("/")[-1])
    for payload in PAYLOADS:
        sent = c.post(f"/~forum/topic/{topic_id}/reply/", {"content": payload})
        assert sent.status_code == 302, payload
        started = c.post(f"/~forum/{general.forum_id}/new/", {"subject": "S", "content": payload})
        assert started.status_code == 302, payload
        assert executable(c.get(started.url).text) == [], payload
    pages = [topic_url, f"{topic_url}?page=2"]
    for url in pages:
        assert executable(c.get(url).text) == [], url
    reported = Post.objects.filter(poster=users["caregiver"])
    PostReport.objects.bulk_create(
        PostReport(post=post, reporter=users["rssi"], reason="spam") for post in reported
    )
    queue = client_for("moderator").get("/~forum/moderation/")
    assert queue.text.count("forum-post__content") >= len(PAYLOADS)
    assert executable(queue.text) == []
