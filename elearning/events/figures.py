"""The regional figures of the awareness programme, computed from the data (never typed):
people trained in webinars and at events (attendance), escape-game sessions played and their
players (session reports)."""

from dataclasses import dataclass

from django.db.models import Case, CharField, Count, Q, Sum, Value, When
from django.db.models.functions import Cast, Concat

from elearning.events.models import EventKind, Registration, RegistrationStatus, SessionReport


@dataclass(frozen=True)
class RegionalFigures:
    webinar_attendees: int
    event_attendees: int
    sessions_played: int
    players: int
    establishments_played: int


# Who attended: the member, or the anonymous key of a deleted account (one per person), or
# the row itself for a deleted account's rows from before the key existed.
PERSON = Case(
    When(user__isnull=False, then=Concat(Value("u"), Cast("user_id", CharField()))),
    When(~Q(anonymous_key=""), then=Concat(Value("a"), "anonymous_key")),
    default=Concat(Value("r"), Cast("pk", CharField())),
    output_field=CharField(),
)


def regional() -> RegionalFigures:
    """Two queries. People trained in webinars are counted once however many webinars they
    attended. A deleted account still counts (its rows stay, anonymous, under one key)."""
    attended = Registration.objects.filter(status=RegistrationStatus.REGISTERED, attended=True)
    people = attended.aggregate(
        webinar=Count(PERSON, distinct=True, filter=Q(event__kind=EventKind.WEBINAR)),
        everything=Count("pk"),
    )
    sessions = SessionReport.objects.aggregate(
        sessions=Count("pk"),
        players=Sum("players"),
        establishments=Count("loan__establishment", distinct=True),
    )
    return RegionalFigures(
        webinar_attendees=people["webinar"],
        event_attendees=people["everything"],
        sessions_played=sessions["sessions"],
        players=sessions["players"] or 0,
        establishments_played=sessions["establishments"],
    )
