"""Who counts as an approved member, decided once for every module.

Approved members, and superusers (who may view everything, see ``policy.can_view``), use the
features reserved to members: reader tools, experience feedback, statistics.
"""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.http import Http404

from portal.access.membership import membership_of


def is_approved_member(user) -> bool:
    member = membership_of(user)
    return member.approved or member.is_superuser


def approved_member_required(view):
    """Anonymous visitors are sent to the login; signed-in people who are not approved members
    get 404, as for restricted content."""

    @wraps(view)
    @login_required
    def wrapper(request, *args, **kwargs):
        if not is_approved_member(request.user):
            raise Http404
        return view(request, *args, **kwargs)

    return wrapper
