import pytest

from forum import services

pytestmark = pytest.mark.django_db


def test_member_posts_and_reads(spaces, users, client_for):
    c = client_for("caregiver")
    general = spaces["Général"]
    r = c.get(f"/~forum/{general.forum_id}/new/")
    assert r.status_code == 200
    r = c.post(f"/~forum/{general.forum_id}/new/", {"subject": "Test MFA", "content": "**gras**"})
    assert r.status_code == 302, r.content[:2000]
    topic = services.topics_for(users["caregiver"]).get()
    r = c.get(f"/~forum/topic/{topic.pk}/")
    assert r.status_code == 200
    assert b"<strong>gras</strong>" in r.content
    assert c.get("/~forum/").status_code == 200
    assert c.get(f"/~forum/{general.forum_id}/").status_code == 200
