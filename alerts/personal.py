"""The reader's own parts of the alert pages, which are cached per audience (``page_cache``).

- ``ANSWER`` (argument ``alert:establishment:acknowledge URL``): the establishment's current
  answer, the form that records a new one (with its CSRF token) and its latest answers; written
  into the page only for whoever may acknowledge for that establishment (decided by the
  audience), kept rendered under the version of ``ACKNOWLEDGEMENTS_CACHE_TAG``, which any
  answer replaces (as it retires the index and the dashboards).
- ``SUBSCRIPTION`` (argument: the alert's subjects, or empty on the index): whether the
  member's subscription (or their role's default) covers the alert, kept rendered per user
  token (``user_cache``): saving or deleting a subscription replaces the token.

The rendered HTML is kept per state (``_rendered``); the CSRF token is written in per request.
"""

from urllib.parse import quote, unquote

from django.db.models.signals import post_delete, post_save
from django.template.loader import get_template
from django.utils.translation import get_language

from alerts import services
from alerts.forms import AcknowledgementForm
from alerts.models import (
    ACKNOWLEDGEMENTS_CACHE_TAG,
    Acknowledgement,
    AcknowledgementStatus,
    Subscription,
)
from alerts.severity import Severity
from portal import page_cache
from portal.access import membership_of
from portal.access.fields import as_role_set
from portal.accounts import user_cache

ANSWER = "alerts.answer"
SUBSCRIPTION = "alerts.subscription"
HISTORY_LENGTH = 10
_rendered = page_cache.LocalLRU(size=2048)


def answer_argument(alert, establishment_id, acknowledge_url: str) -> str:
    return f"{alert.pk}:{establishment_id}:{quote(acknowledge_url, safe='/')}"


def subscription_argument(alert=None) -> str:
    """What the subscription test reads of the alert, so that a hit reads no page."""
    if alert is None:
        return ""
    subjects = (alert.product_families, alert.topics, alert.establishment_types)
    return ":".join([alert.severity, *(",".join(sorted(as_role_set(s))) for s in subjects)])


def _answer(request, argument: str) -> str:
    alert_id, establishment_id, url = argument.split(":", 2)
    alert_id, establishment_id = int(alert_id), int(establishment_id)
    if membership_of(request.user).establishment_id != establishment_id:
        return ""  # the audience decides it; never another establishment's answers

    def render():
        labels = dict(AcknowledgementStatus.choices)
        entries = (
            Acknowledgement.objects.filter(alert_id=alert_id, establishment_id=establishment_id)
            .order_by("-recorded_at", "-pk")
            .values_list("status", "recorded_at", "note")[:HISTORY_LENGTH]
        )
        context = {
            "entries": [
                {"status": labels.get(status, status), "recorded_at": at, "note": note}
                for status, at, note in entries
            ],
            "form": AcknowledgementForm(),
            "acknowledge_url": unquote(url),
            "request": request,
            "csrf_token": page_cache.CSRF_PLACEHOLDER,
        }
        return get_template("alerts/includes/answer.html").render(context)

    # Any answer retires what was rendered (the tag of the pages showing answers).
    version = page_cache.tag_versions([ACKNOWLEDGEMENTS_CACHE_TAG])[ACKNOWLEDGEMENTS_CACHE_TAG]
    key = (ANSWER, argument, version, get_language())
    return page_cache.kept(request, _rendered, key, render)


def _subscription(request, argument: str) -> str:
    user = request.user
    if not membership_of(user).approved:
        return ""

    def render():
        subscription = Subscription.objects.filter(user=user).first()
        profile = getattr(user, "member_profile", None)
        establishment = getattr(profile, "establishment", None)
        interest = services.interest_of(subscription, establishment.kind if establishment else None)
        context = {"interest": interest, "own": subscription is not None, "request": request}
        if argument and interest is not None:
            severity, families, topics, types = argument.split(":")
            alert = _Subjects(severity, families, topics, types)
            context["covered"] = services.matches(interest, alert)
        if interest is not None:
            context["min_severity"] = Severity(interest.min_severity).label
        context["shown"] = bool(argument)
        return get_template("alerts/includes/subscription_state.html").render(context)

    token = user_cache.token_of(user)
    key = None if token is None else (SUBSCRIPTION, argument, user.pk, token, get_language())
    return page_cache.kept(request, _rendered, key, render)


class _Subjects:
    """What ``services.matches`` reads of an alert, from the fragment's argument."""

    def __init__(self, severity, families, topics, types):
        self.severity = severity
        self.product_families = frozenset(filter(None, families.split(",")))
        self.topics = frozenset(filter(None, topics.split(",")))
        self.establishment_types = frozenset(filter(None, types.split(",")))


def _subscription_changed(instance, **_kwargs):
    user_cache.forget(instance.user_id)


def register() -> None:
    page_cache.register_fragment(ANSWER, _answer)
    page_cache.register_fragment(SUBSCRIPTION, _subscription)
    for signal in (post_save, post_delete):
        uid = f"alerts-subscription-token-{signal is post_save}"
        signal.connect(_subscription_changed, sender=Subscription, dispatch_uid=uid)
