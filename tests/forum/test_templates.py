"""Every forum page a member or moderator reaches is rendered by the portal's DSFR templates:
machina's own templates and URLs are never used; no inline script, no event attribute, no
Bootstrap, jQuery or EasyMDE; the editor is a plain textarea with a server-side preview."""

import re

import pytest
from django.urls import NoReverseMatch, reverse
from machina.apps.forum_conversation.models import Post

from forum.models import PostReport
from tests.forum.helpers import executable, make_topic

pytestmark = pytest.mark.django_db

THIRD_PARTY = re.compile(r"bootstrap|jquery|easymde|codemirror", re.IGNORECASE)


def _pages(spaces, users):
    general = spaces["Général"]
    topic = make_topic(general, users["caregiver"], "Sujet", "Question", replies=1)
    answer = topic.posts.order_by("pk").last()
    PostReport.objects.create(post=answer, reporter=users["rssi"], reason="spam")
    Post.objects.create(
        topic=topic, subject="Re", content="En attente", poster=users["caregiver"], approved=False
    )
    return [
        ("GET", reverse("community:index"), None),
        ("GET", reverse("community:forum", args=[general.forum_id]), None),
        ("GET", reverse("community:topic", args=[topic.pk]), None),
        ("GET", reverse("community:new_topic", args=[general.forum_id]), None),
        ("POST", reverse("community:new_topic", args=[general.forum_id]),
         {"subject": "Aperçu", "content": "**gras**", "preview": "1"}),
        ("POST", reverse("community:reply", args=[topic.pk]),
         {"content": "*italique*", "preview": "1"}),
        ("GET", reverse("community:edit_post", args=[answer.pk]), None),
        ("GET", reverse("community:report_post", args=[answer.pk]), None),
        ("GET", reverse("community:moderation"), None),
        ("GET", reverse("community:post_history", args=[answer.pk]), None),
        ("GET", reverse("community:suspend_author", args=[answer.pk]), None),
        ("GET", reverse("community:new_poll", args=[topic.pk]), None),
        ("GET", reverse("community:ask") + "?q=sauvegarde", None),
    ]  # fmt: skip


def test_forum_pages_use_the_portal_templates_only(spaces, users, client_for):
    c = client_for("moderator")
    for method, url, data in _pages(spaces, users):
        page = c.post(url, data) if method == "POST" else c.get(url)
        assert page.status_code == 200, url
        names = [t.name for t in page.templates if t.name]
        assert "base.html" in names, url
        assert not [n for n in names if n.startswith("machina/")], url
        assert executable(page.text) == [], url
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", page.text), url  # inline
        assert not THIRD_PARTY.search(page.text), url
        assert "fr-" in page.text, url  # DSFR classes


def test_the_editor_needs_no_javascript(spaces, client_for):
    general = spaces["Général"]
    c = client_for("caregiver")
    form = c.get(reverse("community:new_topic", args=[general.forum_id])).text
    assert re.search(r'<textarea[^>]*name="content"', form)
    assert re.search(r'<button[^>]*name="preview"', form)
    preview = c.post(
        reverse("community:new_topic", args=[general.forum_id]),
        {"subject": "Aperçu", "content": "**gras**\n\n- un\n- deux", "preview": "1"},
    )
    assert "<strong>gras</strong>" in preview.text and "<li>deux</li>" in preview.text
    assert "**gras**" in preview.text  # the text stays in the textarea to go on writing


def test_machina_urls_and_search_are_not_installed(client_for, settings):
    with pytest.raises(NoReverseMatch):
        reverse("forum:index")
    with pytest.raises(NoReverseMatch):
        reverse("forum_search:search")
    assert "machina.apps.forum_search" not in settings.INSTALLED_APPS
    assert "haystack" not in settings.INSTALLED_APPS
    assert client_for("caregiver").get("/forum/").status_code == 404
