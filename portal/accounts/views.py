import json

from allauth.account.decorators import reauthentication_required
from django.contrib import messages
from django.contrib.auth import get_user_model, logout
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from portal.accounts import personal_data, services
from portal.accounts.forms import DecisionForm, ProfileForm, SuspensionForm
from portal.accounts.models import MemberProfile, MemberStatus


@login_required
def membership_status(request):
    profile = (
        MemberProfile.objects.filter(user=request.user).select_related("establishment").first()
    )
    return render(request, "accounts/status.html", {"profile": profile})


@login_required
@require_http_methods(["GET", "POST"])
def approval_queue(request):
    """Regional administrators approve or reject requests and suspend members; others get 404."""
    if not services.can_decide(request.user):
        raise Http404
    decision_form, suspension_form = DecisionForm(), SuspensionForm()
    if request.method == "POST" and "suspend" in request.POST:
        suspension_form = SuspensionForm(request.POST)
        if suspension_form.is_valid():
            profile = MemberProfile.objects.filter(
                user__email__iexact=suspension_form.cleaned_data["email"],
                status=MemberStatus.APPROVED,
            ).first()
            if profile is None:
                suspension_form.add_error("email", _("No approved member has this address."))
            else:
                services.suspend(
                    profile, request.user, suspension_form.cleaned_data["reason"], request
                )
                messages.success(request, _("The member is suspended and their sessions ended."))
                return redirect("membership:queue")
    elif request.method == "POST":
        decision_form = DecisionForm(request.POST)
        if decision_form.is_valid():
            data = decision_form.cleaned_data
            profile = services.pending_queue().filter(pk=data["profile"]).first()
            if profile is None:
                messages.error(request, _("This request has already been decided."))
            elif data["action"] == "approve":
                services.approve(profile, request.user, data["reason"], request)
                messages.success(request, _("Membership approved; the person has been told."))
            else:
                services.reject(profile, request.user, data["reason"], request)
                messages.success(request, _("Request rejected; the person has been told why."))
            return redirect("membership:queue")
    return render(
        request,
        "accounts/queue.html",
        {
            "queue": services.pending_queue(),
            "decision_form": decision_form,
            "suspension_form": suspension_form,
            "members_count": get_user_model()
            .objects.filter(member_profile__status=MemberStatus.APPROVED)
            .count(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def profile(request):
    member_profile = (
        MemberProfile.objects.filter(user=request.user).select_related("establishment").first()
    )
    if member_profile is None:
        return redirect("membership:status")
    form = ProfileForm(request.POST or None, instance=member_profile, user=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Your profile is saved."))
        return redirect("membership:profile")
    contacts = []
    if member_profile.is_approved and member_profile.establishment_id:
        contacts = services.establishment_contacts(member_profile.establishment, request.user)
    return render(
        request,
        "accounts/profile.html",
        {"form": form, "profile": member_profile, "contacts": contacts},
    )


@login_required
def personal_data_export(request):
    body = json.dumps(personal_data.export(request.user), ensure_ascii=False, indent=2)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="mes-donnees-cyberportail.json"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
@reauthentication_required
def delete_account(request):
    if request.method == "POST" and request.POST.get("confirm") == "yes":
        user = request.user
        logout(request)
        personal_data.delete_account(user, request)
        messages.success(request, _("Your account is deleted."))
        return redirect("/")
    return render(request, "accounts/delete.html")
