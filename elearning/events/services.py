"""Events: who organises, registration and the waiting list, cancellation, closing,
attendance (check-in list and CSV import), the satisfaction survey, and what the pages show.

The capacity rule holds under concurrency: a registration or a cancellation locks the event's
row (``select_for_update``) before counting the places taken, so two members asking for the
last place at the same moment get one place and one waiting-list entry.
"""

import csv
import dataclasses
import datetime
import io
from dataclasses import dataclass, field

from django.core.validators import EmailValidator
from django.db import IntegrityError, connection, transaction
from django.db.models import Avg, Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.models import Page

from elearning.events import figures
from elearning.events.models import (
    ACTIVE_STATUSES,
    EventIndexPage,
    EventKind,
    EventPage,
    KitPage,
    Registration,
    RegistrationStatus,
    SurveyAnswer,
)
from portal import page_cache
from portal.access import Role, can_view, is_approved_member, membership_of, visible_to
from portal.access.fields import role_token

ORGANISER_ROLES = frozenset({Role.EDITOR, Role.REGIONAL_ADMIN})
CSV_MAX_BYTES = 1_000_000


class RegistrationError(Exception):
    """A refusal, with the French message shown to the member."""


# Page-cache tag of the pages showing places left (``EventsModule.page_cache_tags``).
REGISTRATIONS_TAG = "events.registrations"


def is_organiser(user) -> bool:
    """GCS staff organise events and decide on kit loans: facilitators / editors and regional
    administrators (granted roles), and superusers."""
    member = membership_of(user)
    return member.is_superuser or (member.approved and bool(member.roles & ORGANISER_ROLES))


def audience_allows(user, event) -> bool:
    member = membership_of(user)
    return member.is_superuser or not event.audience or bool(member.roles & set(event.audience))


def participant_name(user) -> str:
    return user.get_full_name() or user.email or user.username


# --- Registration -----------------------------------------------------------------------------


def _locked_event(event) -> EventPage:
    """The event's row, locked until the end of the transaction (PostgreSQL; SQLite serialises
    writing transactions anyway)."""
    return EventPage.objects.select_for_update().get(pk=event.pk)


def active_registration(user, event) -> Registration | None:
    if not user.is_authenticated:
        return None
    return Registration.objects.filter(event=event, user=user, status__in=ACTIVE_STATUSES).first()


def seats_taken(event) -> int:
    return Registration.objects.filter(event=event, status=RegistrationStatus.REGISTERED).count()


def refusal(user, event) -> str | None:
    """Why ``user`` may not register for ``event`` (a French message), or None."""
    member = membership_of(user)
    if not (member.approved or member.is_superuser):
        return _("Registration is open to approved members of the portal.")
    if not can_view(user, event):
        return _("This event is not open to you.")
    if event.registration_closed:
        return _("Registration for this event is closed.")
    if event.has_started:
        return _("This event has already started: registration is closed.")
    if not audience_allows(user, event):
        return _("This event is for other roles than yours: you cannot register.")
    return None


def register(user, event, now=None) -> Registration:
    """Register ``user``, or put them on the waiting list when the event is full."""
    with transaction.atomic():
        event = _locked_event(event)
        if (reason := refusal(user, event)) is not None:
            raise RegistrationError(reason)
        if active_registration(user, event) is not None:
            raise RegistrationError(_("You are already registered for this event."))
        full = seats_taken(event) >= event.capacity
        member = membership_of(user)
        try:
            with transaction.atomic():
                return Registration.objects.create(
                    event=event,
                    user=user,
                    establishment_id=member.establishment_id,
                    roles=member.roles,
                    status=RegistrationStatus.WAITING if full else RegistrationStatus.REGISTERED,
                    created_at=now or timezone.now(),
                    participant_name=participant_name(user),
                )
        except IntegrityError:
            raise RegistrationError(_("You are already registered for this event.")) from None


def cancel(user, event, now=None) -> Registration | None:
    """Cancel ``user``'s registration; a freed place goes to the first on the waiting list, who
    is notified. Returns the promoted registration, if any."""
    from elearning.events import notifications  # cycle: it imports this module

    now = now or timezone.now()
    with transaction.atomic():
        event = _locked_event(event)
        registration = active_registration(user, event)
        if registration is None:
            raise RegistrationError(_("You are not registered for this event."))
        if event.has_started:
            raise RegistrationError(
                _("This event has already started: it can no longer be cancelled.")
            )
        freed = registration.status == RegistrationStatus.REGISTERED
        registration.status = RegistrationStatus.CANCELLED
        registration.cancelled_at = now
        registration.save(update_fields=["status", "cancelled_at"])
        promoted = _promote(event, now) if freed else None
    if promoted is not None:
        notifications.promoted(promoted)
    return promoted


