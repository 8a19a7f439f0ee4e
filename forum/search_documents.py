"""What the forum puts into the unified search: one document per topic (its posts' text), with
the access fields of its forum. Hidden and unapproved posts stay out."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from machina.apps.forum_conversation.models import Topic

from forum.models import ForumSpace, TopicState
from search.documents import SearchDocument, access_fields, model_key
from search.registry import Facet, Source

KIND = "forum"


def topic_document(topic) -> SearchDocument | None:
    space = ForumSpace.objects.filter(forum_id=topic.forum_id).first()
    if space is None or not topic.approved:
        return None
    posts = list(
        topic.posts.filter(approved=True)
        .exclude(state__hidden=True)
        .order_by("created")
        .values_list("_content_rendered", "content")
    )
    if not posts:
        return None
    solved = TopicState.objects.filter(topic=topic, solution__isnull=False).exists()
    question = posts[0][1] or ""
    return SearchDocument(
        key=model_key(topic),
        kind=KIND,
        title=topic.subject,
        url=reverse("community:topic", args=[topic.pk]),
        summary=question[:300],
        body="\n".join(raw or "" for _rendered, raw in posts),
        facets={"forum": (str(topic.forum_id),), "solved": ("yes" if solved else "no",)},
        date=topic.last_post_on or topic.created,
        popularity=topic.posts_count,
        **access_fields(space),
    )


def _forum_choices() -> dict[str, str]:
    return {str(f): n for f, n in ForumSpace.objects.values_list("forum_id", "name")}


SOURCE = Source(
    kind=KIND,
    label=_("Forum"),
    models=(Topic,),
    document=topic_document,
    candidates=lambda: Topic.objects.filter(approved=True),
    order=40,
    index_url_name="community:index",
)
FACETS = (
    Facet(name="forum", label=_("Forum"), choices=_forum_choices, order=40),
    Facet(
        name="solved",
        label=_("Solved"),
        choices=lambda: {"yes": str(_("Solved")), "no": str(_("Not solved"))},
        order=41,
    ),
)
