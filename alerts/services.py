"""The alerts' rules: who an alert concerns, who acknowledges for an establishment, who sees the
exposure dashboard, which subscriptions an alert matches, and what the home page shows."""

import datetime
import statistics
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Case, Count, F, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from alerts.models import (
    ACKNOWLEDGEMENTS_CACHE_TAG,
    ESTABLISHMENTS_CACHE_TAG,
    Acknowledgement,
    AcknowledgementStatus,
    AlertPage,
    AlertStatus,
    Subscription,
    WatchItemPage,
)
from alerts.severity import Severity, at_least
from portal import region
from portal.access import AccessLevel, Role, access_q, can_view, membership_of, visible_to
from portal.access.editors import has_admin_access
from portal.access.fields import as_role_set
from portal.access.staff import staff_q
from portal.accounts.models import Establishment, EstablishmentType, MemberStatus
from portal.modules import HomeItem

# Who answers for an establishment, and who gets alerts by default.
ACKNOWLEDGING_ROLES = frozenset({Role.RSSI, Role.DSI, Role.DIRECTOR})
# Who reads the regional exposure dashboard (and the establishments' notes).
REGIONAL_ROLES = frozenset({Role.ARS_REFERENT, Role.REGIONAL_ADMIN, Role.EDITOR, Role.MODERATOR})
# Establishments that relay alerts rather than receive them.
NOT_CONCERNED_KINDS = (EstablishmentType.ARS, EstablishmentType.GCS)
DEFAULT_MIN_SEVERITY = Severity.HIGH
NO_ANSWER = "none"
# What retires a cached alert dashboard (besides publications): an answer, an establishment.
DASHBOARD_CACHE_TAGS = (ACKNOWLEDGEMENTS_CACHE_TAG, ESTABLISHMENTS_CACHE_TAG)


def reminder_days() -> int:
    """Days after which an unacknowledged critical alert is reminded (ALERTS_REMINDER_DAYS)."""
    return settings.ALERTS_REMINDER_DAYS


# --- Reading ------------------------------------------------------------------------------------


def live_alerts():
    return AlertPage.objects.live().order_by("-first_published_at", "-pk")


def alerts_for(user):
    return visible_to(user, live_alerts())


def watch_items_for(user):
    return visible_to(user, WatchItemPage.objects.live().order_by("-date", "-pk"))


def is_regional(user) -> bool:
    member = membership_of(user)
    return member.is_superuser or bool(member.approved and member.roles & REGIONAL_ROLES)


def dashboard_alerts(user):
    """The alerts a regional reader may follow: those they may view on the portal, and for
    staff, those the admin shows them (``portal.access.staff``)."""
    rule = access_q(user)
    if has_admin_access(user):
        rule |= staff_q(user)
    return live_alerts().filter(rule)


# --- Who an alert concerns, and who answers -------------------------------------------------------


def receiving_establishments():
    return Establishment.objects.filter(validated=True).exclude(kind__in=NOT_CONCERNED_KINDS)


def receiving_establishments_by_kind() -> dict[str, int]:
    return dict(receiving_establishments().values_list("kind").annotate(n=Count("pk")))


def concerned_establishments(alert):
    """Validated establishments the alert concerns: its recipient for TLP:AMBER+STRICT and
    TLP:RED, else those of the types concerned (every type when none is chosen)."""
    queryset = receiving_establishments()
    if alert.access_level == AccessLevel.ESTABLISHMENT:
        return queryset.filter(pk=alert.establishment_id)
    types = as_role_set(alert.establishment_types)
    return queryset.filter(kind__in=types) if types else queryset


def _concern_test(alert):
    """``concerned_establishments`` as a test on (establishment id, kind) of a validated one."""
    if alert.access_level == AccessLevel.ESTABLISHMENT:
        return lambda establishment_id, kind: establishment_id == alert.establishment_id
    types = as_role_set(alert.establishment_types)
    return lambda establishment_id, kind: (
        kind not in NOT_CONCERNED_KINDS and (not types or kind in types)
    )


def concerns(alert, establishment) -> bool:
    return concerned_establishments(alert).filter(pk=establishment.pk).exists()


def may_acknowledge(user, alert, establishment) -> bool:
    """The establishment's own approved RSSI, DSI or director, for an alert they may view that
    concerns their establishment."""
    member = membership_of(user)
    return (
        member.approved
        and member.establishment_id == establishment.pk
        and bool(member.roles & ACKNOWLEDGING_ROLES)
        and can_view(user, alert)
        and concerns(alert, establishment)
    )