def _promote(event, now) -> Registration | None:
    """The first on the waiting list takes the freed place (inside the event's lock)."""
    if seats_taken(event) >= event.capacity:
        return None
    first = (
        Registration.objects.filter(event=event, status=RegistrationStatus.WAITING)
        .order_by("created_at", "pk")
        .first()
    )
    if first is None:
        return None
    first.status = RegistrationStatus.REGISTERED
    first.promoted_at = now
    first.save(update_fields=["status", "promoted_at"])
    return first


def waiting_position(registration) -> int | None:
    if registration is None or registration.status != RegistrationStatus.WAITING:
        return None
    ahead = Registration.objects.filter(
        event_id=registration.event_id, status=RegistrationStatus.WAITING
    ).filter(
        Q(created_at__lt=registration.created_at)
        | Q(created_at=registration.created_at, pk__lt=registration.pk)
    )
    return ahead.count() + 1


def set_registration_closed(event, closed: bool) -> None:
    """Organisers close (or reopen) registration; the page's latest revision follows, so a later
    publication keeps the choice."""
    EventPage.objects.filter(pk=event.pk).update(registration_closed=closed)
    event.registration_closed = closed
    # The home page lists events open to registration; the event page's copies carry the flag.
    page_cache.invalidate(page_cache.HOME, REGISTRATIONS_TAG)
    revision = event.latest_revision
    if revision is not None and isinstance(revision.content, dict):
        revision.content["registration_closed"] = closed
        revision.save(update_fields=["content"])


def participants(event):
    """The registrations of an event, registered first then the waiting list in order (two
    queries however many participants: the list and nothing per row)."""
    return (
        Registration.objects.filter(event=event, status__in=ACTIVE_STATUSES)
        .select_related("user", "establishment")
        .order_by("-status", "created_at", "pk")  # "waiting" sorts after "registered"
    )


def registered_user_ids(event) -> list[int]:
    return list(
        Registration.objects.filter(
            event=event, status=RegistrationStatus.REGISTERED, user__isnull=False
        ).values_list("user_id", flat=True)
    )


# --- Attendance -------------------------------------------------------------------------------


def mark_attendance(event, attended_ids) -> int:
    """The check-in list: exactly the registrations ticked are marked as attended."""
    ids = {int(pk) for pk in attended_ids if str(pk).isdigit()}
    registered = Registration.objects.filter(event=event, status=RegistrationStatus.REGISTERED)
    with transaction.atomic():
        registered.exclude(pk__in=ids).update(attended=False)
        return registered.filter(pk__in=ids).update(attended=True)


@dataclass
class ImportReport:
    marked: int = 0
    problems: list[tuple[int, str, str]] = field(default_factory=list)  # (line, value, why)


def _decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def import_attendance(event, data: bytes) -> ImportReport:
    """Mark as attended the registered participants listed in a CSV file, one e-mail address
    per line (first column; a header line is skipped; "," or ";"). Lines that match nobody
    registered are reported, with the reason; nothing else changes."""
    if len(data) > CSV_MAX_BYTES:
        raise RegistrationError(_("The file is too large (1 MB at most)."))
    text = _decode(data)
    if "\x00" in text:
        raise RegistrationError(_("This is not a CSV file."))
    delimiter = ";" if text.count(";") > text.count(",") else ","
    rows = list(csv.reader(io.StringIO(text), delimiter=delimiter))
    by_email = {
        r.user.email.lower(): r
        for r in Registration.objects.filter(event=event, status__in=ACTIVE_STATUSES)
        .exclude(user__isnull=True)
        .select_related("user")
    }
    validate = EmailValidator()
    report, seen, to_mark = ImportReport(), set(), []
    for number, row in enumerate(rows, start=1):
        value = (row[0] if row else "").strip()
        if number == 1 and value.lower() in {"email", "e-mail", "courriel", "adresse"}:
            continue
        if not value:
            report.problems.append((number, "", _("empty line")))
            continue
        try:
            validate(value)
        except Exception:
            report.problems.append((number, value, _("not an e-mail address")))
            continue
        registration = by_email.get(value.lower())
        if registration is None:
            report.problems.append((number, value, _("nobody registered with this address")))
        elif registration.status == RegistrationStatus.WAITING:
            report.problems.append((number, value, _("on the waiting list, not registered")))
        elif value.lower() in seen:
            report.problems.append((number, value, _("listed twice")))
        else:
            seen.add(value.lower())
            to_mark.append(registration.pk)
    report.marked = Registration.objects.filter(pk__in=to_mark).update(attended=True)
    return report


def attended_registration(user, event) -> Registration | None:
    if not user.is_authenticated or not event.is_past:
        return None
    return Registration.objects.filter(
        event=event, user=user, status=RegistrationStatus.REGISTERED, attended=True
    ).first()


