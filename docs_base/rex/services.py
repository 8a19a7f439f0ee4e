"""Experience feedback (REX): listing, reading, and a member's submission to moderation."""

import datetime
from dataclasses import dataclass

from django import forms
from django.conf import settings
from django.core.paginator import Page as PaginatorPage
from django.core.paginator import Paginator
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.models import Page

from docs_base.models.rex import (
    IncidentType,
    RexIndexPage,
    RexPage,
    RexSubmission,
    SubmissionStatus,
)
from docs_base.rex import anonymity
from docs_base.rex.forms import STEPS
from docs_base.rex.workflow import ensure_rex_workflow
from portal.access import can_view, visible_to
from portal.modules import HomeItem

PER_PAGE = 12
# The debrief fields a submission and its page share (``RexDebrief``), copied both ways.
DEBRIEF_FIELDS = (
    "summary",
    "establishment_type",
    "size_band",
    "department",
    "show_establishment_name",
    "incident_type",
    "occurred_on",
    "detection",
    "duration_days",
    "impact_patient_care",
    "impact_pay",
    "impact_billing",
    "impact_services_shut_down",
    "impact_data",
    "impact_description",
    "cost_range",
    "what_worked",
    "what_did_not_work",
    "lessons_learnt",
    "recommendations",
    "tlp",
)


class SubmissionError(Exception):
    """A submission that cannot be sent to moderation; the message is for the author."""


def rex_index():
    return RexIndexPage.objects.live().order_by("path").first()


def live_rex():
    return RexPage.objects.live().public()


# --- Reading ------------------------------------------------------------------------------


class RexFilterForm(forms.Form):
    incident_type = forms.ChoiceField(label=gettext_lazy("Incident type"), required=False)
    # Only the types shown as such region-wide, and the families (docs_base.rex.anonymity):
    # filtering by a rarer type would tell which REX come from it.
    establishment_type = forms.ChoiceField(label=gettext_lazy("Establishment type"), required=False)

    def __init__(self, *args, population, **kwargs):
        super().__init__(*args, **kwargs)
        everything = [("", gettext_lazy("All"))]
        self.fields["incident_type"].choices = everything + list(IncidentType.choices)
        self.fields["establishment_type"].choices = everything + anonymity.type_filter_choices(
            population
        )


@dataclass
class Listing:
    form: RexFilterForm
    page: PaginatorPage
    count: int
    filtered: bool
    page_numbers: list  # numbers, with the paginator's ellipsis between distant ones


def browse(user, index, params) -> Listing:
    """The REX under ``index`` that ``user`` may view, filtered and paginated, each with the
    context shown to readers (4 queries)."""
    population = anonymity.Population.load()
    form = RexFilterForm(params, population=population)
    queryset = visible_to(user, RexPage.objects.child_of(index).live().public())
    filtered = False
    if form.is_valid():
        if value := form.cleaned_data["incident_type"]:
            queryset = queryset.filter(incident_type=value)
            filtered = True
        if value := form.cleaned_data["establishment_type"]:
            queryset = queryset.filter(establishment_type__in=anonymity.kinds_for_filter(value))
            filtered = True
    queryset = queryset.order_by("-first_published_at", "-pk").only(
        "title",
        "url_path",
        "summary",
        "incident_type",
        "establishment_type",
        "size_band",
        "department",
        "show_establishment_name",
        "occurred_on",
        "tlp",
        "first_published_at",
        "access_level",
    )
    page = Paginator(queryset, PER_PAGE).get_page(params.get("page"))
    page.object_list = list(page.object_list)
    for rex in page.object_list:
        rex.shown_context = anonymity.shown_context(rex, population)
    numbers = list(page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1))
    return Listing(
        form=form, page=page, count=page.paginator.count, filtered=filtered, page_numbers=numbers
    )


def visible_cited_pages(user, page) -> list:
    """The live pages a REX cites that ``user`` may view, in the order given."""
    ids = [item["value"] for item in page.cited_pages.raw_data if item.get("type") == "page"]
    if not ids:
        return []
    found = {
        cited.pk: cited
        for cited in Page.objects.filter(pk__in=ids).live().public().specific()
        if not hasattr(cited, "access_level") or can_view(user, cited)
    }
    return [found[pk] for pk in dict.fromkeys(ids) if pk in found]


def latest(user, limit: int) -> list[HomeItem]:
    """The newest REX ``user`` may view, for the home page."""
    pages = (
        visible_to(user, live_rex())
        .order_by("-first_published_at", "-pk")
        .only("title", "url_path", "summary", "first_published_at")[:limit]
    )
    items = []
    for page in pages:
        if url := page.get_url():
            date = page.first_published_at.date() if page.first_published_at else None
            items.append(HomeItem(title=page.title, url=url, date=date, summary=page.summary))
    return items


# --- Submission -------------------------------------------------------------------------


