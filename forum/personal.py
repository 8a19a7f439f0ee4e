"""The reader's own parts of the forum's cached pages (``portal.page_cache``).

The forum index, a forum's topic list and a topic page are cached per audience for members who
do not moderate (moderators' pages show what only they may act on: never cached). What differs
between two members of one audience is rendered for each request from ids carried in the
fragment's argument: the follow buttons, the actions under a post (edit for its author, report
for the others, "mark as the solution" for the topic's author), a hidden post's text and reason
for its author, the reader's own messages and topics awaiting approval, "add a poll" for the
topic's author, and the CSRF token of the reply form. A topic page's hit reads one row (the
reader's follow and waiting-messages state, ``_topic_state``); what the fragments render is kept
per state (``_rendered``), the CSRF token written in per request. The audience key is the
access check: a copy is only ever served to members who may read the same forums.
"""

from django.db import connection
from django.template.loader import get_template
from django.urls import reverse
from django.utils.translation import get_language
from machina.apps.forum_conversation.models import Post, Topic

from forum.models import ForumFollow
from forum.permissions import is_moderator
from portal import page_cache

PAGE_TAG = "forum"  # carried by every cached forum page (``forum.module``: what retires it)
CSRF = "forum.csrf"
FOLLOW_TOPIC = "forum.follow-topic"
FOLLOW_FORUM = "forum.follow-forum"
POST_ACTIONS = "forum.post-actions"
HIDDEN = "forum.hidden"
PENDING_POSTS = "forum.pending-posts"
PENDING_TOPICS = "forum.pending-topics"
ADD_POLL = "forum.add-poll"
_TOPIC_STATE_ATTR = "_forum_topic_states"
_READER_ATTR = "_forum_reader"
# Read on every topic page hit: plain SQL (the ORM would spend more building it than SQLite
# answering); table names from the models, values as parameters.
_SUBSCRIBERS, _POSTS = Topic.subscribers.through._meta.db_table, Post._meta.db_table
_TOPIC_STATE_SQL = (
    f"SELECT EXISTS(SELECT 1 FROM {_SUBSCRIBERS}"  # noqa: S608
    " WHERE topic_id = %s AND user_id = %s),"
    f" EXISTS(SELECT 1 FROM {_POSTS}"
    " WHERE topic_id = %s AND poster_id = %s AND approved = %s)"
)
_rendered = page_cache.LocalLRU(size=4096)


def _ids(argument: str) -> list[int]:
    return [int(part) for part in argument.split(":")]


# --- Arguments (what the views write into the shared copy: ids and flags only) ---------------


def post_argument(item, topic) -> str:
    """A post's id, author, topic author, and whether it is the question, hidden, the solution
    (all in the shared copy already)."""
    flags = f"{int(item['question'])}{int(item['hidden'])}{int(item['solution'])}"
    return f"{item['pk']}:{item['post'].poster_id or 0}:{topic.poster_id or 0}:{flags}"


def topic_argument(topic) -> str:
    return f"{topic.pk}:{topic.poster_id or 0}"


# --- Renderers -------------------------------------------------------------------------------


def _csrf(request, _argument: str) -> str:
    value = str(_reader(request)[3])
    return f'<input type="hidden" name="csrfmiddlewaretoken" value="{value}">'


def _reader(request) -> tuple:
    """(user id, moderates, language, CSRF token): read once per request (a topic page renders
    a fragment per post)."""
    if (reader := request.__dict__.get(_READER_ATTR)) is None:
        user = request.user
        token = page_cache.csrf_context(request)["csrf_token"]  # lazy: masked at first use
        reader = request.__dict__[_READER_ATTR] = (
            user.pk, is_moderator(user), get_language(), token
        )  # fmt: skip
    return reader


def _topic_state(request, topic_pk: int) -> tuple[bool, bool]:
    """(follows the topic, has messages awaiting approval in it): one small query per request
    for both fragments that need it."""
    states = request.__dict__.setdefault(_TOPIC_STATE_ATTR, {})
    if topic_pk not in states:
        user_pk = _reader(request)[0]
        with connection.cursor() as cursor:
            cursor.execute(_TOPIC_STATE_SQL, [topic_pk, user_pk, topic_pk, user_pk, False])
            followed, pending = cursor.fetchone()
        states[topic_pk] = (bool(followed), bool(pending))
    return states[topic_pk]


def _follow(request, name: str, pk: int, followed: bool) -> str:
    def context():
        url = reverse(f"community:{name}", args=[pk])
        return {"url": url, "following": followed, "topic": name == "follow_topic"}

    return _cached(request, "forum/includes/follow.html", (name, pk, followed), context)