# --- Survey -----------------------------------------------------------------------------------


def survey_registration(user, event) -> Registration | None:
    """Participants (registered, attended or not) answer once the event is over."""
    if not user.is_authenticated or not event.is_past:
        return None
    return (
        Registration.objects.filter(event=event, user=user, status=RegistrationStatus.REGISTERED)
        .select_related("survey_answer")
        .first()
    )


def answer_survey(registration, rating, comment: str) -> SurveyAnswer:
    try:
        rating = int(rating)
    except (TypeError, ValueError):
        rating = 0
    if not 1 <= rating <= 5:
        raise RegistrationError(_("Choose a rating from 1 to 5."))
    if len(comment) > 2000:
        raise RegistrationError(_("The comment is too long (2,000 characters at most)."))
    answer, _created = SurveyAnswer.objects.update_or_create(
        registration=registration, defaults={"rating": rating, "comment": comment.strip()}
    )
    return answer


@dataclass
class SurveyResults:
    count: int
    average: float | None
    distribution: list[tuple[int, int]]  # (rating, answers)
    comments: list[str]


def survey_results(event) -> SurveyResults:
    answers = SurveyAnswer.objects.filter(registration__event=event)
    counts = dict(answers.values_list("rating").annotate(n=Count("pk")).order_by())
    average = answers.aggregate(avg=Avg("rating"))["avg"]
    comments = list(
        answers.exclude(comment="").order_by("-answered_at").values_list("comment", flat=True)
    )
    return SurveyResults(
        count=sum(counts.values()),
        average=round(average, 1) if average is not None else None,
        distribution=[(rating, counts.get(rating, 0)) for rating in range(5, 0, -1)],
        comments=comments,
    )


# --- Pages ------------------------------------------------------------------------------------


def event_context(user, event) -> dict:
    """What an event page shows the same to every member of an audience (the page is cached
    per audience, see ``EventPage.serve``); the member's own registration is a personal
    fragment (``elearning.events.personal``). Places left change with any registration: the
    copies carry ``REGISTRATIONS_TAG``."""
    replay = event.replay if event.replay_id else None
    return {
        "places_left": max(event.capacity - seats_taken(event), 0),
        "is_organiser": is_organiser(user) and can_view(user, event),
        "replay": replay if replay is not None and replay.live and can_view(user, replay) else None,
        "audience_labels": role_labels(event.audience),
    }


def registration_context(user, event, places_left: int, now=None) -> dict:
    """The member's own part of an event page, in one query (two on the waiting list)."""
    now = now or timezone.now()
    registration = own_registration(user, event.pk) if user.is_authenticated else None
    registered = registration is not None and registration.status == RegistrationStatus.REGISTERED
    past = event.ends_at <= now
    reason = refusal(user, event) if registration is None else None
    return {
        "registration": registration,
        "is_registered": registered,
        "waiting_position": registration and waiting_position(registration),
        "places_left": places_left,
        "can_register": registration is None and reason is None,
        "refusal": reason if user.is_authenticated else None,
        "show_online_link": registered and bool(event.online_link),
        "has_started": event.starts_at <= now,
        "is_past": past,
        "certificate_available": registered and registration.attended and past,
        "survey_open": registered and past,
        "survey_answered": registered and registration.survey_answered,
    }


@dataclass(frozen=True)
class OwnRegistration:
    """What an event page shows of the member's active registration."""

    pk: int
    event_id: int
    status: str
    attended: bool
    survey_answered: bool
    created_at: datetime.datetime | None = None  # read for the waiting list only


def own_registration(user, event_id: int) -> OwnRegistration | None:
    """The member's active registration to the event (one query), asked on every view of an
    event page (its personal fragment): written in SQL, since building the same query through
    the ORM costs several times more than running it."""
    with connection.cursor() as cursor:
        cursor.execute(_OWN_REGISTRATION_SQL, [event_id, user.pk, *ACTIVE_STATUSES])
        row = cursor.fetchone()
    if row is None:
        return None
    found = OwnRegistration(row[0], event_id, row[1], bool(row[2]), bool(row[3]))
    if found.status == RegistrationStatus.WAITING:  # its place in the queue needs its date
        created_at = Registration.objects.values_list("created_at", flat=True).get(pk=found.pk)
        return dataclasses.replace(found, created_at=created_at)
    return found


_OWN_REGISTRATION_SQL = (
    f"SELECT r.id, r.status, r.attended, EXISTS(SELECT 1 FROM {SurveyAnswer._meta.db_table} s "  # noqa: S608 (constant names)
    f"WHERE s.registration_id = r.id) FROM {Registration._meta.db_table} r "
    "WHERE r.event_id = %s AND r.user_id = %s "
    f"AND r.status IN ({', '.join(['%s'] * len(ACTIVE_STATUSES))}) LIMIT 1"
)


