"""The notification service: modules name the kind, the object and the recipients.

``notify`` returns at once: the fan-out (recipients, preferences, access) runs as a task once the
caller's transaction is committed, and e-mails are sent by further tasks, in batches. Access is
checked again (``can_view``) when each e-mail or digest is sent, and when the list is shown.
"""

import contextlib
import logging
import smtplib
import uuid
from collections.abc import Iterable
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core import signing
from django.core.exceptions import ObjectDoesNotExist
from django.core.mail import get_connection
from django.db import connection, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation

from portal.access import can_view, membership_of
from portal.notifications import kinds as registry
from portal.notifications.kinds import Channel, NotificationKind
from portal.notifications.models import EmailState, Notification, Preference

logger = logging.getLogger(__name__)

BATCH = 200  # recipients per query, e-mails per task
STALE_CLAIM = timedelta(minutes=15)  # a worker that died while sending: its e-mails are retried
UNSUBSCRIBE_SALT = "portal.notifications.unsubscribe"
EMAIL_CHANNELS = (Channel.IMMEDIATE, Channel.DAILY, Channel.WEEKLY)
DIGEST_CHANNELS = (Channel.DAILY, Channel.WEEKLY)
# The loudest channel wins when several of a member's roles set a default.
LOUDNESS = [Channel.IMMEDIATE, Channel.DAILY, Channel.WEEKLY, Channel.PORTAL, Channel.OFF]
SEND_ERRORS = (smtplib.SMTPException, OSError)


# --- Sending one notification -----------------------------------------------------------------


def notify(
    kind: str,
    obj,
    recipients: Iterable | None = None,
    *,
    key: str | None = None,
    title: str | None = None,
    body: str = "",
    url: str | None = None,
    reference: str | None = None,
    metadata_only: bool = False,
) -> None:
    """Notify ``recipients`` (users or user ids; ``None``: the kind's rule) about ``obj``.

    ``key`` names the event: a second notify with the same key notifies nobody twice. ``title``
    defaults to ``str(obj)``, ``url`` to the object's URL. Returns at once; the work runs as a
    task after the commit."""
    declared = registry.get(kind)
    if recipients is None and declared.recipients is None:
        raise ValueError(f"{kind}: give the recipients, or declare the kind's recipients rule")
    content_type = ContentType.objects.get_for_model(obj)
    payload = {
        "kind": kind,
        "target": [content_type.pk, str(obj.pk)],
        "recipients": None if recipients is None else [getattr(r, "pk", r) for r in recipients],
        "key": (key or f"{kind}:{content_type.pk}:{obj.pk}:{uuid.uuid4().hex}")[:200],
        "title": str(title if title is not None else obj)[:300],
        "body": body,
        "url": url if url is not None else object_url(obj),
        "reference": (reference or f"{content_type.model.upper()}-{obj.pk}")[:64],
        "metadata_only": metadata_only,
    }
    from portal.notifications import tasks  # cycle: the tasks import this module

    transaction.on_commit(lambda: tasks.fan_out.enqueue(payload))


def object_url(obj) -> str:
    for getter in ("get_url", "get_absolute_url"):
        if callable(method := getattr(obj, getter, None)):
            try:
                return method() or ""
            except TypeError:
                continue
    return ""


def absolute(url: str) -> str:
    return url if url.startswith("http") else settings.SITE_URL.rstrip("/") + url


def load_target(content_type_id: int, object_id: str):
    """The notified object, or None when it is gone."""
    model = ContentType.objects.get_for_id(content_type_id).model_class()
    if model is None:
        return None
    return model._default_manager.filter(pk=object_id).first()


def eligible(user) -> bool:
    """Active, with an address, and not a member whose membership is pending, rejected or
    suspended (accounts without a member profile are staff accounts). A deleted account is
    inactive: it gets nothing."""
    if not (user.is_active and user.email):
        return False
    try:
        profile = user.member_profile
    except ObjectDoesNotExist:
        return True
    return profile.is_approved


def may_receive(user, kind: NotificationKind, obj) -> bool:
    """The one rule, applied at fan-out and again at send time."""
    if obj is None or not eligible(user):
        return False
    carries_access = hasattr(obj, "access_level")
    if carries_access and not can_view(user, obj):
        return False
    if kind.audience is not None:
        return bool(kind.audience(user, obj))
    return carries_access  # an object without access fields needs its kind's audience


def default_channel(kind: NotificationKind, roles) -> str:
    matching = [channel for role, channel in kind.default_channel_by_role.items() if role in roles]
    return min(matching, key=LOUDNESS.index) if matching else kind.default_channel


