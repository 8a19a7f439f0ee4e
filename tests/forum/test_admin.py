"""Editors declare a forum and its audience in the Wagtail admin; a public forum is refused."""

import pytest

from forum.models import ForumSpace

pytestmark = pytest.mark.django_db


def test_an_editor_declares_a_forum_for_roles(users, client_for):
    c = client_for("editor")
    url = "/admin/snippets/community/forumspace/add/"
    assert c.get(url).status_code == 200
    data = {"name": "Biomédical", "description": "", "position": "3",
            "access_level": "roles", "allowed_roles": ["rssi", "dsi"]}  # fmt: skip
    assert c.post(url, data).status_code == 302
    space = ForumSpace.objects.get(name="Biomédical")
    assert space.forum.name == "Biomédical" and space.allowed_roles == {"rssi", "dsi"}
    public = c.post(url, data | {"name": "Ouvert", "access_level": "public"})
    assert public.status_code == 200 and not ForumSpace.objects.filter(name="Ouvert").exists()


def test_a_caregiver_cannot_reach_the_forum_admin(users, client_for):
    response = client_for("caregiver").get("/admin/snippets/community/forumspace/")
    assert response.status_code in {302, 403, 404}
