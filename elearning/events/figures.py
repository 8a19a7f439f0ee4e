"""The regional figures of the awareness programme, computed from the data (never typed):
people trained in webinars and at events (attendance), escape-game sessions played and their
players (session reports)."""

from dataclasses import dataclass

from django.db.models import Count, Q, Sum

from elearning.events.models import EventKind, Registration, RegistrationStatus, SessionReport


@dataclass(frozen=True)
class RegionalFigures:
    webinar_attendees: int
    event_attendees: int
    sessions_played: int
    players: int
    establishments_played: int


def regional() -> RegionalFigures:
    """Two queries. A deleted account's attendance still counts (its rows stay, anonymous)."""
    attended = Registration.objects.filter(status=RegistrationStatus.REGISTERED, attended=True)
    people = attended.aggregate(
        webinar=Count("pk", filter=Q(event__kind=EventKind.WEBINAR)), everything=Count("pk")
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
