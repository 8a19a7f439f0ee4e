"""The author of a review is told when a moderator publishes or rejects it, through the
notification service (once per version and decision), in the portal and by e-mail."""

import pytest
from django.utils import translation

from benchmarks import services
from benchmarks.models import Review, ReviewStatus
from benchmarks.notifications import REVIEW_MODERATION
from portal.access import Role
from portal.notifications import kinds
from portal.notifications.models import Notification
from tests.benchmarks import factories as f
from tests.benchmarks.test_admin_and_data import staff

pytestmark = pytest.mark.django_db


def fr(text: str) -> str:
    with translation.override("fr"):
        return str(translation.gettext(text))


@pytest.fixture
def authored():
    author = f.reviewer(Role.RSSI)
    solution = f.solution(f.category("EDR", criteria=2), "Vigie EDR", scores=[4, 4])
    review = f.review(solution, status=ReviewStatus.PENDING, author=author)
    return author, review


def mails_to(mailoutbox, user):
    return [message for message in mailoutbox if message.to == [user.email]]


def test_the_kind_is_declared_by_the_module():
    kind = kinds.get(REVIEW_MODERATION)
    assert kind.module == "benchmarks"


def test_publication_is_notified_to_the_author_once(
    authored, mailoutbox, django_capture_on_commit_callbacks
):
    author, review = authored
    other = f.reviewer(Role.RSSI)
    with django_capture_on_commit_callbacks(execute=True):
        services.moderate(review, ReviewStatus.PUBLISHED, "Relu, merci")
    (mail,) = mails_to(mailoutbox, author)
    assert fr("Your review of %(solution)s is published") % {"solution": "Vigie EDR"} in (
        mail.subject
    )
    assert "Relu, merci" in mail.body
    assert not mails_to(mailoutbox, other)
    (notification,) = Notification.objects.filter(user=author, kind=REVIEW_MODERATION)
    assert notification.url == review.solution.get_url()
    # The same decision saved again notifies nobody twice.
    with django_capture_on_commit_callbacks(execute=True):
        services.moderate(review, ReviewStatus.PUBLISHED, "Relu, merci")
    assert len(mails_to(mailoutbox, author)) == 1
    assert Notification.objects.filter(user=author, kind=REVIEW_MODERATION).count() == 1


def test_rejection_is_notified_with_the_moderators_note(
    authored, mailoutbox, django_capture_on_commit_callbacks
):
    author, review = authored
    with django_capture_on_commit_callbacks(execute=True):
        services.moderate(review, ReviewStatus.REJECTED, "Conflit d'intérêts non déclaré")
    (mail,) = mails_to(mailoutbox, author)
    assert fr("Your review of %(solution)s was not published") % {"solution": "Vigie EDR"} in (
        mail.subject
    )
    assert "Conflit d'intérêts non déclaré" in mail.body


def test_pending_or_authorless_reviews_notify_nobody(
    authored, mailoutbox, django_capture_on_commit_callbacks
):
    author, review = authored
    with django_capture_on_commit_callbacks(execute=True):
        services.moderate(review, ReviewStatus.PENDING)
        Review.objects.filter(pk=review.pk).update(author=None)
        review.refresh_from_db()
        services.moderate(review, ReviewStatus.PUBLISHED)
    assert not mails_to(mailoutbox, author)
    assert not Notification.objects.filter(kind=REVIEW_MODERATION).exists()


def test_a_decision_taken_in_the_admin_is_notified(
    authored, client, mailoutbox, django_capture_on_commit_callbacks
):
    author, review = authored
    client.force_login(staff("Moderators"))
    url = f"/admin/snippets/benchmarks/review/edit/{review.pk}/"
    form = client.get(url).context["form"]
    data = {}
    for name, field in form.fields.items():
        if field.disabled:
            continue
        value = form[name].value()
        if isinstance(value, bool):
            if value:
                data[name] = "on"
            continue
        data[name] = "" if value is None else value
    data["status"] = ReviewStatus.PUBLISHED
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, data)
    assert response.status_code == 302, getattr(response.context.get("form"), "errors", None)
    assert Review.objects.get(pk=review.pk).status == ReviewStatus.PUBLISHED
    assert len(mails_to(mailoutbox, author)) == 1
