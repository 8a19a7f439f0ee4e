"""Forum pages: thin views over ``forum.services``; every lookup goes through the access model
(a forum, topic or post the user may not view answers 404, logged)."""

from functools import wraps
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from machina.apps.forum_conversation.models import Post

from forum import fragments, personal, polls, services
from forum.forms import (
    MoveForm,
    PollForm,
    PostForm,
    ReasonForm,
    ReportForm,
    SuspensionForm,
    TopicForm,
)
from forum.markup import render as render_markdown
from forum.models import PostReport, PostRevision, ReportStatus
from forum.permissions import can_post, is_moderator
from portal import page_cache
from portal.access import membership_of, refuse
from portal.accounts.services import can_decide

TOPICS_PER_PAGE = 30
POSTS_PER_PAGE = 50
FILTERS = ("all", "solved", "unanswered", "mine")


def approved_member_required(view):
    """Visitors go to the login; people who are not approved members get 404."""

    @wraps(view)
    @login_required
    def wrapper(request, *args, **kwargs):
        member = membership_of(request.user)
        if not (member.approved or member.is_superuser):
            raise Http404
        return view(request, *args, **kwargs)

    return wrapper


def _moderator_or_404(request):
    if not is_moderator(request.user):
        refuse(request, Post, moderation="refused")


@approved_member_required
def index(request):
    if "ask" in request.GET:  # from the search page: "ask on the forum"
        return redirect(reverse("community:ask") + "?" + urlencode({"q": request.GET["ask"]}))
    spaces = list(services.spaces_for(request.user))
    moderator = is_moderator(request.user)
    response = render(
        request,
        "forum/index.html",
        {
            "spaces": spaces,
            "moderator": moderator,
            "queue": sum(services.moderation_counts(request.user)) if moderator else 0,
        },
    )
    return _shared(response, not moderator)


def _shared(response, cacheable: bool):
    """A page the same for every member of the audience but for its personal fragments
    (``forum.personal``): cached per audience, retired by any change in the forum."""
    return page_cache.mark_cacheable(response, (personal.PAGE_TAG,)) if cacheable else response


@approved_member_required
def forum_view(request, forum_id):
    space = services.space_or_404(request, forum_id)
    which = request.GET.get("filter", "all")
    which = which if which in FILTERS else "all"
    # "My topics" is the reader's own list; moderators see topics awaiting approval.
    shared = which != "mine" and not is_moderator(request.user)
    topics = services.topics_for(request.user, [space.forum_id], shared=shared)
    topics = services.filter_topics(topics, request.user, which)
    topics = services.with_list_data(topics, request.user).order_by("-type", "-last_post_on")
    page = Paginator(topics, TOPICS_PER_PAGE).get_page(request.GET.get("page"))
    response = render(
        request,
        "forum/forum.html",
        {
            "space": space,
            "page": page,
            "filter": which,
            "filters": [(f, FILTER_LABELS[f]) for f in FILTERS],
            "may_post": can_post(request.user, space),
            "shared": shared,
        },
    )
    return _shared(response, shared)


FILTER_LABELS = {
    "all": gettext_lazy("All topics"),
    "solved": gettext_lazy("Solved"),
    "unanswered": gettext_lazy("Unanswered"),
    "mine": gettext_lazy("My topics"),
}


def _topic_form_page(request, space, form, preview=""):
    return render(
        request,
        "forum/post_form.html",
        {"space": space, "form": form, "preview": preview, "new_topic": True},
    )


@approved_member_required
def new_topic(request, forum_id):
    space = services.space_or_404(request, forum_id)
    if not can_post(request.user, space):
        refuse(request, type(space), pk=forum_id, action="post")
    if request.method != "POST":
        initial = {"subject": request.GET.get("q", "")[:200]}
        return _topic_form_page(request, space, TopicForm(initial=initial))
    form = TopicForm(request.POST, request.FILES)
    if not form.is_valid():
        return _topic_form_page(request, space, form)
    if "preview" in request.POST:
        return _topic_form_page(request, space, form, render_markdown(form.cleaned_data["content"]))
    try:
        post, unknown = services.start_topic(
            request.user,
            space,
            form.cleaned_data["subject"],
            form.cleaned_data["content"],
            form.cleaned_data.get("attachment"),
        )
    except services.ForumError as error:
        form.add_error(None, str(error))
        return _topic_form_page(request, space, form)
    _after_post_messages(request, post, unknown)
    return redirect("community:topic", post.topic_id)