def _user_ids(result) -> list[int]:
    if hasattr(result, "values_list"):
        return list(result.values_list("pk", flat=True))
    return [getattr(user, "pk", user) for user in result]


def fan_out(payload: dict) -> int:
    """Create each recipient's notification (once per event key); returns how many."""
    try:
        kind = registry.get(payload["kind"])
    except KeyError:
        logger.error("Notification kind %s is not registered: nothing sent", payload["kind"])
        return 0
    target = load_target(*payload["target"])
    if target is None:
        return 0
    ids = payload["recipients"]
    if ids is None:
        ids = _user_ids(kind.recipients(target))
    ids = sorted(set(ids))
    users = get_user_model().objects.select_related("member_profile__establishment")
    content_type_id = payload["target"][0]
    created = 0
    for start in range(0, len(ids), BATCH):
        chunk = ids[start : start + BATCH]
        chosen = dict(
            Preference.objects.filter(user_id__in=chunk, kind=kind.key).values_list(
                "user_id", "channel"
            )
        )
        rows = []
        for user in users.filter(pk__in=chunk, is_active=True):
            if not may_receive(user, kind, target):
                continue
            channel = chosen.get(user.pk) or default_channel(kind, membership_of(user).roles)
            if channel == Channel.OFF:
                continue
            rows.append(
                Notification(
                    user=user,
                    kind=kind.key,
                    key=payload["key"],
                    target_type_id=content_type_id,
                    target_id=payload["target"][1],
                    reference=payload["reference"],
                    title=payload["title"],
                    body=payload["body"],
                    url=payload["url"],
                    metadata_only=payload["metadata_only"] or kind.metadata_only,
                    channel=channel,
                    email_state=EmailState.PENDING
                    if channel in EMAIL_CHANNELS
                    else EmailState.NONE,
                )
            )
        Notification.objects.bulk_create(rows, ignore_conflicts=True)
        created += len(rows)
    immediate = Notification.objects.filter(
        key=payload["key"], channel=Channel.IMMEDIATE, email_state=EmailState.PENDING
    )
    _enqueue_sends(list(immediate.values_list("pk", flat=True)))
    return created


def _enqueue_sends(ids: list[int]) -> None:
    from portal.notifications import tasks  # cycle: the tasks import this module

    for start in range(0, len(ids), BATCH):
        chunk = ids[start : start + BATCH]
        transaction.on_commit(lambda chunk=chunk: tasks.send_emails.enqueue(chunk))


# --- E-mails ----------------------------------------------------------------------------------


def _claim(queryset) -> list[Notification]:
    """Take the pending e-mails of ``queryset`` for this run only: a task run twice, or two
    workers, never send the same notification twice."""
    claim, now = uuid.uuid4().hex, timezone.now()
    queryset.filter(email_state=EmailState.PENDING).filter(
        Q(email_next_at__isnull=True) | Q(email_next_at__lte=now)
    ).update(email_state=EmailState.SENDING, claim=claim, email_next_at=now)
    return list(
        Notification.objects.filter(claim=claim, email_state=EmailState.SENDING)
        .select_related("user__member_profile__establishment")
        .order_by("created_at", "pk")
    )


def _targets(items: list[Notification]) -> dict:
    """Each distinct object once (one query per content type)."""
    wanted: dict[int, set] = {}
    for item in items:
        wanted.setdefault(item.target_type_id, set()).add(item.target_id)
    found = {}
    for content_type_id, ids in wanted.items():
        model = ContentType.objects.get_for_id(content_type_id).model_class()
        if model is None:
            continue
        for obj in model._default_manager.filter(pk__in=ids):
            found[(content_type_id, str(obj.pk))] = obj
    return found


def _still_allowed(item: Notification, targets: dict) -> bool:
    try:
        kind = registry.get(item.kind)
    except KeyError:
        return False
    return may_receive(item.user, kind, targets.get((item.target_type_id, item.target_id)))


def _mark(ids, state: str, **fields) -> None:
    if ids:
        Notification.objects.filter(pk__in=ids).update(email_state=state, claim="", **fields)


