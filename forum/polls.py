"""Topic polls (machina's ``TopicPoll`` models, the portal's rules): the topic's author or a
moderator adds one poll to a topic; members who may read the topic vote while it is open (in
an announcements-only forum too); results show once a member has voted, once the poll is
closed, and to the author and moderators, unless the author hid them until it closes."""

from datetime import timedelta

from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _
from machina.apps.forum_conversation.forum_polls.models import (
    TopicPoll,
    TopicPollOption,
    TopicPollVote,
)

from forum.permissions import can_post, is_moderator

MAX_OPTIONS = 10


class PollError(Exception):
    """A refused vote or poll, with a message for the member."""


def poll_of(topic) -> TopicPoll | None:
    try:
        return topic.poll
    except TopicPoll.DoesNotExist:
        return None


def may_create(user, topic) -> bool:
    manages = topic.poster_id == user.pk or is_moderator(user)
    return manages and can_post(user, topic.forum.space) and poll_of(topic) is None


@transaction.atomic
def create(user, topic, question, options, max_options=1, duration=None, user_changes=False,
           hide_results=False) -> TopicPoll:  # fmt: skip
    if not may_create(user, topic):
        raise PollError(_("You cannot add a poll to this topic."))
    poll = TopicPoll.objects.create(
        topic=topic, question=question, max_options=max_options, duration=duration,
        user_changes=user_changes, hide_results=hide_results,
    )  # fmt: skip
    TopicPollOption.objects.bulk_create(TopicPollOption(poll=poll, text=t) for t in options)
    return poll


def closes_at(poll):
    return poll.created + timedelta(days=poll.duration) if poll.duration else None


def is_open(poll) -> bool:
    end = closes_at(poll)
    return end is None or timezone.now() < end


def choices_of(user, poll) -> set[int]:
    return set(
        TopicPollVote.objects.filter(poll_option__poll=poll, voter=user).values_list(
            "poll_option_id", flat=True
        )
    )


def may_vote(user, poll, voted: bool) -> bool:
    """Readers of the topic (checked by the caller's lookup) while the poll is open and the
    topic unlocked; once only, unless the poll allows changing one's vote."""
    return is_open(poll) and not poll.topic.is_locked and (not voted or poll.user_changes)


def may_see_results(user, poll, voted: bool) -> bool:
    manages = poll.topic.poster_id == user.pk or is_moderator(user)
    if manages or not is_open(poll):
        return True
    return voted and not poll.hide_results


@transaction.atomic
def vote(user, poll, option_ids) -> None:
    voted = choices_of(user, poll)
    if not may_vote(user, poll, bool(voted)):
        raise PollError(_("You can no longer vote in this poll."))
    chosen = set(option_ids)
    if not chosen:
        raise PollError(_("Choose an answer."))
    if len(chosen) > poll.max_options:
        raise PollError(_("Choose at most %(count)s answers.") % {"count": poll.max_options})
    options = list(TopicPollOption.objects.filter(poll=poll, pk__in=chosen))
    if len(options) != len(chosen):
        raise PollError(_("Choose among the poll's answers."))
    TopicPollVote.objects.filter(poll_option__poll=poll, voter=user).delete()
    TopicPollVote.objects.bulk_create(TopicPollVote(poll_option=o, voter=user) for o in options)


def results(poll) -> tuple[list, int]:
    """([(option, votes, percent of voters)], number of voters), in two queries."""
    options = list(poll.options.annotate(count=Count("votes")).order_by("pk"))
    voters = TopicPollVote.objects.filter(poll_option__poll=poll).values("voter").distinct().count()
    return [(o, o.count, round(100 * o.count / voters) if voters else 0) for o in options], voters