def _after_post_messages(request, post, unknown):
    if not post.approved:
        messages.info(request, _("Your message will appear once a moderator has approved it."))
    if unknown:
        messages.warning(
            request,
            _("Nobody was notified for %(handles)s: no member who may read this topic has "
              "that name.") % {"handles": ", ".join("@" + h for h in unknown)},
        )  # fmt: skip


@approved_member_required
def ask(request):
    """The search page's "ask on the forum": choose a forum, the title prefilled with the
    query."""
    spaces = [s for s in services.spaces_for(request.user) if can_post(request.user, s)]
    return render(
        request, "forum/ask.html", {"spaces": spaces, "query": request.GET.get("q", "")[:200]}
    )


@approved_member_required
def topic_view(request, topic_id):
    topic = services.topic_or_404(request, topic_id)
    space = topic.forum.space
    moderator = is_moderator(request.user)
    # What a member sees of an approved topic is their audience's (their own messages awaiting
    # approval, hidden messages' text and actions are personal fragments); a moderator's page
    # and the author's topic awaiting approval are theirs.
    shared = topic.approved and not moderator
    posts = services.topic_posts(None if shared else request.user, topic)
    page = Paginator(posts, POSTS_PER_PAGE).get_page(request.GET.get("page"))
    solution = services.solution_of(topic)
    solution = solution if solution is not None and _visible(solution) else None
    may_solve = services.may_mark_solution(request.user, topic)
    reader = None if shared else request.user.pk
    items = _decorate(page.object_list, reader, moderator, topic.first_post_id)
    fragments.add_html(request, items, solution, moderator, may_solve, topic if shared else None)
    response = render(
        request,
        "forum/topic.html",
        {
            "space": space,
            "topic": topic,
            "topic_argument": personal.topic_argument(topic),
            "page": page,
            "posts": items,
            "solution": solution,
            "moderator": moderator,
            "may_post": can_post(request.user, space),
            "may_reply": can_post(request.user, space) and (not topic.is_locked or moderator),
            "shared": shared,
            "poll": polls.poll_of(topic),
            "form": PostForm(),
            "move_form": MoveForm(spaces=services.spaces_for(request.user)) if moderator else None,
        },
    )
    return _shared(response, shared)


def _visible(post) -> bool:
    hidden, _reason = services.post_visible_text(post, None)
    return post.approved and not hidden


# Per-post links are built from one reverse() per route and page (50 posts, 4 links each).
_PK = 987654321
POST_LINKS = {
    "edit_url": "community:edit_post",
    "report_url": "community:report_post",
    "solution_url": "community:solution",
    "history_url": "community:post_history",
    "hide_url": "community:hide_post",
}


def _decorate(posts, reader_pk, moderator, question_pk):
    """What the topic page shows of each post, computed once: links, author, visibility,
    attachments (one query for the page). ``reader_pk``: None on a page shared by an
    audience (nothing is the reader's own)."""
    posts = list(posts)
    links = {key: reverse(name, args=[_PK]) for key, name in POST_LINKS.items()}
    attachments = services.attachments_of(posts)
    items = []
    for post in posts:
        hidden, reason = services.post_visible_text(post, None)
        own = reader_pk is not None and post.poster_id == reader_pk
        pk = str(post.pk)
        item = {key: url.replace(str(_PK), pk) for key, url in links.items()}
        item.update(
            post=post,
            pk=post.pk,
            created=post.created,
            created_iso=post.created.isoformat(),
            edited=bool(post.updates_count),
            approved=post.approved,
            author=services.display_name(post.poster),
            hidden=hidden,
            reason=reason,
            show_text=not hidden or moderator or own,
            own=own,
            question=post.pk == question_pk,
            attachments=attachments.get(post.pk, ()),
        )
        items.append(item)
    return items


@approved_member_required
def reply(request, topic_id):
    topic = services.topic_or_404(request, topic_id)
    space = topic.forum.space
    if not can_post(request.user, space):
        refuse(request, type(topic), pk=topic_id, action="reply")
    form = PostForm(request.POST or None, request.FILES or None)
    preview = ""
    if request.method == "POST" and form.is_valid():
        if "preview" in request.POST:
            preview = render_markdown(form.cleaned_data["content"])
        else:
            try:
                post, unknown = services.reply(
                    request.user,
                    topic,
                    form.cleaned_data["content"],
                    form.cleaned_data.get("attachment"),
                )
            except services.ForumError as error:
                form.add_error(None, str(error))
            else:
                _after_post_messages(request, post, unknown)
                return redirect("community:post", post.pk)
    return render(
        request,
        "forum/post_form.html",
        {"space": space, "topic": topic, "form": form, "preview": preview},
    )


