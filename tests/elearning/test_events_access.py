"""Events and kits for the 9 users of the URL matrix (and visitors): who sees which event,
who may register, who organises; search documents and facets; the home page; personal data;
the reminders; bounded queries on the event list and the participants' list (500)."""

import datetime
import json

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.utils import timezone

from elearning.events import notifications, search_documents, services
from elearning.events.models import EventMilestone, EventPage, Registration, SurveyAnswer
from portal.access import AccessLevel, Role
from portal.notifications.models import Notification
from tests.elearning.event_factories import event, event_index, kit
from tests.portal.factories import client_for, home_page
from tests.portal.url_matrix import USERS, build_users, establishments

pytestmark = pytest.mark.django_db


@pytest.fixture
def users():
    home_page()
    return build_users(*establishments())


def _client(users, who):
    client = Client(raise_request_exception=False)
    if users[who] is not None:
        client.force_login(users[who])
    return client


APPROVED = {"caregiver", "impostor", "other_establishment", "rssi", "moderator", "editor"}
APPROVED |= {"regional_admin"}


def test_event_pages_by_access_level_for_the_nine_users(users):
    est_a = users["caregiver"].member_profile.establishment
    pages = {
        "public": (event("Public"), set(USERS)),
        "members": (event("Membres", access_level=AccessLevel.MEMBERS), APPROVED),
        "rssi": (
            event("RSSI", access_level=AccessLevel.ROLES, allowed_roles={Role.RSSI}),
            {"rssi"},
        ),
        "establishment": (
            event("Etab A", access_level=AccessLevel.ESTABLISHMENT, establishment=est_a),
            APPROVED - {"other_establishment"},
        ),
    }
    failures = []
    for who in USERS:
        client = _client(users, who)
        for key, (page, allowed) in pages.items():
            for url in (page.url, page.url + page.reverse_subpage("ics")):
                status = client.get(url).status_code
                if status != (200 if who in allowed else 404):
                    failures.append(f"{key} {url} as {who}: {status}")
    assert not failures, "\n".join(failures)


def test_who_may_register_and_who_organises(users):
    """Only approved members may register (the impostor as the caregiver they are, never as
    the RSSI they claimed); only editors and regional administrators organise."""
    for_rssi = event("Pour RSSI", audience={Role.RSSI}, capacity=50)
    for_all = event("Pour tous", capacity=50)
    outcomes = {}
    for who in USERS:
        client = _client(users, who)
        client.post(for_rssi.url + for_rssi.reverse_subpage("register"))
        client.post(for_all.url + for_all.reverse_subpage("register"))
        participants = client.get(for_all.url + for_all.reverse_subpage("participants"))
        outcomes[who] = participants.status_code
    names = {user.pk: who for who, user in users.items() if user is not None}

    def registered_for(page):
        rows = Registration.objects.filter(event=page, status="registered")
        return {names[user_id] for user_id in rows.values_list("user_id", flat=True)}

    assert registered_for(for_rssi) == {"rssi"}  # the impostor's claimed RSSI role opens nothing
    assert registered_for(for_all) == APPROVED
    assert {who for who, status in outcomes.items() if status == 200} == {
        "editor",
        "regional_admin",
    }


def test_search_documents_and_facets(member_of):
    secret = event(
        "Webinaire membres zorglub",
        access_level=AccessLevel.MEMBERS,
        audience={Role.DIRECTOR},
        kind="regional_day",
    )
    document = search_documents.document(secret)
    assert document.access_level == AccessLevel.MEMBERS
    assert document.facets == {
        "event_type": ("regional_day",),
        "when": ("upcoming",),
        "audience": ("director",),
    }
    assert secret.online_link not in document.body
    game = search_documents.document(kit())
    assert game.facets == {"event_type": ("kit",)}
    member = member_of(Role.CAREGIVER)
    anonymous = Client().get("/recherche/", {"q": "zorglub"}).content.decode()
    assert "Webinaire membres" not in anonymous
    found = client_for(member).get("/recherche/", {"q": "zorglub", "event_type": "regional_day"})
    assert "Webinaire membres" in found.content.decode()
    past = client_for(member).get("/recherche/", {"q": "zorglub", "when": "past"})
    assert "Webinaire membres" not in past.content.decode()


def test_an_ended_event_moves_to_past_in_the_index_once(member_of):
    page = event("Bientôt fini zorglub", starts_in=datetime.timedelta(minutes=-30))
    client = client_for(member_of(Role.CAREGIVER))
    upcoming = client.get("/recherche/", {"q": "zorglub", "when": "upcoming"})
    assert "Bientôt fini" in upcoming.content.decode()
    # Time passes: the event ends (the row changes without a publication).
    EventPage.objects.filter(pk=page.pk).update(ends_at=timezone.now())
    assert search_documents.reindex_finished() == 1
    assert search_documents.reindex_finished() == 0
    html = client.get("/recherche/", {"q": "zorglub", "when": "past"}).content.decode()
    assert "Bientôt fini" in html


