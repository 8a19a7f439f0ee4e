from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from portal.notifications import services

LIST_LIMIT = 50


@login_required
def notification_list(request):
    return render(
        request,
        "notifications/list.html",
        {"items": services.visible_notifications(request.user, LIST_LIMIT)},
    )


@login_required
@require_POST
def mark_read(request, pk):
    services.mark_read(request.user, [pk])
    return redirect("notifications:list")


@login_required
@require_POST
def mark_all_read(request):
    if services.mark_all_read(request.user):
        messages.success(request, _("All your notifications are marked as read."))
    return redirect("notifications:list")


@login_required
def open_notification(request, pk):
    url = services.open_notification(request.user, pk)
    if url is None:
        raise Http404
    return redirect(url)


# The token in the address is the authority: mail clients post here with no session and no CSRF
# token (RFC 8058 one-click). A GET only shows the confirmation, so link scanners change nothing.
@csrf_exempt
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token):
    found = services.read_unsubscribe_token(token)
    if found is None:
        return render(request, "notifications/unsubscribe_invalid.html", status=400)
    user, kinds = found
    done = request.method == "POST"
    if done:
        services.unsubscribe(user, kinds)
    return render(
        request, "notifications/unsubscribe.html", {"kinds": kinds, "done": done, "token": token}
    )
