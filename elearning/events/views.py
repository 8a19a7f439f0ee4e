"""The events' own views, reached through the event and index pages' routes: they check
access and call ``elearning.events.services``."""

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from elearning.events import calendars, certificates, notifications, personal, services
from elearning.events.forms import AttendanceImportForm, MessageForm, SurveyForm
from elearning.events.models import RegistrationStatus
from elearning.events.services import RegistrationError
from portal import page_cache
from portal.access import is_approved_member


def _approved(request):
    """None when the user is an approved member; else the login (visitors) or 404."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not is_approved_member(request.user):
        raise Http404
    return None


def _render(request, page, template, context, status=200):
    context = {"page": page, "self": page, "request": request} | context
    return TemplateResponse(request, template, context, status=status)


def _organiser_or_404(request, event):
    if (refusal := _approved(request)) is not None:
        return refusal
    if not services.is_organiser(request.user):
        raise Http404
    return None


def _calendar_response(data: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


@require_safe
def index_redirect(request):
    """The header's entry: the events page (404 while there is none)."""
    index = services.index_page()
    if index is None or not index.url:
        raise Http404
    return redirect(index.url)


# --- Registration -----------------------------------------------------------------------------


def register(request, event):
    if request.method != "POST":
        return redirect(event.url)
    if (refusal := _approved(request)) is not None:
        return refusal
    try:
        registration = services.register(request.user, event)
    except RegistrationError as error:
        messages.error(request, str(error))
        return redirect(event.url)
    if registration.status == RegistrationStatus.WAITING:
        messages.warning(
            request,
            _(
                "The event is full: you are on the waiting list. You will be notified if a "
                "place frees up."
            ),
        )
    else:
        messages.success(request, _("You are registered. See you there!"))
    return redirect(event.url)


def cancel(request, event):
    if request.method != "POST":
        return redirect(event.url)
    if (refusal := _approved(request)) is not None:
        return refusal
    try:
        services.cancel(request.user, event)
    except RegistrationError as error:
        messages.error(request, str(error))
        return redirect(event.url)
    messages.success(request, _("Your registration is cancelled."))
    return redirect(event.url)


def event_ics(request, event):
    """The event's calendar file; the online link only in a registered participant's copy."""
    registration = services.active_registration(request.user, event)
    registered = registration is not None and registration.status == RegistrationStatus.REGISTERED
    return _calendar_response(calendars.event_ics(event, registered), f"{event.slug}.ics")


# --- Organisers -------------------------------------------------------------------------------


def participants(request, event, import_report=None, import_form=None):
    if (refusal := _organiser_or_404(request, event)) is not None:
        return refusal
    message_form = MessageForm()
    if request.method == "POST" and import_report is None:
        action = request.POST.get("action")
        if action == "attendance":
            marked = services.mark_attendance(event, request.POST.getlist("attended"))
            messages.success(request, _("Attendance saved: %(n)s present.") % {"n": marked})
            return redirect(request.path)
        if action in {"close", "open"}:
            services.set_registration_closed(event, action == "close")
            if action == "close":
                messages.success(request, _("Registration is closed."))
            else:
                messages.success(request, _("Registration is open again."))
            return redirect(request.path)
        if action == "message":
            message_form = MessageForm(request.POST)
            if message_form.is_valid():
                sent = notifications.message_participants(
                    event, message_form.cleaned_data["subject"], message_form.cleaned_data["body"]
                )
                messages.success(request, _("Message sent to %(n)s participant(s).") % {"n": sent})
                return redirect(request.path)
        else:
            messages.error(request, _("Unknown action."))
            return redirect(request.path)
    rows = list(services.participants(event))
    registered = [r for r in rows if r.status == RegistrationStatus.REGISTERED]
    context = {
        "event": event,
        "registered": registered,
        "waiting": [r for r in rows if r.status == RegistrationStatus.WAITING],
        "attended_count": sum(1 for r in registered if r.attended),
        "message_form": message_form,
        "import_form": import_form or AttendanceImportForm(),
        "import_report": import_report,
        "results": services.survey_results(event) if event.is_past else None,
    }
    status = 400 if (import_form is not None and not import_form.is_valid()) else 200
    if message_form.is_bound and not message_form.is_valid():
        status = 400
    return _render(request, event, "elearning/events/participants.html", context, status)


def attendance_import(request, event):
    if (refusal := _organiser_or_404(request, event)) is not None:
        return refusal
    if request.method != "POST":
        return redirect(event.url + event.reverse_subpage("participants"))
    form = AttendanceImportForm(request.POST, request.FILES)
    if not form.is_valid():
        return participants(request, event, import_report=False, import_form=form)
    try:
        report = services.import_attendance(event, form.cleaned_data["file"].read())
    except RegistrationError as error:
        form.add_error("file", str(error))
        return participants(request, event, import_report=False, import_form=form)
    return participants(request, event, import_report=report)


# --- Participants after the event -------------------------------------------------------------


def certificate(request, event):
    if (refusal := _approved(request)) is not None:
        return refusal
    registration = services.attended_registration(request.user, event)
    if registration is None:
        raise Http404
    if not registration.participant_name:
        registration.participant_name = services.participant_name(request.user)
        registration.save(update_fields=["participant_name"])
    response = HttpResponse(
        certificates.attendance_pdf(registration), content_type="application/pdf"
    )
    response["Content-Disposition"] = (
        f'attachment; filename="attestation-presence-{registration.certificate_code}.pdf"'
    )
    return response


def survey(request, event):
    if (refusal := _approved(request)) is not None:
        return refusal
    registration = services.survey_registration(request.user, event)
    if registration is None:
        raise Http404
    answer = getattr(registration, "survey_answer", None)
    initial = {"rating": answer.rating, "comment": answer.comment} if answer else None
    form = SurveyForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.answer_survey(
                registration, form.cleaned_data["rating"], form.cleaned_data["comment"]
            )
        except RegistrationError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Thank you for your answer."))
            return redirect(event.url)
    status = 400 if form.is_bound else 200
    return _render(
        request, event, "elearning/events/survey.html", {"form": form, "event": event}, status
    )


# --- The member's registrations and calendar feed ---------------------------------------------


def my_events(request, index):
    if (refusal := _approved(request)) is not None:
        return refusal
    if request.method == "POST":
        if request.POST.get("action") == "revoke":
            calendars.revoke_feed(request.user)
            messages.success(request, _("Your calendar link is revoked: it no longer works."))
        else:
            calendars.create_feed(request.user)
            messages.success(request, _("Your new calendar link is ready."))
        return redirect(request.path)
    # The page is shared per audience (the page cache); the member's registrations and
    # calendar address are its personal fragment (``elearning.events.personal``).
    shown = personal.ShownIndex.of(index, request).argument
    response = _render(request, index, "elearning/events/my_events.html", {"shown_index": shown})
    return page_cache.mark_cacheable(response)


def feed(request, index, token):
    """The secret feed: no login (calendar applications fetch it), 404 for an unknown or
    revoked token."""
    owner = calendars.feed_owner(token)
    if owner is None:
        raise Http404
    return _calendar_response(
        calendars.feed_ics(owner, services.registrations_for_feed(owner)), "mes-evenements.ics"
    )