def _failed(items: list[Notification]) -> None:
    """Back to pending with a growing delay (NOTIFICATIONS_RETRY_DELAYS), then failed; the
    retry is queued for when it is due (or found by ``retry_due`` where tasks cannot wait)."""
    from portal.notifications import tasks  # cycle: the tasks import this module

    delays = settings.NOTIFICATIONS_RETRY_DELAYS
    now = timezone.now()
    retried, retry_at = [], None
    for item in items:
        attempts = item.email_attempts + 1
        if attempts > len(delays):
            _mark([item.pk], EmailState.FAILED, email_attempts=attempts)
            logger.error("Notification %s: e-mail failed %d times, given up", item.pk, attempts)
            continue
        next_at = now + timedelta(seconds=delays[attempts - 1])
        _mark([item.pk], EmailState.PENDING, email_attempts=attempts, email_next_at=next_at)
        retried.append(item)
        retry_at = min(retry_at or next_at, next_at)
    if retry_at is not None:
        retry_at += timedelta(seconds=1)  # RQ's scheduler counts whole seconds: never early
    if immediate := [i.pk for i in retried if i.channel == Channel.IMMEDIATE]:
        tasks.defer(tasks.send_emails, retry_at, immediate)
    for user_id, channel in {(i.user_id, i.channel) for i in retried if i.channel != "immediate"}:
        tasks.defer(tasks.send_digest, retry_at, user_id, channel)


def send_emails(ids: list[int]) -> int:
    """Send the immediate e-mails of these notifications; returns how many were sent."""
    from portal.notifications import emails  # cycle: the e-mails import this module

    items = _claim(Notification.objects.filter(pk__in=ids, channel=Channel.IMMEDIATE))
    if not items:
        return 0
    targets = _targets(items)
    allowed = [item for item in items if _still_allowed(item, targets)]
    _mark([i.pk for i in items if i not in allowed], EmailState.WITHHELD)
    return _deliver([(emails.immediate_message(item), [item]) for item in allowed])


def send_digest(user_id: int, channel: str) -> int:
    """One e-mail with the member's pending items of this digest, grouped by module."""
    from portal.notifications import emails  # cycle: the e-mails import this module

    items = _claim(Notification.objects.filter(user_id=user_id, channel=channel))
    if not items:
        return 0
    targets = _targets(items)
    allowed = [item for item in items if _still_allowed(item, targets)]
    _mark([i.pk for i in items if i not in allowed], EmailState.WITHHELD)
    if not allowed:
        return 0
    return _deliver([(emails.digest_message(allowed[0].user, channel, allowed), allowed)])


def _deliver(messages) -> int:
    """Hand the messages to the e-mail backend over one connection; failures are retried.
    Returns how many messages the backend accepted."""
    sent, failed = [], []
    connection = get_connection()
    try:
        connection.open()
    except SEND_ERRORS as error:
        logger.warning("E-mail backend unreachable: %s", error)
        _failed([item for _message, items in messages for item in items])
        return 0
    try:
        for message, items in messages:
            message.connection = connection
            try:
                message.send()
            except SEND_ERRORS as error:
                logger.warning("E-mail to %s not sent: %s", message.to, error)
                failed.extend(items)
            else:
                sent.extend(items)
    finally:
        with contextlib.suppress(*SEND_ERRORS):
            connection.close()
    _mark([i.pk for i in sent], EmailState.SENT, emailed_at=timezone.now())
    _failed(failed)
    return sum(1 for _message, items in messages if items[0] in sent)


def queue_digests(channel: str) -> int:
    """Queue one digest per member with pending items of this channel; returns how many."""
    from portal.notifications import tasks  # cycle: the tasks import this module

    user_ids = (
        Notification.objects.filter(channel=channel, email_state=EmailState.PENDING)
        .order_by("user_id")
        .values_list("user_id", flat=True)
        .distinct()
    )
    count = 0
    for user_id in user_ids:
        tasks.send_digest.enqueue(user_id, channel)
        count += 1
    return count


def retry_due() -> int:
    """Queue again the e-mails whose retry is due, those of a worker that died sending, and
    immediate ones still unsent after 15 minutes (their task lost with a queue that was wiped)."""
    from portal.notifications import tasks  # cycle: the tasks import this module

    now = timezone.now()
    Notification.objects.filter(
        email_state=EmailState.SENDING, email_next_at__lt=now - STALE_CLAIM
    ).update(email_state=EmailState.PENDING, claim="", email_next_at=now)
    due = Notification.objects.filter(email_state=EmailState.PENDING, email_next_at__lte=now)
    forgotten = Notification.objects.filter(
        email_state=EmailState.PENDING,
        channel=Channel.IMMEDIATE,
        email_next_at__isnull=True,
        created_at__lt=now - STALE_CLAIM,
    )
    immediate = list(
        (due.filter(channel=Channel.IMMEDIATE) | forgotten).values_list("pk", flat=True)
    )
    _enqueue_sends(immediate)
    digests = set(due.filter(channel__in=DIGEST_CHANNELS).values_list("user_id", "channel"))
    for user_id, channel in digests:
        tasks.send_digest.enqueue(user_id, channel)
    return len(immediate) + len(digests)