def reads_notes_of(user, establishment_id) -> bool:
    """Notes: the establishment itself and the regional roles."""
    member = membership_of(user)
    return is_regional(user) or (member.approved and member.establishment_id == establishment_id)


def record(alert, establishment, user, status: str, note: str = "") -> Acknowledgement:
    return Acknowledgement.objects.create(
        alert=alert, establishment=establishment, recorded_by=user, status=status, note=note
    )


def history(alert, establishment):
    return Acknowledgement.objects.filter(alert=alert, establishment=establishment).select_related(
        "recorded_by"
    )


def current_answers(alert) -> dict[int, Acknowledgement]:
    """Each establishment's latest record about the alert."""
    latest = {}
    for ack in Acknowledgement.objects.filter(alert=alert).order_by("recorded_at", "pk"):
        latest[ack.establishment_id] = ack
    return latest


def unacknowledged_for(user, limit: int = 4) -> list:
    """Alerts concerning the member's establishment with no answer yet (security roles only)."""
    member = membership_of(user)
    if not (member.approved and member.roles & ACKNOWLEDGING_ROLES and member.establishment_id):
        return []
    establishment = Establishment.objects.filter(pk=member.establishment_id).first()
    if establishment is None or establishment.kind in NOT_CONCERNED_KINDS:
        return []
    answered = Acknowledgement.objects.filter(establishment=establishment).values("alert_id")
    candidates = (
        alerts_for(user)
        .exclude(status=AlertStatus.CLOSED)
        .exclude(pk__in=answered)
        .filter(
            Q(access_level=AccessLevel.ESTABLISHMENT, establishment=establishment)
            | ~Q(access_level=AccessLevel.ESTABLISHMENT)
            & (
                Q(establishment_types="")
                | Q(establishment_types__contains=f",{establishment.kind},")
            )
        )
    )
    return list(candidates[:limit])


# --- The exposure dashboard ---------------------------------------------------------------------


@dataclass
class Breakdown:
    label: str
    concerned: int
    counts: dict  # status (or NO_ANSWER) -> count

    @property
    def answered(self) -> int:
        return self.concerned - self.counts.get(NO_ANSWER, 0)

    def ordered(self) -> list[int]:
        return [self.counts.get(code, 0) for code, _label in status_columns()]


def status_columns() -> list[tuple[str, str]]:
    return [*AcknowledgementStatus.choices, (NO_ANSWER, _("No answer"))]


@dataclass
class AlertFigures:
    """The counts of one alert's dashboard, aggregated in the database (``alert_figures``)."""

    alert: AlertPage
    concerned: int
    counts: dict  # status (or NO_ANSWER) -> establishments
    by_department: list
    by_type: list


def _latest_answers(alert):
    """The alert's acknowledgements of the outer establishment, latest first (a subquery)."""
    return Acknowledgement.objects.filter(alert=alert, establishment=OuterRef("pk")).order_by(
        "-recorded_at", "-pk"
    )


def with_answers(alert, queryset=None):
    """The concerned establishments (or ``queryset``), each with its latest answer about the
    alert: ``answer`` (a status, or ``NO_ANSWER``), ``answered_at`` and ``answer_note``."""
    latest = _latest_answers(alert)
    queryset = concerned_establishments(alert) if queryset is None else queryset
    return queryset.annotate(
        answer=Coalesce(Subquery(latest.values("status")[:1]), Value(NO_ANSWER)),
        answered_at=Subquery(latest.values("recorded_at")[:1]),
        answer_note=Subquery(latest.values("note")[:1]),
    )


def alert_figures(alert) -> AlertFigures:
    """Counts by answer, by department and by establishment type in one grouped query, however
    many establishments the alert concerns."""
    latest = _latest_answers(alert).values("status")[:1]
    grouped = (
        concerned_establishments(alert)
        .annotate(answer=Coalesce(Subquery(latest), Value(NO_ANSWER)))
        .order_by()
        .values_list("department", "kind", "answer")
        .annotate(n=Count("pk"))
    )
    counts: dict = {}
    departments: dict = {}
    types: dict = {}
    for department, kind, status, n in grouped:
        counts[status] = counts.get(status, 0) + n
        for bucket, key in ((departments, department), (types, kind)):
            bucket.setdefault(key, {})
            bucket[key][status] = bucket[key].get(status, 0) + n
    labels = dict(EstablishmentType.choices)
    by_department = [
        Breakdown(region.current().department_label(key), sum(c.values()), c)
        for key, c in sorted(departments.items())
    ]
    by_type = [
        Breakdown(str(labels.get(key, key)), sum(c.values()), c) for key, c in sorted(types.items())
    ]
    return AlertFigures(alert, sum(counts.values()), counts, by_department, by_type)


