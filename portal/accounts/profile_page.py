"""The member's own parts of the profile page, as personal fragments of a page cached per
audience (``portal.page_cache``).

The shared copy holds what the audience decides (the links to the account's security, data and
contributions, the claims to confirm); two fragments are rendered into it for each request:
the form (name and notification preferences, with its CSRF token) and the membership (the
establishment, roles, status, pending claim and security contacts). Each is rendered once per
process for a given state and kept (``_rendered``), so that a hit reads nothing else than the
cache: the state is the user's cache token (``user_cache``: any change to the user, their
profile or establishment replaces it, and here any change to their notification preferences or
role claims too) and, for the contacts, the version of a page-cache tag per establishment that
any change to one of its members' profiles or accounts bumps (``connect_signals``). A change
shows on the next request (in another process, within ``page_cache.VERSION_CHECK_SECONDS``, as
for any cached page).
"""

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models.signals import post_delete, post_save, pre_save
from django.template.loader import get_template
from django.utils.translation import get_language

from portal import page_cache
from portal.access import Role
from portal.accounts import services, user_cache
from portal.accounts.models import ClaimStatus, MemberProfile, RoleClaim
from portal.notifications.models import Preference

FORM = "accounts.profile-form"
MEMBERSHIP = "accounts.profile-membership"
FORM_TEMPLATE = "accounts/includes/profile_form.html"
MEMBERSHIP_TEMPLATE = "accounts/includes/profile_membership.html"
MISSING_TEMPLATE = "accounts/includes/profile_missing.html"
_rendered = page_cache.LocalLRU(size=2048)
CONTACTS_TAG = "accounts.contacts.{}"  # a page-cache tag per establishment
_OLD_ESTABLISHMENT_ATTR = "_profile_page_old_establishment"


def profile_of(user) -> MemberProfile | None:
    """The member profile loaded with the user (``MemberBackend``), or None."""
    try:
        return user.member_profile
    except MemberProfile.DoesNotExist:
        return None


def _pending_claim(profile) -> tuple | None:
    """(roles labels) of the member's pending claim, or None."""
    claim = (
        RoleClaim.objects.filter(profile=profile, status=ClaimStatus.PENDING)
        .values_list("roles", flat=True)
        .first()
    )
    return None if claim is None else tuple(Role(role).label for role in sorted(claim))


def _contacts(profile, user) -> tuple:
    """(full name, role labels, e-mail) of the establishment's security contacts."""
    if not (profile.is_approved and profile.establishment_id):
        return ()
    rows = services.establishment_contacts(profile.establishment, user).values_list(
        "user__first_name", "user__last_name", "roles", "user__email"
    )
    return tuple(
        (f"{first} {last}".strip(), tuple(Role(r).label for r in sorted(roles)), email)
        for first, last, roles, email in rows
    )


def _key(name, user, *state):
    token = user_cache.token_of(user)
    return None if token is None else (name, user.pk, token, get_language(), *state)


def _render_form(request, _argument: str) -> str:
    from portal.accounts.forms import ProfileForm  # cycle: the forms import the services

    user = request.user
    if (profile := profile_of(user)) is None:
        return get_template(MISSING_TEMPLATE).render({"request": request})

    def render():
        form = ProfileForm(instance=profile, user=user)
        context = {"form": form, "request": request, "csrf_token": page_cache.CSRF_PLACEHOLDER}
        return get_template(FORM_TEMPLATE).render(context)

    return page_cache.kept(request, _rendered, _key(FORM, user), render)


def _render_membership(request, _argument: str) -> str:
    user = request.user
    if (profile := profile_of(user)) is None:
        return ""

    def render():
        context = {**membership_context(profile, user), "request": request}
        return get_template(MEMBERSHIP_TEMPLATE).render(context)

    version = contacts_version(profile.establishment_id) if profile.establishment_id else ""
    return page_cache.kept(request, _rendered, _key(MEMBERSHIP, user, version), render)


def membership_context(profile, user) -> dict:
    """The membership part's context, for the page rendered whole (a form with errors)."""
    return {
        "profile": profile,
        "pending_claim": _pending_claim(profile),
        "contacts": _contacts(profile, user),
    }


# --- What retires a rendered part -----------------------------------------------------------


def _contacts_tag(establishment_id) -> str:
    return CONTACTS_TAG.format(establishment_id)


def contacts_version(establishment_id) -> int:
    """The version of the establishment's contacts (a page-cache tag: re-read at most once a
    second per process, at once in the process that changed them)."""
    tag = _contacts_tag(establishment_id)
    return page_cache.tag_versions([tag])[tag]


def _retire_contacts(*establishment_ids) -> None:
    tags = [_contacts_tag(pk) for pk in {pk for pk in establishment_ids if pk is not None}]

    def replace():
        page_cache.invalidate(*tags)

    if tags:  # now, and once committed (a request may have read the rows before the commit)
        replace()
        transaction.on_commit(replace)


def _profile_saving(instance, **_kwargs):
    if instance.pk is not None:
        old = MemberProfile.objects.filter(pk=instance.pk).values_list("establishment_id")
        setattr(instance, _OLD_ESTABLISHMENT_ATTR, (old.first() or (None,))[0])


def _profile_changed(instance, **_kwargs):
    _retire_contacts(instance.establishment_id, getattr(instance, _OLD_ESTABLISHMENT_ATTR, None))


def _user_changed(instance, **_kwargs):
    profiles = MemberProfile.objects.filter(user_id=instance.pk)
    _retire_contacts(*profiles.values_list("establishment_id", flat=True))


def _claim_changed(instance, **_kwargs):
    profiles = MemberProfile.objects.filter(pk=instance.profile_id)
    user_cache.forget(*profiles.values_list("user_id", flat=True))


def _preference_changed(instance, **_kwargs):
    user_cache.forget(instance.user_id)


def connect_signals() -> None:
    pre_save.connect(_profile_saving, sender=MemberProfile, dispatch_uid="profile-page-saving")
    for signal in (post_save, post_delete):
        for model, receiver in (
            (MemberProfile, _profile_changed),
            (get_user_model(), _user_changed),
            (RoleClaim, _claim_changed),
            (Preference, _preference_changed),
        ):
            uid = f"profile-page-{model._meta.label_lower}-{signal is post_save}"
            signal.connect(receiver, sender=model, dispatch_uid=uid)


def register() -> None:
    page_cache.register_fragment(FORM, _render_form)
    page_cache.register_fragment(MEMBERSHIP, _render_membership)
    connect_signals()
