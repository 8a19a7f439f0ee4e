"""The publication workflow of TLP:AMBER and above: a second person's approval.

``ensure_alerts_workflow()`` creates, idempotently, the second-person approval task (groups
"Editors" and "Moderators"; whoever submitted cannot approve) and the "Validation des alertes"
workflow, assigns it to every alert index and lets the groups publish there (approving
publishes). It runs after ``migrate`` and whenever an alert index is created. TLP:CLEAR and
GREEN alerts may still be published at once; AMBER and above only through this workflow
(``AlertPage.publish`` refuses anything else).
"""

from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.db.models.signals import post_migrate, post_save
from wagtail.models import GroupPagePermission, Workflow, WorkflowPage, WorkflowTask

from alerts.models import AlertIndexPage, SecondPersonApprovalTask

WORKFLOW_NAME = "Validation des alertes"
TASK_NAME = "Approbation par un second éditeur"
# The GCS editors, and the moderators and regional administrators (Wagtail's "Moderators").
APPROVERS_GROUPS = ("Editors", "Moderators")


@transaction.atomic
def ensure_alerts_workflow():
    groups = [Group.objects.get_or_create(name=name)[0] for name in APPROVERS_GROUPS]
    task = SecondPersonApprovalTask.objects.filter(name=TASK_NAME).first()
    if task is None:
        task = SecondPersonApprovalTask.objects.create(name=TASK_NAME)
    task.groups.add(*groups)
    workflow, _created = Workflow.objects.get_or_create(name=WORKFLOW_NAME)
    WorkflowTask.objects.get_or_create(workflow=workflow, task=task, defaults={"sort_order": 0})
    publish = Permission.objects.get(content_type__app_label="wagtailcore", codename="publish_page")
    for index in AlertIndexPage.objects.all():
        # An administrator may have chosen another workflow for the index: it is kept.
        WorkflowPage.objects.get_or_create(page=index.page_ptr, defaults={"workflow": workflow})
        # Approving publishes: the approvers publish alerts (AMBER+ only through the workflow).
        for group in groups:
            GroupPagePermission.objects.get_or_create(
                group=group, page=index.page_ptr, permission=publish
            )
    return workflow


def _after_migrate(sender, **kwargs):
    ensure_alerts_workflow()


def _index_created(sender, instance, created, raw=False, **kwargs):
    if created and not raw:
        ensure_alerts_workflow()


def connect(app_config) -> None:
    post_migrate.connect(_after_migrate, sender=app_config, dispatch_uid="alerts-workflow-migrate")
    post_save.connect(_index_created, sender=AlertIndexPage, dispatch_uid="alerts-workflow-index")