def prune(now=None) -> int:
    """Delete read notifications older than NOTIFICATIONS_KEEP_READ_DAYS, and any of a year."""
    now = now or timezone.now()
    read_before = now - timedelta(days=settings.NOTIFICATIONS_KEEP_READ_DAYS)
    deleted, _ = (
        Notification.objects.filter(
            Q(read_at__isnull=False, created_at__lt=read_before)
            | Q(created_at__lt=now - timedelta(days=365))
        )
        .exclude(email_state__in=[EmailState.PENDING, EmailState.SENDING])
        .delete()
    )
    return deleted


# --- Preferences ------------------------------------------------------------------------------


def channel_for(user, kind: NotificationKind) -> str:
    chosen = Preference.objects.filter(user=user, kind=kind.key).values_list("channel", flat=True)
    return chosen.first() or default_channel(kind, membership_of(user).roles)


def preferences(user) -> list[tuple[NotificationKind, str, bool]]:
    """(kind, channel, chosen by the member) for every registered kind."""
    chosen = dict(Preference.objects.filter(user=user).values_list("kind", "channel"))
    roles = membership_of(user).roles
    return [
        (kind, chosen.get(kind.key) or default_channel(kind, roles), kind.key in chosen)
        for kind in registry.all_kinds()
    ]


def set_preferences(user, channels: dict[str, str]) -> None:
    """Store the member's channel for each kind key given (unknown kinds are ignored)."""
    known = {kind.key for kind in registry.all_kinds()}
    for kind, channel in channels.items():
        if kind in known and channel in Channel.values:
            Preference.objects.update_or_create(user=user, kind=kind, defaults={"channel": channel})


# --- Unsubscribe --------------------------------------------------------------------------------


def unsubscribe_token(user, kind_keys: Iterable[str]) -> str:
    return signing.dumps({"u": user.pk, "k": sorted(set(kind_keys))}, salt=UNSUBSCRIBE_SALT)


def unsubscribe_url(user, kind_keys: Iterable[str]) -> str:
    with translation.override(settings.LANGUAGE_CODE):
        path = reverse("notifications:unsubscribe", args=[unsubscribe_token(user, kind_keys)])
    return absolute(path)


def read_unsubscribe_token(token: str):
    """(user, kinds) for a genuine token, else None (tampered, or the account is gone)."""
    try:
        data = signing.loads(token, salt=UNSUBSCRIBE_SALT)
        user_id, keys = int(data["u"]), [str(key) for key in data["k"]]
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return None
    user = get_user_model().objects.filter(pk=user_id, is_active=True).first()
    found = []
    for key in keys:
        try:
            found.append(registry.get(key))
        except KeyError:
            continue
    if user is None or not found:
        return None
    return user, found


def unsubscribe(user, kinds: list[NotificationKind]) -> None:
    """Turn these kinds off for the member; nothing else changes."""
    set_preferences(user, {kind.key: Channel.OFF for kind in kinds})


# --- In the portal ----------------------------------------------------------------------------


def unread_count(user) -> int:
    """Counted on every signed-in page (the header): one indexed count, written in SQL since
    building the same query through the ORM costs several times more than running it."""
    with connection.cursor() as cursor:
        cursor.execute(_UNREAD_SQL, [user.pk])
        return cursor.fetchone()[0]


_UNREAD_SQL = (
    f"SELECT COUNT(*) FROM {Notification._meta.db_table} "  # noqa: S608 (a constant name)
    "WHERE user_id = %s AND read_at IS NULL"
)


def visible_notifications(user, limit: int = 50) -> list[Notification]:
    """The member's latest notifications whose object they may still view; the others are
    marked read (and so pruned later), never shown."""
    items = list(Notification.objects.filter(user=user)[:limit])
    targets = _targets(items)
    shown, hidden = [], []
    for item in items:
        item.user = user
        (shown if _still_allowed(item, targets) else hidden).append(item)
    if hidden:
        Notification.objects.filter(pk__in=[i.pk for i in hidden], read_at__isnull=True).update(
            read_at=timezone.now()
        )
    return shown


def mark_read(user, ids: Iterable[int]) -> int:
    return Notification.objects.filter(user=user, pk__in=ids, read_at__isnull=True).update(
        read_at=timezone.now()
    )


def mark_all_read(user) -> int:
    return Notification.objects.filter(user=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )


def open_notification(user, pk: int) -> str | None:
    """The object's URL if the member may still view it (the notification is then read)."""
    item = Notification.objects.filter(user=user, pk=pk).first()
    if item is None:
        return None
    item.user = user
    if not _still_allowed(item, _targets([item])):
        return None
    mark_read(user, [pk])
    return item.url or reverse("notifications:list")
