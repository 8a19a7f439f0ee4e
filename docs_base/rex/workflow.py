"""The REX moderation workflow, its moderators' group, and what each workflow step does.

``ensure_rex_workflow()`` creates, idempotently, the "Modérateurs" group (Wagtail admin access
and page permissions on every REX index), the group approval task and the "Modération des REX"
workflow, and assigns the workflow to every REX index. It runs after ``migrate`` and whenever a
REX index page is created.

The author follows their submission through Wagtail's workflow signals: received (task
submitted), changes requested (workflow rejected, with the moderator's comment) and published
(page published). Each step updates the submission and e-mails the author once the
transaction is committed.
"""

from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models.signals import post_migrate, post_save
from django.utils import timezone
from wagtail.models import (
    GroupApprovalTask,
    GroupPagePermission,
    Workflow,
    WorkflowPage,
    WorkflowTask,
)
from wagtail.signals import page_published, task_submitted, workflow_cancelled, workflow_rejected

from docs_base.models.rex import RexIndexPage, RexPage, RexSubmission, SubmissionStatus
from docs_base.rex import notifications

WORKFLOW_NAME = "Modération des REX"
TASK_NAME = "Relecture par les modérateurs"
MODERATORS_GROUP = "Modérateurs"
# Page permissions the moderators hold on the REX index (and so on every REX below it).
PAGE_PERMISSIONS = ("add_page", "change_page", "publish_page", "lock_page", "unlock_page")


def _permission(app_label: str, model: str, codename: str) -> Permission:
    content_type, _created = ContentType.objects.get_or_create(app_label=app_label, model=model)
    permission, _created = Permission.objects.get_or_create(
        content_type=content_type, codename=codename, defaults={"name": codename}
    )
    return permission


@transaction.atomic
def ensure_rex_workflow():
    """Create the group, task and workflow if missing; assign them to every REX index."""
    group, _created = Group.objects.get_or_create(name=MODERATORS_GROUP)
    group.permissions.add(_permission("wagtailadmin", "admin", "access_admin"))
    task = GroupApprovalTask.objects.filter(name=TASK_NAME).first()
    if task is None:
        task = GroupApprovalTask.objects.create(name=TASK_NAME)
    task.groups.add(group)
    workflow, _created = Workflow.objects.get_or_create(name=WORKFLOW_NAME)
    WorkflowTask.objects.get_or_create(workflow=workflow, task=task, defaults={"sort_order": 0})
    page_permissions = [_permission("wagtailcore", "page", code) for code in PAGE_PERMISSIONS]
    for index in RexIndexPage.objects.all():
        # An administrator may have chosen another workflow for the index: it is kept.
        WorkflowPage.objects.get_or_create(page=index.page_ptr, defaults={"workflow": workflow})
        for permission in page_permissions:
            GroupPagePermission.objects.get_or_create(
                group=group, page=index.page_ptr, permission=permission
            )
    return workflow


def _after_migrate(sender, **kwargs):
    ensure_rex_workflow()


def _index_created(sender, instance, created, raw=False, **kwargs):
    if created and not raw:
        ensure_rex_workflow()


# --- What each workflow step does to the author's submission ------------------------------


def _submission_for_state(workflow_state):
    """The submission behind a workflow state on a REX page, or None."""

    if workflow_state.content_type_id != ContentType.objects.get_for_model(RexPage).pk:
        return None
    return (
        RexSubmission.objects.select_related("owner", "page")
        .filter(page_id=workflow_state.object_id)
        .first()
    )


def _task_submitted(sender, instance, user=None, **kwargs):

    submission = _submission_for_state(instance.workflow_state)
    if submission is not None:
        notifications.tell_author(submission, "received")


def _workflow_rejected(sender, instance, user=None, **kwargs):
    # Not at the top: the services start this workflow (``ensure_rex_workflow``).
    from docs_base.rex import services

    submission = _submission_for_state(instance)
    if submission is None:
        return
    task_state = instance.current_task_state
    services.take_back_moderated_version(submission)
    submission.status = SubmissionStatus.CHANGES_REQUESTED
    submission.moderator_comment = task_state.comment if task_state else ""
    submission.save()
    notifications.tell_author(submission, "changes_requested")


def _workflow_cancelled(sender, instance, user=None, **kwargs):
    """Withdrawn from moderation without being published: back to its author."""

    submission = _submission_for_state(instance)
    if (
        submission is not None
        and submission.status == SubmissionStatus.IN_MODERATION
        and not submission.page.live
    ):
        submission.status = SubmissionStatus.CHANGES_REQUESTED
        submission.moderator_comment = ""
        submission.save(update_fields=["status", "moderator_comment", "updated_at"])


def _page_published(sender, instance, **kwargs):

    submission = (
        RexSubmission.objects.select_related("owner", "page")
        .filter(page_id=instance.pk)
        .exclude(status=SubmissionStatus.PUBLISHED)
        .first()
    )
    if submission is None:
        return
    submission.status = SubmissionStatus.PUBLISHED
    submission.published_at = timezone.now()
    submission.moderator_comment = ""
    submission.save(update_fields=["status", "published_at", "moderator_comment", "updated_at"])
    notifications.tell_author(submission, "published")


def connect_signals(app_config) -> None:
    post_migrate.connect(_after_migrate, sender=app_config, dispatch_uid="rex-workflow-migrate")
    post_save.connect(_index_created, sender=RexIndexPage, dispatch_uid="rex-workflow-index")
    task_submitted.connect(_task_submitted, dispatch_uid="rex-task-submitted")
    workflow_rejected.connect(_workflow_rejected, dispatch_uid="rex-workflow-rejected")
    workflow_cancelled.connect(_workflow_cancelled, dispatch_uid="rex-workflow-cancelled")
    page_published.connect(_page_published, sender=RexPage, dispatch_uid="rex-page-published")
