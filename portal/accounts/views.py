import json

from allauth.account.decorators import reauthentication_required
from django.contrib import messages
from django.contrib.auth import get_user_model, logout
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from portal.accounts import personal_data, profile_page, services
from portal.accounts.forms import ClaimDecisionForm, DecisionForm, ProfileForm, SuspensionForm
from portal.accounts.models import MemberProfile, MemberStatus
from portal.page_cache import mark_cacheable


@login_required
def membership_status(request):
    profile = (
        MemberProfile.objects.filter(user=request.user).select_related("establishment").first()
    )
    claims = profile.role_claims.order_by("-requested_at", "-pk") if profile else []
    return render(request, "accounts/status.html", {"profile": profile, "claims": claims})


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
            action = data["action"]
            if action in ("approve", "reject"):
                profile = services.pending_queue().filter(pk=data["profile"]).first()
            else:
                profile = services.auto_approvals().filter(pk=data["profile"]).first()
            if profile is None:
                messages.error(request, _("This request has already been decided."))
            elif action == "approve":
                services.approve(profile, request.user, data["reason"], request)
                messages.success(request, _("Membership approved; the person has been told."))
            elif action == "reject":
                services.reject(profile, request.user, data["reason"], request)
                messages.success(request, _("Request rejected; the person has been told why."))
            elif action == "keep":
                services.keep_auto_approval(profile, request.user, request)
                messages.success(request, _("The membership is kept."))
            else:
                services.revoke_auto_approval(profile, request.user, data["reason"], request)
                messages.success(
                    request, _("The membership is revoked; the person has been told why.")
                )
            return redirect("membership:queue")
    return render(
        request,
        "accounts/queue.html",
        {
            "queue": services.pending_queue(),
            "auto_approvals": services.auto_approvals(),
            "claims_count": services.claims_to_decide(request.user).count(),
            "decision_form": decision_form,
            "suspension_form": suspension_form,
            "members_count": get_user_model()
            .objects.filter(member_profile__status=MemberStatus.APPROVED)
            .count(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def role_claims(request):
    """Approved directors and RSSI confirm the security roles claimed in their establishment;
    regional administrators, everywhere. Anyone else gets 404."""
    if not services.may_confirm_claims(request.user):
        raise Http404
    form = ClaimDecisionForm()
    if request.method == "POST":
        form = ClaimDecisionForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            confirm = data["action"] == "confirm"
            claim = services.decide_claim(
                data["claim"], request.user, confirm, data["reason"], request
            )
            if claim is None:
                messages.error(request, _("This claim has already been decided."))
            elif confirm:
                messages.success(request, _("Role confirmed; the person has been told."))
            else:
                messages.success(request, _("Role declined; the person has been told why."))
            return redirect("membership:claims")
    return render(
        request,
        "accounts/claims.html",
        {
            "claims": services.claims_to_decide(request.user).order_by("requested_at", "pk"),
            "form": form,
            "regional": services.can_decide(request.user),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def profile(request):
    """Cached per audience: the form and the membership are personal fragments
    (``profile_page``); a form with errors is rendered whole, never kept."""
    if request.method == "GET":
        # Loaded with the user (``MemberBackend``, its cached copy current by its token).
        member_profile = profile_page.profile_of(request.user)
    else:  # read afresh for the update
        member_profile = (
            MemberProfile.objects.filter(user=request.user).select_related("establishment").first()
        )
    if member_profile is None:
        return redirect("membership:status")
    context = {
        "approved": member_profile.is_approved,
        "confirms_claims": services.may_confirm_claims(request.user),
    }
    if request.method == "GET":
        return mark_cacheable(render(request, "accounts/profile.html", context))
    form = ProfileForm(request.POST, instance=member_profile, user=request.user)
    if form.is_valid():
        form.save()
        messages.success(request, _("Your profile is saved."))
        return redirect("membership:profile")
    context |= {"form": form, **profile_page.membership_context(member_profile, request.user)}
    return render(request, "accounts/profile.html", context)


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
