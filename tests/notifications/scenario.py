"""Steps of the real-worker tests, run in their own process: ``python -m
tests.notifications.scenario setup|notify|state ...`` (see test_queue.py)."""

import json
import sys

import django


def setup() -> None:
    from wagtail.models import Page

    from docs_base.models.documents import DocumentIndexPage, DocumentPage
    from portal.access import Role
    from portal.accounts.models import Establishment, MemberProfile, MemberStatus
    from portal.models import HomePage

    root = Page.get_first_root_node()
    home = root.add_child(
        instance=HomePage(
            title="Accueil", slug="accueil-file", hero_title="Bienvenue", intro="<p>x</p>"
        )
    )
    index = home.add_child(instance=DocumentIndexPage(title="Base", slug="base"))
    page = index.add_child(
        instance=DocumentPage(
            title="Plan de continuité", slug="pca", summary="PCA", document_type="guide"
        )
    )
    page.save_revision().publish()
    establishment = Establishment.objects.create(
        name="CH file", finess="380000777", kind="ch", department="38"
    )
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.create(username="rssi@file.example", email="rssi@file.example")
    MemberProfile.objects.create(
        user=user, establishment=establishment, roles={Role.RSSI}, status=MemberStatus.APPROVED
    )
    print(json.dumps({"page": page.pk, "user": user.pk}))


def notify(title: str) -> None:
    from django.contrib.auth import get_user_model
    from django.db import transaction

    from docs_base.models.documents import DocumentPage
    from docs_base.notifications import WATCH
    from portal.notifications.services import notify

    page = DocumentPage.objects.get(slug="pca")
    user = get_user_model().objects.get(username="rssi@file.example")
    with transaction.atomic():
        notify(WATCH, page, [user], title=title)


def state(title: str) -> None:
    from portal.notifications.models import Notification

    print(
        json.dumps(
            list(Notification.objects.filter(title=title).values("email_state", "email_attempts"))
        )
    )


if __name__ == "__main__":
    django.setup()
    {"setup": setup, "notify": notify, "state": state}[sys.argv[1]](*sys.argv[2:])
