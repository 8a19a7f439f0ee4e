from html.parser import HTMLParser

from machina.apps.forum_conversation.models import Post, Topic

from tests.portal.factories import UserFactory


def superuser():
    return UserFactory(username="root@forum.example", is_superuser=True, is_staff=True)


def make_topic(space, author, subject="Sujet", content="Texte", replies=0):
    topic = Topic.objects.create(
        forum=space.forum, subject=subject, poster=author, type=Topic.TOPIC_POST,
        status=Topic.TOPIC_UNLOCKED,
    )  # fmt: skip
    Post.objects.create(topic=topic, subject=subject, content=content, poster=author)
    for n in range(replies):
        Post.objects.create(
            topic=topic, subject=f"Re: {subject}", content=f"Réponse {n}", poster=author
        )
    topic.refresh_from_db()
    return topic


class _Executable(HTMLParser):
    """Collects anything a browser could execute."""

    URL_ATTRS = {"href", "src", "action", "formaction", "xlink:href", "srcset", "data", "poster"}
    TAGS = {"iframe", "object", "embed", "svg", "math", "style", "base", "meta", "link", "frame"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found = []

    def handle_starttag(self, tag, attrs):
        if tag == "script":
            src = dict(attrs).get("src") or ""
            if not src.startswith("/static/"):
                self.found.append(("script", src))
        if tag in self.TAGS and tag not in {"link", "meta"}:
            self.found.append((tag, attrs))
        for name, value in attrs:
            if name.startswith("on"):
                self.found.append((tag, name))
            if name in self.URL_ATTRS and value:
                scheme = "".join(value.split()).lower()
                if scheme.startswith(("javascript:", "data:", "vbscript:")):
                    self.found.append((tag, name, value))


def executable(html: str) -> list:
    parser = _Executable()
    parser.feed(html)
    return parser.found
