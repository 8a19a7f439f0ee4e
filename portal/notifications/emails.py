"""The service's e-mails: HTML and plain text, in French, in the portal's look, each with a
signed one-click unsubscribe (RFC 8058 headers and a link)."""

from itertools import groupby

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from portal import modules, region
from portal.notifications import kinds as kind_registry
from portal.notifications.kinds import Channel
from portal.notifications.services import absolute, unsubscribe_url


def _kind(key):
    try:
        return kind_registry.get(key)
    except KeyError:
        return None


def _modules() -> dict[str, tuple[int, str]]:
    """Module key -> (position, label), in the header's order."""
    return {entry.key: (n, str(entry.label)) for n, entry in enumerate(modules.modules())}


def _module_label(key: str) -> str:
    return _modules().get(key, (0, key.capitalize()))[1]


def _entry(item) -> dict:
    kind = _kind(item.kind)
    with translation.override(settings.LANGUAGE_CODE):
        open_path = reverse("notifications:open", args=[item.pk])
    return {
        "kind_label": kind.label if kind else item.kind,
        "module": kind.module if kind else "",
        "reference": item.reference,
        "metadata_only": item.metadata_only,
        # A metadata-only item shows neither its title nor its text, even here.
        "title": "" if item.metadata_only else item.title,
        "body": "" if item.metadata_only else item.body,
        # A metadata-only item links to the portal's notification, whose address says nothing.
        "url": absolute(open_path if item.metadata_only or not item.url else item.url),
        "unsubscribe_url": unsubscribe_url(item.user, [item.kind]),
    }


def _message(user, subject, template, context, unsubscribe) -> EmailMultiAlternatives:
    context |= {
        "portal_name": settings.PORTAL_NAME,
        "region": region.current(),
        "site_url": settings.SITE_URL,
        "name": user.get_full_name() or user.email,
        "unsubscribe_url": unsubscribe,
        "preferences_url": absolute(reverse("membership:profile")),
    }
    text = render_to_string(f"notifications/email/{template}.txt", context)
    html = render_to_string(f"notifications/email/{template}.html", context)
    message = EmailMultiAlternatives(
        f"[{settings.PORTAL_NAME}] {subject}",
        text,
        None,
        [user.email],
        headers={
            "List-Unsubscribe": f"<{unsubscribe}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "Auto-Submitted": "auto-generated",
        },
    )
    message.attach_alternative(html, "text/html")
    return message


def immediate_message(item) -> EmailMultiAlternatives:
    with translation.override(settings.LANGUAGE_CODE):
        entry = _entry(item)
        if item.metadata_only:
            subject = _("%(kind)s (ref. %(reference)s)") % {
                "kind": entry["kind_label"],
                "reference": item.reference,
            }
        else:
            subject = item.title
        return _message(
            item.user,
            subject,
            "notification",
            {"item": entry},
            entry["unsubscribe_url"],
        )


def digest_message(user, channel: str, items) -> EmailMultiAlternatives:
    with translation.override(settings.LANGUAGE_CODE):
        order = _modules()
        entries = sorted(
            (_entry(item) for item in items),
            key=lambda e: (order.get(e["module"], (len(order), ""))[0], e["module"]),
        )
        groups = [
            {"label": _module_label(module), "items": list(group)}
            for module, group in groupby(entries, key=lambda e: e["module"])
        ]
        kinds = sorted({item.kind for item in items})
        subject = (
            _("Your daily digest: %(count)d notification(s)")
            if channel == Channel.DAILY
            else _("Your weekly digest: %(count)d notification(s)")
        ) % {"count": len(items)}
        kind_links = [
            {"label": (k := _kind(key)) and k.label or key, "url": unsubscribe_url(user, [key])}
            for key in kinds
        ]
        return _message(
            user,
            subject,
            "digest",
            {"groups": groups, "channel": channel, "kind_links": kind_links, "count": len(items)},
            unsubscribe_url(user, kinds),
        )
