"""The fan-out benchmark's steps, run inside the benchmark's throwaway portal (see run.py).

    python bench/fanout.py setup N     # N approved members following one document, 20 another
    python bench/fanout.py publish M   # publish the document M members follow; print timings

``publish`` times what the editor's publishing request does (the publication, then queueing the
notification once committed), then waits, outside that request, until the worker(s) have handed
every e-mail to the e-mail backend. It prints one JSON line.
"""

import json
import os
import sys
import time

import django

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
SLUGS = {"many": "bench-fanout-many", "few": "bench-fanout-few"}
FEW = 20


def _document(slug):
    from docs_base.models.documents import DocumentIndexPage, DocumentPage

    page = DocumentPage.objects.filter(slug=slug).first()
    if page is None:
        index = DocumentIndexPage.objects.first()
        page = index.add_child(
            instance=DocumentPage(
                title=f"Banc d'essai {slug}", slug=slug, summary="Banc", document_type="guide"
            )
        )
        page.save_revision().publish()
    return page


def setup(count: str) -> None:
    from django.contrib.auth import get_user_model

    from docs_base.models.documents import DocumentWatch
    from portal.accounts.models import Establishment, MemberProfile, MemberStatus

    User = get_user_model()
    if User.objects.filter(username__endswith="@bench.example").exists():
        return  # already set up (a second run on the same portal)
    establishment = Establishment.objects.order_by("pk").first()
    users = User.objects.bulk_create(
        User(username=f"banc{n}@bench.example", email=f"banc{n}@bench.example")
        for n in range(int(count))
    )
    MemberProfile.objects.bulk_create(
        MemberProfile(
            user=user,
            establishment=establishment,
            roles={"caregiver"},
            status=MemberStatus.APPROVED,
        )
        for user in users
    )
    many, few = _document(SLUGS["many"]), _document(SLUGS["few"])
    DocumentWatch.objects.bulk_create(DocumentWatch(user=user, page=many) for user in users)
    DocumentWatch.objects.bulk_create(DocumentWatch(user=user, page=few) for user in users[:FEW])


def publish(count: str) -> None:
    from django.db import transaction

    from docs_base.models.documents import DocumentPage
    from portal.notifications.models import EmailState, Notification

    slug = SLUGS["many"] if int(count) > FEW else SLUGS["few"]
    page = DocumentPage.objects.get(slug=slug)
    started = time.perf_counter()
    with transaction.atomic():  # as the admin's request: publish, then queue once committed
        revision = page.save_revision()
        revision.publish()
    request_s = time.perf_counter() - started
    key = f"documents.watch:{page.pk}:{revision.pk}"
    sent = Notification.objects.filter(key=key, email_state=EmailState.SENT)
    deadline = started + 600
    while sent.count() < int(count) and time.perf_counter() < deadline:
        time.sleep(0.1)
    delivered_s = time.perf_counter() - started
    print(json.dumps({"request_ms": request_s * 1000, "delivered_s": delivered_s,
                      "sent": sent.count()}))  # fmt: skip


if __name__ == "__main__":
    django.setup()
    {"setup": setup, "publish": publish}[sys.argv[1]](*sys.argv[2:])
