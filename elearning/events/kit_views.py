"""The kits' own views: the loan request (kit page route), the materials' downloads, and the
loans list, staff decisions and session reports (index page routes)."""

from django.contrib import messages
from django.http import FileResponse, Http404
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _

from elearning.events import kits, services
from elearning.events.forms import DecisionForm, LoanRequestForm, SessionReportForm
from elearning.events.kits import LoanError
from elearning.events.models import KitLoan, KitMaterial, LoanStatus
from elearning.events.views import _approved, _render
from portal.access import refuse

DOWNLOAD_CSP = "default-src 'none'; sandbox"


def request_loan(request, kit):
    if (refusal := _approved(request)) is not None:
        return refusal
    if not kits.can_request(request.user):
        raise Http404
    form = LoanRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            kits.request_loan(request.user, kit, data["starts_on"], data["ends_on"], data["note"])
        except LoanError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                _("Your request is sent. The GCS team will answer it; you will be notified."),
            )
            return redirect(kit.url)
    context = {"form": form, "kit": kit, "months": kits.availability(kit)}
    context["weekdays"] = kits.kit_context(request.user, kit)["weekdays"]
    status = 400 if form.is_bound else 200
    return _render(request, kit, "elearning/events/loan_request.html", context, status)


def material(request, kit, material_id):
    """A kit's file: approved members who may view the kit; the facilitator's guide only for
    facilitators. Anyone else gets 404, as for a missing file."""
    item = KitMaterial.objects.filter(kit=kit, pk=material_id).first()
    if item is None or not kits.may_download(request.user, kit, item):
        refuse(request, KitMaterial, kit=kit.pk, pk=material_id)
    try:
        handle = item.file.open("rb")
    except (FileNotFoundError, OSError):
        raise Http404 from None
    response = FileResponse(handle, as_attachment=True, filename=item.file.name.rsplit("/", 1)[-1])
    response["Content-Security-Policy"] = DOWNLOAD_CSP
    response["Cache-Control"] = "private, no-store"
    return response


def loans(request, index):
    """Staff: every request, the pending ones to decide; members: their establishment's."""
    if (refusal := _approved(request)) is not None:
        return refusal
    rows = list(kits.loans_for(request.user).prefetch_related("reports"))
    context = {
        "pending": [loan for loan in rows if loan.status == LoanStatus.PENDING],
        "others": [loan for loan in rows if loan.status != LoanStatus.PENDING],
        "is_staff_view": services.is_organiser(request.user),
        "today": timezone.localdate(),
    }
    return _render(request, index, "elearning/events/loans.html", context)


def decide(request, index, loan_id):
    if (refusal := _approved(request)) is not None:
        return refusal
    if not services.is_organiser(request.user):
        raise Http404
    if request.method != "POST":
        return redirect(index.subpage_url("loans"))
    loan = KitLoan.objects.filter(pk=loan_id).select_related("kit").first()
    if loan is None:
        raise Http404
    form = DecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose to approve or decline."))
        return redirect(index.subpage_url("loans"))
    try:
        kits.decide(
            request.user,
            loan,
            form.cleaned_data["decision"] == "approve",
            form.cleaned_data["note"],
        )
    except LoanError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Decision saved; the requester is notified."))
    return redirect(index.subpage_url("loans"))


def session_report(request, index, loan_id):
    if (refusal := _approved(request)) is not None:
        return refusal
    loan = kits.reportable_loan(request.user, loan_id)
    if loan is None:
        raise Http404
    form = SessionReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            kits.file_report(
                request.user,
                loan,
                data["played_on"],
                data["players"],
                data["roles"],
                data["duration_minutes"],
                data["debrief"],
            )
        except LoanError as error:
            form.add_error("played_on", str(error))
        else:
            messages.success(request, _("Thank you: your session report is filed."))
            return redirect(index.subpage_url("loans"))
    status = 400 if form.is_bound else 200
    context = {"form": form, "loan": loan}
    return _render(request, index, "elearning/events/session_report.html", context, status)
