"""Attendance certificates: the e-learning certificate machinery (WeasyPrint, the region's
names, a verification code) with the event's facts."""

from django.utils import timezone

from elearning.services import render_certificate_pdf


def certificate_context(registration) -> dict:
    event = registration.event
    return {
        "registration": registration,
        "event": event,
        "name": registration.participant_name,
        "starts_at": timezone.localtime(event.starts_at),
        "ends_at": timezone.localtime(event.ends_at),
        "hours": round((event.ends_at - event.starts_at).total_seconds() / 3600, 1),
    }


def attendance_pdf(registration) -> bytes:
    return render_certificate_pdf(
        "elearning/events/attendance_certificate.html", certificate_context(registration)
    )
