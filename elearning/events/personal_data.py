"""What the events hold about a member: registrations, attendance, survey answers, calendar
feed, kit loans requested and session reports filed.

On account deletion the rows stay (the regional figures keep their counts), without the
person: the registrations lose the user and the name printed on certificates (one random key
still tells that they were one person, for the figures), the survey comments are erased (the
ratings stay), the calendar feed is deleted."""

import secrets

from elearning.events.models import (
    CalendarFeed,
    KitLoan,
    Registration,
    SessionReport,
    SurveyAnswer,
)


def _when(value):
    return value.isoformat() if value else None


def export(user) -> dict:
    registrations = []
    for registration in (
        Registration.objects.filter(user=user).select_related("event").order_by("created_at")
    ):
        answer = SurveyAnswer.objects.filter(registration=registration).first()
        registrations.append(
            {
                "event": registration.event.title,
                "starts_at": _when(registration.event.starts_at),
                "status": registration.status,
                "registered_at": _when(registration.created_at),
                "promoted_at": _when(registration.promoted_at),
                "cancelled_at": _when(registration.cancelled_at),
                "attended": registration.attended,
                "survey": answer and {"rating": answer.rating, "comment": answer.comment},
            }
        )
    loans = [
        {
            "kit": loan.kit.title,
            "from": _when(loan.starts_on),
            "to": _when(loan.ends_on),
            "status": loan.status,
            "note": loan.note,
        }
        for loan in KitLoan.objects.filter(requested_by=user).select_related("kit")
    ]
    reports = [
        {"played_on": _when(report.played_on), "players": report.players, "debrief": report.debrief}
        for report in SessionReport.objects.filter(filed_by=user)
    ]
    return {
        "event_registrations": registrations,
        "calendar_feed": CalendarFeed.objects.filter(user=user).exists(),
        "kit_loans": loans,
        "session_reports": reports,
    }


def erase(user) -> None:
    registrations = Registration.objects.filter(user=user)
    SurveyAnswer.objects.filter(registration__in=registrations).update(comment="")
    registrations.update(user=None, participant_name="", anonymous_key=secrets.token_hex(16))
    CalendarFeed.objects.filter(user=user).delete()