@approved_member_required
def post_view(request, post_id):
    post = services.post_or_404(request, post_id)
    position = services.posts_for(request.user, post.topic).filter(created__lt=post.created).count()
    page = position // POSTS_PER_PAGE + 1
    url = reverse("community:topic", args=[post.topic_id])
    return redirect(f"{url}?page={page}#post-{post.pk}" if page > 1 else f"{url}#post-{post.pk}")


@approved_member_required
def attachment(request, attachment_id):
    found = services.visible_attachment(request, attachment_id)
    response = FileResponse(found.file.open("rb"), as_attachment=True, filename=found.filename)
    response["X-Content-Type-Options"] = "nosniff"
    return response


@approved_member_required
def edit_post(request, post_id):
    post = services.post_or_404(request, post_id)
    space = post.topic.forum.space
    own = post.poster_id == request.user.pk and can_post(request.user, space)
    if not (own or is_moderator(request.user)):
        refuse(request, Post, pk=post_id, action="edit")
    form = PostForm(request.POST or None, initial={"content": post.content.raw})
    del form.fields["attachment"]  # attachments are added with a new message
    preview = ""
    if request.method == "POST" and form.is_valid():
        if "preview" in request.POST:
            preview = render_markdown(form.cleaned_data["content"])
        else:
            services.edit_post(request.user, post, form.cleaned_data["content"])
            messages.success(request, _("Your changes are saved."))
            return redirect("community:post", post.pk)
    return render(
        request,
        "forum/post_form.html",
        {"space": space, "topic": post.topic, "form": form, "preview": preview, "editing": post},
    )


@approved_member_required
def report_post(request, post_id):
    post = services.post_or_404(request, post_id)
    form = ReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.report(
                request.user, post, form.cleaned_data["reason"], form.cleaned_data["comment"]
            )
        except services.ForumError as error:
            messages.info(request, str(error))
        else:
            messages.success(
                request, _("Thank you: the moderators will look at it and tell you the outcome.")
            )
        return redirect("community:post", post.pk)
    return render(request, "forum/report.html", {"post": post, "form": form})


@require_POST
@approved_member_required
def mark_solution(request, post_id):
    post = services.post_or_404(request, post_id)
    try:
        services.mark_solution(request.user, post)
    except services.ForumError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Marked as the solution."))
    return redirect("community:topic", post.topic_id)


@require_POST
@approved_member_required
def follow_topic(request, topic_id):
    topic = services.topic_or_404(request, topic_id)
    on = request.POST.get("on") == "1"
    services.follow_topic(request.user, topic, on)
    messages.success(request, _("You follow this topic.") if on else _("You no longer follow it."))
    return redirect("community:topic", topic.pk)


@require_POST
@approved_member_required
def follow_forum(request, forum_id):
    space = services.space_or_404(request, forum_id)
    on = request.POST.get("on") == "1"
    services.follow_forum(request.user, space, on)
    messages.success(request, _("You follow this forum.") if on else _("You no longer follow it."))
    return redirect("community:forum", space.forum_id)


def _mention_answer(request, space):
    found = services.mention_candidates(request.user, space, request.GET.get("q", ""))
    return JsonResponse({"members": found})


@approved_member_required
def mentions(request, topic_id):
    return _mention_answer(request, services.topic_or_404(request, topic_id).forum.space)


@approved_member_required
def forum_mentions(request, forum_id):
    """Autocompletion while starting a topic: members who will read it."""
    return _mention_answer(request, services.space_or_404(request, forum_id))


@require_POST
@approved_member_required
def lock_topic(request, topic_id):
    _moderator_or_404(request)
    topic = services.topic_or_404(request, topic_id)
    services.set_locked(request.user, topic, request.POST.get("on") == "1")
    return redirect("community:topic", topic.pk)


@require_POST
@approved_member_required
def move_topic(request, topic_id):
    _moderator_or_404(request)
    topic = services.topic_or_404(request, topic_id)
    form = MoveForm(request.POST, spaces=services.spaces_for(request.user))
    if form.is_valid():
        space = services.space_or_404(request, form.cleaned_data["forum"])
        services.move_topic(request.user, topic, space)
        messages.success(request, _("Topic moved."))
    else:
        messages.error(request, _("Choose the forum to move the topic to."))
    return redirect("community:topic", topic.pk)


@require_POST
@approved_member_required
def hide_post(request, post_id):
    _moderator_or_404(request)
    post = services.post_or_404(request, post_id)
    form = ReasonForm(request.POST)
    form.is_valid()
    try:
        services.set_hidden(
            request.user, post, request.POST.get("on") == "1", form.cleaned_data.get("reason", "")
        )
    except services.ForumError as error:
        messages.error(request, str(error))
    return redirect("community:post", post.pk)


