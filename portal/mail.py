"""Transactional e-mails (membership decisions, role claims, allauth's verification and reset
messages) leave the request: each is rendered there, then sent by a task. Callers that must not
mail for a rolled-back change queue it from ``transaction.on_commit``.
Notifications have their own sending, with preferences and retries (``portal.notifications``).
"""

from django.core.mail import EmailMessage, EmailMultiAlternatives
from django_tasks import task


@task()
def send_message(
    subject: str, body: str, from_email: str, to: list, alternatives: list, headers: dict
) -> int:
    message = EmailMultiAlternatives(subject, body, from_email, to, headers=headers)
    for content, mimetype in alternatives:
        message.attach_alternative(content, mimetype)
    return message.send()


def queue(message: EmailMessage) -> None:
    """Send ``message`` (already rendered: the task reads nothing else) from the task queue."""
    args = (
        message.subject,
        message.body,
        message.from_email,
        list(message.to),
        [[content, mimetype] for content, mimetype in getattr(message, "alternatives", [])],
        dict(message.extra_headers),
    )
    send_message.enqueue(*args)


def queue_mail(subject: str, body: str, recipients: list[str]) -> None:
    queue(EmailMessage(subject, body, None, recipients))
