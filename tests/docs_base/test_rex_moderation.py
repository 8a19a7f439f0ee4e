"""Submission -> moderation workflow -> publication, and the author told at each step."""

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape
from wagtail.models import GroupApprovalTask, GroupPagePermission, Workflow, WorkflowPage

from docs_base.models import RexPage, RexSubmission, SubmissionStatus
from docs_base.rex import services
from docs_base.rex.workflow import (
    MODERATORS_GROUP,
    PAGE_PERMISSIONS,
    TASK_NAME,
    WORKFLOW_NAME,
    ensure_rex_workflow,
)
from portal.access import Role, Tlp
from tests.docs_base.factories import rex_index, rex_submission
from tests.portal.factories import EstablishmentFactory, MemberFactory, client_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def author_client(author):
    return client_for(author)


def demo_like_moderator(groups=("Moderators", MODERATORS_GROUP)):
    """As ``portal.demo.accounts`` builds the demo moderator: staff, Wagtail groups, MFA."""
    gcs = EstablishmentFactory(finess="690000041", name="GCS", kind="gcs", department="69")
    user = MemberFactory(
        username="moderateur@gcs.example",
        profile__establishment=gcs,
        profile__roles={Role.MODERATOR},
    )
    user.is_staff = True
    user.save()
    for name in groups:
        user.groups.add(Group.objects.get_or_create(name=name)[0])
    client = Client()
    client.force_login(user)
    return user, client


@pytest.fixture
def index():
    return rex_index()


def submit_through_the_form(client, submission, tlp="green"):
    url = reverse("docs_base:rex_submission_step", args=[submission.pk, "review"])
    return client.post(url, {"tlp": tlp, "confirm": "on"})


def fr(text) -> str:
    """``text`` as the portal shows it (French by default)."""
    with translation.override("fr"):
        return str(translation.gettext(str(text)))


def mails_to(mailoutbox, user):
    """The messages the portal sent to ``user`` (Wagtail also notifies the moderators)."""
    return [message for message in mailoutbox if message.to == [user.email]]


def workflow_action(client, page, action, comment=""):
    task_state = RexPage.objects.get(pk=page.pk).current_workflow_task_state
    url = reverse("wagtailadmin_pages:workflow_action", args=[page.pk, action, task_state.pk])
    return client.post(url, {"comment": comment})


def test_ensure_rex_workflow_is_idempotent(index):
    ensure_rex_workflow()
    ensure_rex_workflow()
    workflow = Workflow.objects.get(name=WORKFLOW_NAME)
    assert [task.name for task in workflow.tasks] == [TASK_NAME]
    task = GroupApprovalTask.objects.get(name=TASK_NAME)
    assert list(task.groups.values_list("name", flat=True)) == [MODERATORS_GROUP]
    assert Group.objects.filter(name=MODERATORS_GROUP).count() == 1
    assert WorkflowPage.objects.get(page=index).workflow == workflow
    codenames = set(
        GroupPagePermission.objects.filter(group__name=MODERATORS_GROUP, page=index).values_list(
            "permission__codename", flat=True
        )
    )
    assert codenames == set(PAGE_PERMISSIONS)
    assert (
        Group.objects.get(name=MODERATORS_GROUP)
        .permissions.filter(codename="access_admin")
        .exists()
    )


def test_submission_creates_a_draft_page_in_the_workflow(
    index, author, author_client, mailoutbox, django_capture_on_commit_callbacks
):
    submission = rex_submission(author, show_establishment_name=False)
    with django_capture_on_commit_callbacks(execute=True):
        response = submit_through_the_form(author_client, submission, tlp="amber_strict")
    assert response.status_code == 302 and response["Location"] == reverse("docs_base:rex_mine")
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.IN_MODERATION
    page = RexPage.objects.get(pk=submission.page_id)
    assert not page.live
    assert page.get_parent().specific == index
    assert page.title == submission.title
    assert page.reporting_establishment == author.member_profile.establishment
    assert (page.tlp, page.access_level, page.establishment_id) == (
        Tlp.AMBER_STRICT,
        "establishment",
        author.member_profile.establishment_id,
    )
    state = page.current_workflow_state
    assert state.workflow.name == WORKFLOW_NAME and state.status == state.STATUS_IN_PROGRESS
    # Not visible to anyone while in moderation.
    assert Client().get(page.get_url() or "/nowhere/").status_code == 404
    (received,) = mails_to(mailoutbox, author)
    assert fr("Your experience feedback was received") in received.subject
    mine = author_client.get(reverse("docs_base:rex_mine")).content.decode()
    assert fr(SubmissionStatus.IN_MODERATION.label) in mine