@require_POST
@approved_member_required
def approve_post(request, post_id):
    _moderator_or_404(request)
    post = services.post_or_404(request, post_id)
    services.approve_post(request.user, post)
    messages.success(request, _("Message approved."))
    return redirect("community:moderation")


@approved_member_required
def post_history(request, post_id):
    _moderator_or_404(request)
    post = services.post_or_404(request, post_id)
    revisions = PostRevision.objects.filter(post=post).select_related("edited_by")
    return render(request, "forum/history.html", {"post": post, "revisions": revisions})


@approved_member_required
def moderation(request):
    _moderator_or_404(request)
    reports, waiting = services.moderation_queue(request.user)
    reports, waiting = list(reports), list(waiting)
    posts = [report.post for report in reports] + waiting
    return render(
        request,
        "forum/moderation.html",
        {
            "reports": reports,
            "waiting": waiting,
            "reason_form": ReasonForm(),
            "suspendable": services.suspendable_post_ids(request.user, posts),
            "regional_admin": can_decide(request.user),
        },
    )


@require_POST
@approved_member_required
def handle_report(request, report_id):
    _moderator_or_404(request)
    report = (
        PostReport.objects.filter(
            pk=report_id,
            status=ReportStatus.OPEN,
            post__topic__forum_id__in=services.moderated_forum_ids(request.user),
        )
        .select_related("post__topic")
        .first()
    )
    if report is None:
        refuse(request, PostReport, pk=report_id)
    form = ReasonForm(request.POST)
    form.is_valid()
    services.handle_report(
        request.user, report, request.POST.get("uphold") == "1", form.cleaned_data.get("reason", "")
    )
    messages.success(request, _("Report handled: the reporter is told the outcome."))
    return redirect("community:moderation")


@approved_member_required
def suspend_author(request, post_id):
    """A forum moderator suspends a post's author through the portal's membership flow."""
    _moderator_or_404(request)
    post = services.post_or_404(request, post_id)
    profile = services.suspendable_author(request.user, post)
    if profile is None:
        refuse(request, Post, pk=post_id, action="suspend")
    form = SuspensionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.suspend_author(request.user, post, form.cleaned_data["reason"], request)
        messages.success(
            request, _("The member is suspended and their sessions ended; they are told why.")
        )
        return redirect("community:moderation")
    return render(
        request,
        "forum/suspend.html",
        {"post": post, "member": services.display_name(profile.user), "form": form},
    )


@approved_member_required
def poll(request, topic_id):
    """A topic's poll: the vote form while the member may vote, the results when they may see
    them (POST: a vote)."""
    topic = services.topic_or_404(request, topic_id)
    found = polls.poll_of(topic)
    if found is None:
        refuse(request, type(topic), pk=topic_id, poll="none")
    chosen = polls.choices_of(request.user, found)
    error = ""
    if request.method == "POST":
        try:
            ids = [int(value) for value in request.POST.getlist("option")]
        except ValueError:
            ids = None
        try:
            if ids is None:
                raise polls.PollError(_("Choose among the poll's answers."))
            polls.vote(request.user, found, ids)
        except polls.PollError as refusal:
            error = str(refusal)
        else:
            messages.success(request, _("Your vote is recorded."))
            return redirect("community:poll", topic.pk)
    may_see = polls.may_see_results(request.user, found, bool(chosen))
    rows, voters = polls.results(found) if may_see else ([], 0)
    return render(
        request,
        "forum/poll.html",
        {
            "space": topic.forum.space,
            "topic": topic,
            "poll": found,
            "options": list(found.options.order_by("pk")),
            "chosen": chosen,
            "may_vote": polls.may_vote(request.user, found, bool(chosen)),
            "is_open": polls.is_open(found),
            "closes_at": polls.closes_at(found),
            "results": rows,
            "voters": voters,
            "may_see_results": may_see,
            "error": error,
        },
        status=400 if error else 200,
    )


@approved_member_required
def new_poll(request, topic_id):
    topic = services.topic_or_404(request, topic_id)
    if not polls.may_create(request.user, topic):
        refuse(request, type(topic), pk=topic_id, action="poll")
    form = PollForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        polls.create(
            request.user, topic, data["question"], data["options"], data["max_options"],
            data["duration"], data["user_changes"], data["hide_results"],
        )  # fmt: skip
        messages.success(request, _("The poll is open."))
        return redirect("community:poll", topic.pk)
    return render(
        request, "forum/poll_form.html", {"space": topic.forum.space, "topic": topic, "form": form}
    )