def dashboard_rows(alert, answer: str = ""):
    """The concerned establishments with their latest answer, unanswered first, then by
    department and name (``answer``: only those with this answer, ``NO_ANSWER`` included)."""
    rows = with_answers(alert)
    if answer:
        rows = rows.filter(answer=answer)
    return rows.order_by(
        Case(When(answer=NO_ANSWER, then=Value(0)), default=Value(1)), "department", "name"
    ).values("pk", "name", "finess", "kind", "department", "answer", "answered_at", "answer_note")


def answered_counts(alerts) -> dict[int, tuple[int, int]]:
    """Alert id -> (establishments concerned, those that answered), in two grouped queries
    for any number of alerts and establishments."""
    kinds = receiving_establishments_by_kind()
    by_kind: dict = {}
    answered = (
        Acknowledgement.objects.filter(alert__in=[a.pk for a in alerts])
        .filter(establishment__in=receiving_establishments())
        .order_by()
        .values_list("alert_id", "establishment__kind")
        .annotate(n=Count("establishment_id", distinct=True))
    )
    for alert_id, kind, n in answered:
        by_kind.setdefault(alert_id, {})[kind] = n
    own = set(
        Acknowledgement.objects.filter(
            alert__in=[a.pk for a in alerts if a.access_level == AccessLevel.ESTABLISHMENT],
            establishment_id=F("alert__establishment_id"),
        ).values_list("alert_id", flat=True)
    )
    result = {}
    for alert in alerts:
        if alert.access_level == AccessLevel.ESTABLISHMENT:
            result[alert.pk] = (1, int(alert.pk in own))
            continue
        types = as_role_set(alert.establishment_types) or set(kinds)
        answers = by_kind.get(alert.pk, {})
        result[alert.pk] = (
            sum(kinds.get(kind, 0) for kind in types),
            sum(answers.get(kind, 0) for kind in types),
        )
    return result


@dataclass
class Delays:
    acknowledged: int  # pairs (alert, establishment) with an answer
    fixed: int
    median_hours_to_acknowledge: float | None
    median_hours_to_fix: float | None


def median_delays(alerts) -> Delays:
    """Across alerts: from publication to a concerned establishment's first answer, and to its
    first "fixed", medians in hours."""
    alerts = [a for a in alerts if a.first_published_at]
    published = {a.pk: a.first_published_at for a in alerts}
    concerned = {a.pk: _concern_test(a) for a in alerts}
    first_answer: dict = {}
    first_fix: dict = {}
    rows = Acknowledgement.objects.filter(
        alert_id__in=published, establishment__validated=True
    ).order_by("recorded_at", "pk")
    for alert_id, establishment_id, kind, status, at in rows.values_list(
        "alert_id", "establishment_id", "establishment__kind", "status", "recorded_at"
    ):
        if not concerned[alert_id](establishment_id, kind):
            continue
        pair = (alert_id, establishment_id)
        first_answer.setdefault(pair, at)
        if status == AcknowledgementStatus.FIXED:
            first_fix.setdefault(pair, at)

    def median(firsts):
        hours = [
            max((at - published[alert_id]).total_seconds(), 0) / 3600
            for (alert_id, _e), at in firsts.items()
        ]
        return round(statistics.median(hours), 1) if hours else None

    return Delays(len(first_answer), len(first_fix), median(first_answer), median(first_fix))


# --- Subscriptions ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Interest:
    """What a member wants: their subscription, or the defaults of their role."""

    product_families: frozenset
    topics: frozenset
    min_severity: str
    establishment_types: frozenset


def interest_of(subscription: Subscription | None, establishment_kind: str | None):
    """None: no alerts (no subscription, and not a role that gets them by default)."""
    if subscription is not None:
        return Interest(
            as_role_set(subscription.product_families),
            as_role_set(subscription.topics),
            subscription.min_severity,
            as_role_set(subscription.establishment_types),
        )
    if establishment_kind is None:
        return None
    return Interest(frozenset(), frozenset(), DEFAULT_MIN_SEVERITY, frozenset({establishment_kind}))


def matches(interest: Interest | None, alert) -> bool:
    if interest is None or not at_least(alert.severity, interest.min_severity):
        return False
    subjects = interest.product_families | interest.topics
    alert_subjects = as_role_set(alert.product_families) | as_role_set(alert.topics)
    if subjects and not subjects & alert_subjects:
        return False
    alert_types = as_role_set(alert.establishment_types)
    if interest.establishment_types and alert_types:
        return bool(interest.establishment_types & alert_types)
    return True


