"""Everything the forum plugs into the portal, in one place (to move to the module kit)."""

from django.utils.translation import gettext_lazy as _


def latest(user, limit: int = 5):
    from django.urls import reverse

    from forum.services import topics_for
    from portal.registry import HomeItem

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
    from forum.services import can_view_post

    return can_view_post(user, post)


def _forum_audience(user, post) -> bool:
    from forum.models import ForumSpace
    from forum.permissions import can_read

    space = ForumSpace.objects.filter(forum_id=post.topic.forum_id).first()
    return space is not None and can_read(user, space)


def _followers(post):
    from forum.services import followers

    return followers(post)


def register_notification_kinds() -> None:
    from portal.notifications.kinds import Channel, NotificationKind, register

    for key, label, channel, recipients, audience in (
        ("forum.topic", _("New topic in a forum I follow"), Channel.DAILY, _followers,
         _post_audience),
        ("forum.reply", _("New reply in a topic I follow"), Channel.IMMEDIATE, _followers,
         _post_audience),
        ("forum.mention", _("Someone mentions me in the forum"), Channel.IMMEDIATE, None,
         _post_audience),
        ("forum.report_outcome", _("Outcome of my forum reports"), Channel.PORTAL, None,
         _forum_audience),
    ):  # fmt: skip
        register(
            NotificationKind(
                key=key,
                label=label,
                module="forum",
                default_channel=channel,
                recipients=recipients,
                audience=audience,
            )
        )


def register_personal_data() -> None:
    from forum.services import erase_member, export_member
    from portal.accounts.personal_data import Section, register

    register(Section(name="forum", export=export_member, erase=erase_member))


def _invalidate_pages(sender, raw=False, **_kwargs) -> None:
    """The home page (cached per audience) lists the latest discussions."""
    from django.db import transaction

    from portal import page_cache

    if not raw:
        transaction.on_commit(page_cache.invalidate)


def connect_page_cache() -> None:
    from django.db.models.signals import post_delete, post_save
    from machina.apps.forum_conversation.models import Topic

    from forum.models import ForumSpace

    for model in (Topic, ForumSpace):
        post_save.connect(_invalidate_pages, sender=model, dispatch_uid=f"forum_pages_{model}")
        post_delete.connect(_invalidate_pages, sender=model, dispatch_uid=f"forum_del_{model}")


def plug_in() -> None:
    from forum.search_documents import register_forum
    from portal.registry import ModuleEntry, register

    register(
        ModuleEntry(key="forum", label=_("Forum"), url_name="community:index", order=40,
                    latest=latest)
    )  # fmt: skip
    register_forum()
    register_notification_kinds()
    register_personal_data()
    connect_page_cache()