def role_labels(roles) -> list[str]:
    return [str(label) for code, label in Role.choices if code in set(roles or ())]


def visible_events(user, index=None):
    events = visible_to(user, EventPage.objects.live())
    if index is not None:
        events = events.child_of(index)
    return events.annotate(
        taken=Count("registrations", filter=Q(registrations__status=RegistrationStatus.REGISTERED))
    )


def upcoming_events(user, index=None, now=None):
    return (
        visible_events(user, index).filter(ends_at__gt=now or timezone.now()).order_by("starts_at")
    )


def past_events(user, index=None, now=None):
    return (
        visible_events(user, index)
        .filter(ends_at__lte=now or timezone.now())
        .order_by("-starts_at")
    )


def index_context(user, index, params) -> dict:
    kind = params.get("type", "")
    upcoming, past = upcoming_events(user, index), past_events(user, index)
    if kind in EventKind.values:
        upcoming, past = upcoming.filter(kind=kind), past.filter(kind=kind)
    mine = set()
    if user.is_authenticated:
        mine = set(
            Registration.objects.filter(user=user, status__in=ACTIVE_STATUSES).values_list(
                "event_id", "status"
            )
        )
    upcoming, past = list(upcoming), list(past[:24])
    for event in upcoming + past:
        event.places_left = max(event.capacity - event.taken, 0)
    return {
        "upcoming": upcoming,
        "past": past,
        "kits": list(visible_to(user, KitPage.objects.live().child_of(index)).order_by("path")),
        "kinds": EventKind.choices,
        "kind": kind,
        "my_statuses": {event_id: status for event_id, status in mine},
        "figures": figures.regional(),
        "is_organiser": is_organiser(user),
        "is_member": is_approved_member(user),
    }


def index_page():
    return EventIndexPage.objects.live().first()


def my_registration_rows(user) -> tuple[tuple, ...]:
    """« Mes inscriptions »: (event id, title, start, status, attended, event's tree path) of the
    member's active registrations to live events they may still view, by date: one query
    however many, plain rows, asked on every view of the page: written in SQL, since building
    the same query through the ORM costs several times more than running it. The start is as
    the database gives it (``aware``)."""
    with connection.cursor() as cursor:
        cursor.execute(_MY_REGISTRATIONS_SQL, [user.pk, True, *ACTIVE_STATUSES])
        rows = cursor.fetchall()
    return tuple(tuple(row[:6]) for row in rows if can_view(user, _Access(*row[6:])))


@dataclass(frozen=True)
class _Access:
    """An event's access fields, as ``can_view`` reads them."""

    access_level: str
    allowed_roles: str
    establishment_id: int | None


_MY_REGISTRATIONS_SQL = (
    "SELECT r.event_id, p.title, e.starts_at, r.status, r.attended, p.url_path, "  # noqa: S608 (constant names)
    f"e.access_level, e.allowed_roles, e.establishment_id FROM {Registration._meta.db_table} r "
    f"JOIN {EventPage._meta.db_table} e ON e.page_ptr_id = r.event_id "
    f"JOIN {Page._meta.db_table} p ON p.id = r.event_id "
    "WHERE r.user_id = %s AND p.live = %s "
    f"AND r.status IN ({', '.join(['%s'] * len(ACTIVE_STATUSES))}) ORDER BY e.starts_at, r.id"
)


def aware(value) -> datetime.datetime:
    """A datetime read by plain SQL: SQLite gives it naive (in UTC), PostgreSQL aware."""
    if isinstance(value, str):
        value = datetime.datetime.fromisoformat(value)
    return value if timezone.is_aware(value) else value.replace(tzinfo=datetime.UTC)


def registrations_for_feed(user, since=None):
    """The events of the member's current registrations (not the waiting list) that they may
    still view, from 90 days ago."""
    since = since or timezone.now() - datetime.timedelta(days=90)
    events = visible_to(
        user,
        EventPage.objects.live().filter(
            registrations__user=user,
            registrations__status=RegistrationStatus.REGISTERED,
            ends_at__gte=since,
        ),
    )
    return events.order_by("starts_at").distinct()


def home_events(user, limit: int):
    """Upcoming events the user may register for (or already registered for)."""
    events = upcoming_events(user).filter(registration_closed=False, starts_at__gt=timezone.now())
    member = membership_of(user)
    if not member.is_superuser:
        allowed = Q(audience="")
        for role in sorted(member.roles):
            allowed |= Q(audience__contains=role_token(role))
        events = events.filter(allowed)
    return list(events[:limit])