def test_the_home_page_shows_upcoming_events_the_user_may_register_for(member_of):
    home_page()
    event("Ouvert à tous")
    event("Réservé aux RSSI", audience={Role.RSSI})
    event("Clos", registration_closed=True)
    event("Passé", starts_in=-datetime.timedelta(days=3))
    html = client_for(member_of(Role.CAREGIVER)).get("/").content.decode()
    assert "Ouvert à tous" in html
    assert "Réservé aux RSSI" not in html and "Clos" not in html and "Passé" not in html
    assert "Réservé aux RSSI" in client_for(member_of(Role.RSSI)).get("/").content.decode()


def test_personal_data_export_and_erasure_keep_the_counts(member_of):
    from elearning.events import figures
    from portal.accounts.personal_data import delete_account, export

    page = event("Passé", starts_in=-datetime.timedelta(days=3))
    user = member_of(Role.CAREGIVER, first_name="Eve", last_name="Export")
    registration = Registration.objects.create(
        event=page, user=user, status="registered", attended=True, participant_name="Eve Export"
    )
    SurveyAnswer.objects.create(registration=registration, rating=4, comment="Bien, Eve")
    data = export(user)["events"]
    (entry,) = data["event_registrations"]
    assert entry["event"] == "Passé" and entry["attended"] is True
    assert entry["survey"] == {"rating": 4, "comment": "Bien, Eve"}
    json.dumps(data)
    before = figures.regional()
    delete_account(user)
    registration.refresh_from_db()
    assert registration.user is None and registration.participant_name == ""
    assert SurveyAnswer.objects.get().comment == "" and SurveyAnswer.objects.get().rating == 4
    assert figures.regional() == before


def test_the_events_page_counts_people_trained_once_and_after_deletion(member_of):
    """The figures come from attendance: a member at two webinars is one person trained, and
    stays one once their account is deleted; the events page shows the computed numbers."""
    from elearning.events import figures
    from portal.accounts.personal_data import delete_account

    past = -datetime.timedelta(days=3)
    first, second = event("Passé un", starts_in=past), event("Passé deux", starts_in=past)
    day = event("Journée passée", starts_in=past, kind="regional_day")
    eve, tom, absent = (member_of(Role.CAREGIVER) for _ in range(3))
    for page, user, attended in (
        (first, eve, True),
        (second, eve, True),
        (first, tom, True),
        (day, tom, True),
        (second, absent, False),
    ):
        Registration.objects.create(event=page, user=user, status="registered", attended=attended)
    numbers = figures.regional()
    assert (numbers.webinar_attendees, numbers.event_attendees) == (2, 4)
    delete_account(eve)
    delete_account(tom)
    assert figures.regional() == numbers
    html = Client().get(event_index().url).content.decode()
    figures_html = html.split('id="figures-heading"', 1)[1].split("</section>", 1)[0]
    assert "<strong>2</strong>" in figures_html and "<strong>4</strong>" in figures_html


def test_reminders_the_day_before_and_one_hour_before_once_each(
    member_of, django_capture_on_commit_callbacks
):
    page = event("Demain", starts_in=datetime.timedelta(hours=20))
    member = member_of(Role.CAREGIVER)
    services.register(member, page)
    services.register(member_of(Role.CAREGIVER), event("Dans une semaine"))
    with django_capture_on_commit_callbacks(execute=True):
        assert notifications.send_reminders() == 1
        assert notifications.send_reminders() == 0
        later = page.starts_at - datetime.timedelta(minutes=50)
        assert notifications.send_reminders(later) == 1
    titles = list(
        Notification.objects.filter(kind="elearning.event_reminder", user=member)
        .order_by("pk")
        .values_list("title", flat=True)
    )
    assert len(titles) == 2
    assert titles[0].startswith("Demain") and titles[1].startswith("Dans une heure")
    assert EventMilestone.objects.count() == 2


def test_the_event_list_runs_a_bounded_number_of_queries(member_of, django_assert_max_num_queries):
    member = member_of(Role.CAREGIVER)
    for number in range(3):
        services.register(member, event(f"Événement {number}"))
    client = client_for(member)
    index = event_index()
    client.get(index.url)
    with django_assert_max_num_queries(40) as few:
        client.get(index.url)
    for number in range(3, 30):
        page = event(f"Événement {number}", starts_in=datetime.timedelta(days=number - 15))
        services.register(member, page) if number > 15 else None
    kit()
    with django_assert_max_num_queries(len(few.captured_queries) + 2):
        response = client.get(index.url)
    assert "Événement 29" in response.content.decode()


def test_the_participants_list_with_500_participants(member_of, django_assert_max_num_queries):
    page = event("Grand webinaire", capacity=450)
    User = get_user_model()
    users = User.objects.bulk_create(
        [User(username=f"p{n}@example.org", email=f"p{n}@example.org") for n in range(500)]
    )
    now = timezone.now()
    Registration.objects.bulk_create(
        [
            Registration(
                event=page,
                user=user,
                status="registered" if n < 450 else "waiting",
                participant_name=f"Participant {n}",
                created_at=now + datetime.timedelta(seconds=n),
                certificate_code=f"C{n:08d}",
            )
            for n, user in enumerate(users)
        ]
    )
    client = client_for(member_of(Role.EDITOR))
    url = page.url + page.reverse_subpage("participants")
    with django_assert_max_num_queries(30):
        response = client.get(url)
    html = response.content.decode()
    assert html.count('name="attended"') == 450
    assert "p499@example.org" in html  # the last on the waiting list
