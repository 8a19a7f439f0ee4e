"""Experience feedback views: the member's submission in steps, their list, the statistics."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from docs_base.models import RexSubmission, SubmissionStatus
from docs_base.rex import anonymity, forms, services, statistics
from portal.access import approved_member_required


def rex_home(request):
    """The experience feedback section (navigation entry): the REX index page."""
    index = services.rex_index()
    if index is None or not (url := index.get_url(request)):
        raise Http404
    return redirect(url)


def _own_submission(request, pk):
    submissions = RexSubmission.objects.select_related("page")
    return get_object_or_404(submissions, pk=pk, owner=request.user)


@approved_member_required
@require_http_methods(["GET", "POST"])
def submission_new(request):
    try:
        services.check_draft_allowance(request.user)
    except services.SubmissionError as error:
        messages.error(request, str(error))
        return redirect("docs_base:rex_mine")
    return _step(request, services.new_submission(request.user), forms.STEPS[0])


@approved_member_required
@require_http_methods(["GET", "POST"])
def submission_step(request, pk, step):
    submission = _own_submission(request, pk)
    if (current := forms.STEPS_BY_SLUG.get(step)) is None:
        raise Http404
    if not submission.editable:
        messages.info(request, _("This experience feedback is with the moderators."))
        return redirect("docs_base:rex_mine")
    if current.slug == "review":
        return _review(request, submission, current)
    return _step(request, submission, current)


def _neighbours(step):
    position = forms.STEPS.index(step)
    previous = forms.STEPS[position - 1] if position else None
    following = forms.STEPS[position + 1] if position + 1 < len(forms.STEPS) else None
    return position, previous, following


def _context(submission, step, **extra):
    position, previous, following = _neighbours(step)
    return {
        "submission": submission,
        "step": step,
        "steps": forms.STEPS,
        "position": position + 1,
        "previous": previous,
        "following": following,
        **extra,
    }


def _step(request, submission, step):
    data = request.POST if request.method == "POST" else None
    form = step.form_class(data, instance=submission)
    timeline = forms.timeline_formset(submission, data) if step.slug == "incident" else None
    if data is not None:
        if form.is_valid() and (timeline is None or timeline.is_valid()):
            try:
                submission = services.save_step(form, timeline.steps() if timeline else None)
            except services.SubmissionError as error:
                messages.error(request, str(error))
                return redirect("docs_base:rex_mine")
            if "save_draft" in request.POST:
                messages.success(request, _("Your draft is saved."))
                return redirect("docs_base:rex_mine")
            _position, _previous, following = _neighbours(step)
            return redirect("docs_base:rex_submission_step", pk=submission.pk, step=following.slug)
        messages.error(request, _("Some answers need your attention: nothing was saved."))
    return render(
        request,
        "docs_base/rex/submission_step.html",
        _context(submission, step, form=form, timeline=timeline),
    )


def _review(request, submission, step):
    form = forms.ReviewForm(request.POST or None, instance=submission)
    missing = services.missing_steps(submission)
    if request.method == "POST" and form.is_valid():
        try:
            services.submit(form.save(commit=False), request.user)
        except services.SubmissionError as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request,
                _(
                    "Thank you: your experience feedback is with the moderators. "
                    "You will be told by e-mail."
                ),
            )
            return redirect("docs_base:rex_mine")
        submission.refresh_from_db()
    return render(
        request,
        "docs_base/rex/submission_review.html",
        _context(
            submission, step, form=form, missing=missing, shown=anonymity.shown_context(submission)
        ),
    )


@approved_member_required
def mine(request):
    return render(
        request,
        "docs_base/rex/mine.html",
        {"submissions": services.user_submissions(request.user), "statuses": SubmissionStatus},
    )


@approved_member_required
@require_POST
def submission_delete(request, pk):
    submission = _own_submission(request, pk)
    if submission.status != SubmissionStatus.DRAFT or submission.page_id is not None:
        messages.error(request, _("Only a draft that was never submitted can be deleted."))
    else:
        submission.delete()
        messages.success(request, _("The draft is deleted."))
    return redirect("docs_base:rex_mine")


@approved_member_required
def regional_statistics(request):
    return render(
        request,
        "docs_base/rex/statistics.html",
        {"figures": statistics.regional_figures(request.user), "index": services.rex_index()},
    )