def new_submission(user):
    """An unsaved draft for ``user``, its context prefilled from their establishment."""
    profile = getattr(user, "member_profile", None)  # a superuser may have none
    establishment = profile.establishment if profile is not None else None
    submission = RexSubmission(owner=user, establishment=establishment)
    if establishment is not None:
        submission.establishment_type = establishment.kind
        submission.department = establishment.department
    return submission


def check_draft_allowance(user) -> None:
    """Refuse a new draft when ``user`` already has ``REX_MAX_OPEN_DRAFTS`` open."""
    limit = settings.REX_MAX_OPEN_DRAFTS
    if RexSubmission.objects.filter(owner=user, status=SubmissionStatus.DRAFT).count() >= limit:
        raise SubmissionError(
            _(
                "You already have %(count)s drafts open: send or delete one of them before "
                "starting another."
            )
            % {"count": limit}
        )


@transaction.atomic
def save_step(form, timeline=None):
    """Save one step of the draft (its form is valid); ``timeline``: the dated steps, if any.

    A new draft is refused (``SubmissionError``) beyond the member's allowance."""
    submission = form.save(commit=False)
    if submission.pk is None:
        check_draft_allowance(submission.owner)
    if timeline is not None:
        submission.timeline = timeline
    submission.save()
    return submission


def missing_steps(submission) -> list:
    """The steps whose required answers are still missing."""
    return [
        step
        for step in STEPS
        if any(getattr(submission, name) in (None, "") for name in step.required)
    ]


def _unique_slug(parent, title: str) -> str:
    base = slugify(title)[:70].strip("-") or "rex"
    slug, number = base, 1
    siblings = parent.get_children()
    while siblings.filter(slug=slug).exists():
        number += 1
        slug = f"{base}-{number}"
    return slug


def timeline_to_stream(timeline) -> list[tuple]:
    return [
        (
            "step",
            {
                "date": datetime.date.fromisoformat(step["date"]),
                "time": datetime.time.fromisoformat(step["time"]) if step.get("time") else None,
                "description": step["description"],
            },
        )
        for step in timeline
    ]


def timeline_from_stream(stream) -> list[dict]:
    steps = []
    for block in stream:
        if block.block_type != "step":
            continue
        value = block.value
        steps.append(
            {
                "date": value["date"].isoformat() if value["date"] else "",
                "time": value["time"].strftime("%H:%M") if value.get("time") else "",
                "description": value["description"],
            }
        )
    return [step for step in steps if step["date"]]


def _copy_to_page(submission, page) -> None:
    page.title = submission.title
    for name in DEBRIEF_FIELDS:
        setattr(page, name, getattr(submission, name))
    page.timeline = timeline_to_stream(submission.timeline)
    page.reporting_establishment = submission.establishment
    page.establishment = None  # the marking decides; see RexPage.apply_marking


def take_back_moderated_version(submission) -> None:
    """Changes requested: the author goes on from the moderator's latest version of the page."""
    if submission.page is None:
        return
    moderated = submission.page.get_latest_revision_as_object()
    submission.title = moderated.title
    for name in DEBRIEF_FIELDS:
        setattr(submission, name, getattr(moderated, name))
    submission.timeline = timeline_from_stream(moderated.timeline)


@transaction.atomic
def submit(submission, user):
    """Send the draft to moderation: a draft page under the REX index, in its workflow.

    The first submission creates the page; after changes were requested, the page's latest
    version is updated and its workflow resumed. Nothing changes if anything fails.
    """
    if not submission.editable:
        raise SubmissionError(_("This experience feedback is already with the moderators."))
    if missing := missing_steps(submission):
        raise SubmissionError(
            _("Complete these steps first: %(steps)s.")
            % {"steps": ", ".join(str(step.label) for step in missing)}
        )
    index = rex_index()
    if index is None:
        raise SubmissionError(
            _("Experience feedback cannot be received at the moment: please try again later.")
        )
    if submission.page_id is None:
        page = RexPage(slug=_unique_slug(index, submission.title), live=False, owner=user)
        _copy_to_page(submission, page)
        index.add_child(instance=page)
    else:
        page = submission.page.get_latest_revision_as_object()
        _copy_to_page(submission, page)
    page.save_revision(user=user, log_action=True)
    submission.page = page
    submission.status = SubmissionStatus.IN_MODERATION
    submission.submitted_at = timezone.now()
    submission.moderator_comment = ""
    submission.save()
    # The workflow is started with no requesting user: the author is no admin user, so Wagtail's
    # own notifications (with links into the admin) must not reach them; they are told by
    # ``notifications``. The revision and the page's owner still name the author to moderators.
    workflow = page.get_workflow() or ensure_rex_workflow()
    state = page.current_workflow_state
    if state is not None and state.status == state.STATUS_NEEDS_CHANGES:
        state.resume(user=None)
    elif state is None:
        workflow.start(page, None)
    return page


def user_submissions(user) -> list:
    """The member's submissions, each with the context readers will see (2 queries)."""
    submissions = list(RexSubmission.objects.filter(owner=user).select_related("page"))
    population = anonymity.Population.load()
    for submission in submissions:
        submission.shown_context = anonymity.shown_context(submission, population)
    return submissions