def subscribers(alert) -> list[int]:
    """Ids of the approved members whose subscription (or default) matches the alert; the
    notification service then checks each one may view it."""
    users = (
        get_user_model()
        .objects.filter(is_active=True, member_profile__status=MemberStatus.APPROVED)
        .select_related("member_profile__establishment", "alert_subscription")
    )
    if alert.access_level == AccessLevel.ESTABLISHMENT:
        users = users.filter(member_profile__establishment_id=alert.establishment_id)
    default_roles = Q()
    for role in sorted(ACKNOWLEDGING_ROLES):
        default_roles |= Q(member_profile__roles__contains=f",{role},")
    users = users.filter(Q(alert_subscription__isnull=False) | default_roles)
    chosen = []
    for user in users.iterator(chunk_size=500):
        try:
            subscription = user.alert_subscription
        except Subscription.DoesNotExist:
            subscription = None
        establishment = user.member_profile.establishment
        kind = establishment.kind if establishment else None
        if subscription is None and not (user.member_profile.roles & ACKNOWLEDGING_ROLES):
            continue
        if matches(interest_of(subscription, kind), alert):
            chosen.append(user.pk)
    return chosen


def save_subscription(user, data: dict) -> Subscription:
    subscription, _created = Subscription.objects.update_or_create(
        user=user,
        defaults={
            "product_families": frozenset(data["product_families"]),
            "topics": frozenset(data["topics"]),
            "min_severity": data["min_severity"],
            "establishment_types": frozenset(data["establishment_types"]),
        },
    )
    return subscription


def subscription_initial(user) -> dict:
    subscription = Subscription.objects.filter(user=user).first()
    member = membership_of(user)
    kind = (
        Establishment.objects.filter(pk=member.establishment_id)
        .values_list("kind", flat=True)
        .first()
    )
    interest = interest_of(subscription, kind) or Interest(
        frozenset(), frozenset(), DEFAULT_MIN_SEVERITY, frozenset()
    )
    return {
        "product_families": sorted(interest.product_families),
        "topics": sorted(interest.topics),
        "min_severity": interest.min_severity,
        "establishment_types": sorted(interest.establishment_types),
    }


# --- Reminders ----------------------------------------------------------------------------------


def overdue(now=None) -> list[tuple[AlertPage, list[int]]]:
    """Critical open alerts published more than ``reminder_days()`` ago, each with the ids of
    the concerned establishments that have not answered."""
    now = now or timezone.now()
    limit = now - datetime.timedelta(days=reminder_days())
    result = []
    alerts = live_alerts().filter(severity=Severity.CRITICAL, first_published_at__lte=limit)
    for alert in alerts.exclude(status=AlertStatus.CLOSED):
        answered = Acknowledgement.objects.filter(alert=alert).values("establishment_id")
        missing = list(
            concerned_establishments(alert).exclude(pk__in=answered).values_list("pk", flat=True)
        )
        if missing:
            result.append((alert, missing))
    return result


def acknowledging_members(establishment_ids) -> list[int]:
    roles = Q()
    for role in sorted(ACKNOWLEDGING_ROLES):
        roles |= Q(member_profile__roles__contains=f",{role},")
    return list(
        get_user_model()
        .objects.filter(
            roles,
            is_active=True,
            member_profile__status=MemberStatus.APPROVED,
            member_profile__establishment_id__in=establishment_ids,
        )
        .values_list("pk", flat=True)
    )


# --- Home ---------------------------------------------------------------------------------------


def latest(user, limit: int) -> list[HomeItem]:
    items = [
        HomeItem(
            title=f"{alert.reference} · {alert.title}",
            url=alert.url,
            date=alert.first_published_at.date() if alert.first_published_at else None,
            summary=gettext("To acknowledge for your establishment"),
        )
        for alert in unacknowledged_for(user, limit)
    ]
    shown = {item.url for item in items}
    for alert in alerts_for(user)[: limit * 2]:
        if len(items) >= limit:
            break
        if alert.url in shown:
            continue
        items.append(
            HomeItem(
                title=f"{alert.reference} · {alert.title}",
                url=alert.url,
                date=alert.first_published_at.date() if alert.first_published_at else None,
                summary=f"{alert.get_tlp_display()} · {alert.get_severity_display()}",
            )
        )
    return items
