"""The forum's declaration in the module kit (see ``portal.modules``)."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from machina.apps.forum.models import Forum
from machina.apps.forum_conversation.forum_attachments.models import Attachment
from machina.apps.forum_conversation.forum_polls.models import TopicPoll
from machina.apps.forum_conversation.models import Post, Topic

from forum import personal, search_documents
from forum.models import ForumSpace, PostState, TopicState
from forum.permissions import can_read
from forum.services import can_view_post, erase_member, export_member, followers, topics_for
from portal import page_cache
from portal.accounts.personal_data import Section
from portal.demo import DemoStep
from portal.modules import HomeItem, PortalModule
from portal.notifications.kinds import Channel, NotificationKind


def latest(user, limit: int = 5) -> list[HomeItem]:
    """The latest discussions the user may view, for the home page."""
    topics = topics_for(user).filter(approved=True).order_by("-last_post_on")[:limit]
    return [
        HomeItem(
            title=topic.subject,
            url=reverse("community:topic", args=[topic.pk]),
            date=topic.last_post_on and topic.last_post_on.date(),
        )
        for topic in topics
    ]


def _post_audience(user, post) -> bool:
    return can_view_post(user, post)


def _forum_audience(user, post) -> bool:
    space = ForumSpace.objects.filter(forum_id=post.topic.forum_id).first()
    return space is not None and can_read(user, space)


def _followers(post):
    return followers(post)


def _export(user):
    return export_member(user)


def _erase(user):
    return erase_member(user)


# The keys forum.reply and forum.mention carry members' former forum preferences: keep them.
NOTIFICATION_KINDS = tuple(
    NotificationKind(
        key=key,
        label=label,
        module="forum",
        default_channel=channel,
        recipients=recipients,
        audience=audience,
    )
    for key, label, channel, recipients, audience in (
        ("forum.topic", _("New topic in a forum I follow"), Channel.DAILY, _followers,
         _post_audience),
        ("forum.reply", _("New reply in a topic I follow"), Channel.IMMEDIATE, _followers,
         _post_audience),
        ("forum.mention", _("Someone mentions me in the forum"), Channel.IMMEDIATE, None,
         _post_audience),
        ("forum.report_outcome", _("Outcome of my forum reports"), Channel.PORTAL, None,
         _forum_audience),
    )
)  # fmt: skip


class ForumModule(PortalModule):
    key = "forum"
    label = _("Forum")
    url_name = "community:index"
    urls = "forum.urls"
    order = 40
    # The search page's "ask the community" (with ?ask=<query>: a new topic titled with it).
    community_url_name = "community:index"
    latest = staticmethod(latest)
    search_sources = (search_documents.SOURCE,)
    search_facets = search_documents.FACETS
    personal_data = Section(name="forum", export=_export, erase=_erase)
    notification_kinds = NOTIFICATION_KINDS
    demo_steps = (DemoStep(35, "Forum", "forum.demo.loader.build_forum"),)
    # The home page shows the latest discussions (a post updates its topic's last post, so
    # Topic covers posts there); the forum's own cached pages (``forum.personal``) show forums,
    # topics, posts, their attachments, solutions, hidden states and polls.
    page_cache_tags = {
        Topic: (page_cache.HOME, personal.PAGE_TAG),
        ForumSpace: (page_cache.HOME, personal.PAGE_TAG),
        **dict.fromkeys(
            (Forum, Post, Attachment, TopicPoll, TopicState, PostState), (personal.PAGE_TAG,)
        ),
    }