def test_moderator_approves_the_page_is_published_and_the_author_told(
    index, author, author_client, mailoutbox, django_capture_on_commit_callbacks
):
    moderator, moderator_client = demo_like_moderator()
    submission = rex_submission(author)
    submit_through_the_form(author_client, submission)
    submission.refresh_from_db()
    page = submission.page
    # The moderator can open the page in the admin to edit and anonymise it.
    edit = moderator_client.get(reverse("wagtailadmin_pages:edit", args=[page.pk]))
    assert edit.status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = workflow_action(moderator_client, page, "approve")
    assert response.status_code == 302
    page.refresh_from_db()
    submission.refresh_from_db()
    assert page.live
    assert submission.status == SubmissionStatus.PUBLISHED
    (published,) = mails_to(mailoutbox, author)
    assert fr("Your experience feedback is published") in published.subject
    assert page.url in published.body
    mine = author_client.get(reverse("docs_base:rex_mine")).content.decode()
    assert fr(SubmissionStatus.PUBLISHED.label) in mine and page.url in mine
    assert author_client.get(page.url).status_code == 200


def test_moderator_can_write_a_rex_in_the_admin(index):
    _moderator, client = demo_like_moderator()
    add = reverse("wagtailadmin_pages:add", args=["docs_base", "rexpage", index.pk])
    assert client.get(add).status_code == 200


def test_only_the_rex_moderators_group_can_approve(index, author, author_client):
    _user, wagtail_moderator = demo_like_moderator(groups=("Moderators",))
    submission = rex_submission(author)
    submit_through_the_form(author_client, submission)
    submission.refresh_from_db()
    response = workflow_action(wagtail_moderator, submission.page, "approve")
    assert response.status_code in (302, 403)
    submission.page.refresh_from_db()
    assert not submission.page.live


def test_changes_requested_author_sees_the_comment_edits_and_resubmits(
    index, author, author_client, mailoutbox, django_capture_on_commit_callbacks
):
    _moderator, moderator_client = demo_like_moderator()
    submission = rex_submission(author)
    with django_capture_on_commit_callbacks(execute=True):
        submit_through_the_form(author_client, submission)
    submission.refresh_from_db()
    page = submission.page
    # The moderator anonymises the summary, then asks the author for changes.
    moderated = page.get_latest_revision_as_object()
    moderated.summary = "Un compte de messagerie d'un établissement a été compromis."
    moderated.save_revision()
    comment = "Merci de préciser la durée de l'incident et le coût."
    with django_capture_on_commit_callbacks(execute=True):
        workflow_action(moderator_client, page, "reject", comment)

    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.CHANGES_REQUESTED
    assert submission.moderator_comment == comment
    assert submission.summary == moderated.summary  # the author goes on from the moderated text
    changes = mails_to(mailoutbox, author)[-1]
    assert fr("Changes requested on your experience feedback") in changes.subject
    assert comment in changes.body
    assert escape(comment) in author_client.get(reverse("docs_base:rex_mine")).content.decode()
    step = reverse("docs_base:rex_submission_step", args=[submission.pk, "incident"])
    assert escape(comment) in author_client.get(step).content.decode()

    response = author_client.post(
        step,
        {
            "incident_type": submission.incident_type,
            "occurred_on": submission.occurred_on.isoformat(),
            "detection": submission.detection,
            "duration_days": "12",
            "timeline-TOTAL_FORMS": "0",
            "timeline-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302
    with django_capture_on_commit_callbacks(execute=True):
        submit_through_the_form(author_client, submission)
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.IN_MODERATION
    assert submission.moderator_comment == ""
    page = RexPage.objects.get(pk=page.pk)
    latest = page.get_latest_revision_as_object()
    assert latest.duration_days == 12
    assert latest.summary == moderated.summary
    state = page.current_workflow_state
    assert state.status == state.STATUS_IN_PROGRESS
    assert fr("Your experience feedback was received") in mails_to(mailoutbox, author)[-1].subject
    assert RexPage.objects.count() == 1  # the same page, not a second one

    with django_capture_on_commit_callbacks(execute=True):
        workflow_action(moderator_client, page, "approve")
    page.refresh_from_db()
    assert page.live and page.duration_days == 12


def test_submit_without_rex_index_changes_nothing(author, author_client):
    submission = rex_submission(author)
    response = submit_through_the_form(author_client, submission)
    assert response.status_code == 200
    error = "Experience feedback cannot be received at the moment: please try again later."
    assert escape(fr(error)) in response.content.decode()
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.DRAFT and submission.page_id is None
    assert not RexPage.objects.exists()


def test_submit_twice_is_refused(index, author):
    submission = rex_submission(author)
    services.submit(submission, author)
    with pytest.raises(services.SubmissionError):
        services.submit(RexSubmission.objects.get(pk=submission.pk), author)
    assert RexPage.objects.count() == 1


def test_demo_moderator_is_in_the_rex_moderators_group():
    from portal.demo.accounts import PEOPLE

    groups = {role: groups for role, _first, _last, _kind, groups in PEOPLE}
    assert MODERATORS_GROUP in groups[Role.MODERATOR]
