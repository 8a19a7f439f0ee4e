"""TLP:AMBER and above: published only once a second editor approved (the Wagtail workflow
"Validation des alertes"); publication notifies the subscribers with metadata only."""

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse
from wagtail.test.utils.form_data import nested_form_data

from alerts.models import AlertPage, Subscription
from alerts.notifications import ALERT_KIND
from alerts.workflow import WORKFLOW_NAME
from portal.access import Role, Tlp
from portal.notifications.models import Notification
from tests.alerts import factories
from tests.portal.factories import MemberFactory

pytestmark = pytest.mark.django_db


def editor(name):
    user = MemberFactory(username=f"{name}@gcs.example", profile__roles={Role.EDITOR})
    user.is_staff = True
    user.save()
    user.groups.add(Group.objects.get(name="Editors"))
    return user


@pytest.fixture
def draft(index):
    return factories.alert(title="Compromission d'un éditeur DPI", tlp=Tlp.AMBER, published=False)


def test_the_alert_index_carries_the_workflow(index):
    assert index.get_workflow().name == WORKFLOW_NAME


@pytest.mark.parametrize("tlp", [Tlp.AMBER, Tlp.AMBER_STRICT, Tlp.RED])
def test_publishing_amber_and_above_at_once_is_refused(index, tlp, establishment):
    alert = factories.alert(tlp=tlp, establishment=establishment, published=False)
    revision = alert.save_revision()
    with pytest.raises(PermissionDenied):
        revision.publish()
    alert.refresh_from_db()
    assert not alert.live


def test_clear_and_green_may_be_published_at_once(index):
    for tlp in (Tlp.CLEAR, Tlp.GREEN):
        alert = factories.alert(tlp=tlp, published=False)
        alert.save_revision().publish()
        alert.refresh_from_db()
        assert alert.live


def test_the_admin_says_why_in_french(index, draft):
    superuser = MemberFactory(
        username="root@gcs.example",
        is_superuser=True,
        is_staff=True,
        profile__roles={Role.REGIONAL_ADMIN},
    )
    client = Client()
    client.force_login(superuser)
    edit = reverse("wagtailadmin_pages:edit", args=[draft.pk])
    data = nested_form_data(
        {
            "title": draft.title,
            "slug": draft.slug,
            "reference": draft.reference,
            "status": "new",
            "tlp": "amber",
            "severity": "high",
            "source": "cert_sante",
            "summary": "Résumé",
            "products-TOTAL_FORMS": "0",
            "products-INITIAL_FORMS": "0",
            "products-MIN_NUM_FORMS": "0",
            "products-MAX_NUM_FORMS": "1000",
            "action-publish": "publish",
        }
    )
    response = client.post(edit, data)
    assert response.status_code == 200
    assert "soumettez l&#x27;alerte à validation" in response.content.decode()
    draft.refresh_from_db()
    assert not draft.live


def test_a_second_editor_approves_and_the_subscribers_get_metadata_only(
    draft, member_of, run_tasks
):
    first, second = editor("lucie"), editor("marc")
    rssi = member_of(Role.RSSI, email="rssi@ch-delta.example")
    draft.get_workflow().start(draft, first)
    task_state = draft.current_workflow_state.current_task_state
    task = task_state.task.specific
    assert task.get_actions(draft, first) == []
    assert {name for name, *_ in task.get_actions(draft, second)} == {"reject", "approve"}
    url = reverse("wagtailadmin_pages:workflow_action", args=[draft.pk, "approve", task_state.pk])
    own = Client()
    own.force_login(first)
    refused = own.post(url, {"comment": ""})  # Wagtail: back to the dashboard, refused
    assert refused.status_code in (302, 403) and refused.get("Location", "") != draft.url
    with pytest.raises(PermissionDenied):
        task.on_action(task_state, first, "approve")
    draft.refresh_from_db()
    assert not draft.live
    other = Client()
    other.force_login(second)
    with run_tasks():
        response = other.post(url, {"comment": "OK"})
        assert response.status_code == 302
    alert = AlertPage.objects.get(pk=draft.pk)
    assert alert.live and alert.changes.count() == 1
    # Wagtail's own moderation e-mails go to the editors; the portal's alert to the subscriber.
    alert_mails = [m for m in mail.outbox if "List-Unsubscribe" in m.extra_headers]
    assert [m.to for m in alert_mails] == [[rssi.email]]
    message = alert_mails[0]
    text = message.body + message.alternatives[0][0]
    assert alert.reference in text and "TLP:AMBER" in text and "Élevée" in text
    assert "Compromission" not in text + message.subject and alert.summary not in text


def test_each_update_shows_what_changed_and_news_notifies_again(index, member_of, run_tasks):
    rssi = member_of(Role.RSSI)
    Subscription.objects.create(user=rssi, min_severity="low")
    with run_tasks():
        alert = factories.alert(title="Faille du PACS", tlp=Tlp.CLEAR)
    page = AlertPage.objects.get(pk=alert.pk)
    with run_tasks():
        page.status, page.change_note = "updated", "Correctif 5.8.2 publié par l'éditeur"
        page.save_revision().publish()
    with run_tasks():
        page.title = "Faille du PACS (coquille corrigée)"  # same note: not news
        page.save_revision().publish()
    html = Client().get(page.url).content.decode()
    assert "Ce qui a changé" in html and "Correctif 5.8.2 publié par l&#x27;éditeur" in html
    history = html[html.index('id="alert-changes"') :]
    assert history.count("<li>") == 3 and "Mise à jour" in history and "Nouvelle" in history
    sent = Notification.objects.filter(user=rssi, kind=ALERT_KIND)
    assert sent.count() == 2  # the first publication and the update, not the correction