def _follow_topic(request, argument: str) -> str:
    (topic_pk,) = _ids(argument)
    followed, _pending = _topic_state(request, topic_pk)
    return _follow(request, "follow_topic", topic_pk, followed)


def _follow_forum(request, argument: str) -> str:
    (forum_pk,) = _ids(argument)
    followed = ForumFollow.objects.filter(user=request.user, forum_id=forum_pk).exists()
    return _follow(request, "follow_forum", forum_pk, followed)


def _post_actions(request, argument: str) -> str:
    """Edit for the author, report for the others, "mark as the solution" for the topic's
    author (on a reply neither hidden nor already the solution)."""
    pk, poster_pk, topic_poster_pk, flags = argument.split(":")
    user_pk, moderator, _language, _token = _reader(request)
    own = int(poster_pk) == user_pk
    question, hidden, solution = (flag == "1" for flag in flags)
    may_solve = (int(topic_poster_pk) == user_pk or moderator) and not (
        question or hidden or solution
    )

    def context():
        names = ("edit_post", "report_post", "solution")
        urls = {name: reverse(f"community:{name}", args=[pk]) for name in names}
        return {"edit": own or moderator, "report": not own, "solve": may_solve, "urls": urls}

    key = (pk, own or moderator, own, may_solve)
    return _cached(request, "forum/includes/post_actions.html", key, context)


def _hidden(request, argument: str) -> str:
    """A hidden post's notice; its author also reads the reason, the text and attachments."""
    pk, poster_pk = _ids(argument)
    if poster_pk != request.user.pk:
        return _cached(request, "forum/includes/hidden.html", "notice", dict)
    from forum import services  # cycle: forum.services imports this module

    post = Post.objects.filter(pk=pk).select_related("state").first()
    if post is None:
        return ""
    _hidden_now, reason = services.post_visible_text(post, request.user)
    context = {
        "post": post,
        "reason": reason,
        "attachments": services.attachments_of([post]).get(post.pk, ()),
    }
    return get_template("forum/includes/hidden.html").render(context)


def _pending_posts(request, argument: str) -> str:
    """The reader's own messages awaiting approval, at the end of the topic's last page."""
    (topic_pk,) = _ids(argument)
    _followed, pending = _topic_state(request, topic_pk)
    if not pending:
        return ""
    from forum import services  # cycle: forum.services imports this module

    posts = Post.objects.filter(topic_id=topic_pk, poster_id=request.user.pk, approved=False)
    context = {
        "posts": posts.order_by("created", "pk"),
        "author": services.display_name(request.user),
    }
    return get_template("forum/includes/pending_posts.html").render(context)


def _pending_topics(request, argument: str) -> str:
    (forum_pk,) = _ids(argument)
    topics = list(
        Topic.objects.filter(forum_id=forum_pk, poster_id=request.user.pk, approved=False).order_by(
            "-created"
        )
    )
    if not topics:
        return ""
    return get_template("forum/includes/pending_topics.html").render({"topics": topics})


def _add_poll(request, argument: str) -> str:
    """Shown where the shared copy says a poll may be added (the reader may post, no poll
    yet): to the topic's author (moderators' pages are not cached)."""
    topic_pk, poster_pk = _ids(argument)
    if poster_pk != request.user.pk and not is_moderator(request.user):
        return ""

    def context():
        return {"url": reverse("community:new_poll", args=[topic_pk])}

    return _cached(request, "forum/includes/add_poll.html", topic_pk, context)


def _cached(request, template_name: str, key, context) -> str:
    """The template rendered once per process for ``key`` and the language (``context()``
    builds what it reads), the request's CSRF token written in."""
    _user_pk, _moderator, language, _token = _reader(request)

    def render():
        values = {**context(), "csrf_token": page_cache.CSRF_PLACEHOLDER}
        return get_template(template_name).render(values)

    return page_cache.kept(request, _rendered, (template_name, key, language), render)


def register() -> None:
    for name, render in (
        (CSRF, _csrf),
        (FOLLOW_TOPIC, _follow_topic),
        (FOLLOW_FORUM, _follow_forum),
        (POST_ACTIONS, _post_actions),
        (HIDDEN, _hidden),
        (PENDING_POSTS, _pending_posts),
        (PENDING_TOPICS, _pending_topics),
        (ADD_POLL, _add_poll),
    ):
        page_cache.register_fragment(name, render)
