"""Review rules: who may review, one per establishment (updatable, versioned), moderation,
anonymised display, reporting."""

import datetime

import pytest

from benchmarks import services
from benchmarks.models import Review, ReviewReport, ReviewStatus, ReviewVersion
from portal.access import AccessLevel, Role
from portal.accounts.models import EstablishmentType, MemberStatus
from tests.benchmarks import factories as f
from tests.portal.factories import EstablishmentFactory, MemberFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def solution():
    return f.solution(f.category("EDR", criteria=2), "Vigie EDR", scores=[4, 4])


def form_data(**overrides):
    data = {
        "author_role": "rssi",
        "used_since": "2024-01-15",
        "usage_scale": "whole",
        "satisfaction": "4",
        "ease_of_use": "4",
        "ease_of_admin": "3",
        "support_quality": "5",
        "meets_requirements": "4",
        "value": "3",
        "pros": "Détection efficace",
        "cons": "Console en anglais",
        "would_recommend": "1",
        "no_conflict": "on",
        "conflict_statement": "",
    }
    return data | overrides


def review_url(solution):
    return f"{f.benchmark_index().url}avis/{solution.pk}/"


@pytest.mark.parametrize("role", [Role.DIRECTOR, Role.RSSI, Role.DSI])
def test_director_rssi_dsi_may_review(role):
    assert services.can_review(f.reviewer(role))


@pytest.mark.parametrize("role", [Role.DPO, Role.CAREGIVER, Role.ADMIN_AGENT, Role.EDITOR])
def test_other_roles_may_not_review(role):
    assert not services.can_review(f.reviewer(role))


def test_pending_member_or_unvalidated_establishment_may_not_review():
    pending = MemberFactory(
        profile__roles={Role.RSSI},
        profile__establishment=EstablishmentFactory(),
        profile__status=MemberStatus.PENDING,
    )
    assert not services.can_review(pending)
    proposed = EstablishmentFactory(validated=False)
    assert not services.can_review(f.reviewer(Role.RSSI, establishment=proposed))


def test_caregiver_gets_404_on_the_form_and_anonymous_the_login(client, solution):
    assert client.get(review_url(solution)).status_code == 302
    client.force_login(f.reviewer(Role.CAREGIVER))
    assert client.get(review_url(solution)).status_code == 404


def test_a_role_not_granted_is_refused(client, solution):
    """The role is the one granted to the member, never what the form says."""
    client.force_login(f.reviewer(Role.DSI))
    response = client.post(review_url(solution), form_data(author_role="director"))
    assert response.status_code == 200
    assert not Review.objects.exists()


def test_review_goes_to_moderation_then_is_published(client, solution):
    member = f.reviewer(Role.RSSI)
    client.force_login(member)
    response = client.post(review_url(solution), form_data())
    assert response.status_code == 302
    review = Review.objects.get()
    assert review.status == ReviewStatus.PENDING
    assert review.establishment == member.member_profile.establishment
    reader = f.reviewer(Role.CAREGIVER)
    client.force_login(reader)
    assert "Détection efficace" not in client.get(solution.url).content.decode()
    services.moderate(review, ReviewStatus.PUBLISHED)
    assert review.published_at is not None
    assert "Détection efficace" in client.get(solution.url).content.decode()


def test_one_review_per_establishment_updated_and_versioned(client, solution):
    establishment = EstablishmentFactory()
    rssi = f.reviewer(Role.RSSI, establishment=establishment)
    director = f.reviewer(Role.DIRECTOR, establishment=establishment)
    client.force_login(rssi)
    client.post(review_url(solution), form_data())
    services.moderate(Review.objects.get(), ReviewStatus.PUBLISHED)
    client.force_login(director)
    client.post(review_url(solution), form_data(author_role="director", pros="Mise à jour"))
    review = Review.objects.get()  # still one
    assert review.version == 2
    assert review.pros == "Mise à jour" and review.author == director
    assert review.status == ReviewStatus.PENDING  # an update is read again
    old = ReviewVersion.objects.get(review=review)
    assert old.version == 1 and old.data["pros"] == "Détection efficace"
    assert old.status == ReviewStatus.PUBLISHED


def test_conflict_statement_is_required_without_the_declaration(client, solution):
    client.force_login(f.reviewer(Role.RSSI))
    response = client.post(review_url(solution), form_data(no_conflict=""))
    assert "Déclarez l’absence de conflit" in response.content.decode()
    assert not Review.objects.exists()
    response = client.post(
        review_url(solution), form_data(no_conflict="", conflict_statement="Client depuis 2020")
    )
    assert response.status_code == 302


def test_bad_scores_and_future_dates_change_nothing(client, solution):
    client.force_login(f.reviewer(Role.RSSI))
    future = (datetime.date.today() + datetime.timedelta(days=30)).isoformat()
    for bad in ({"satisfaction": "9"}, {"used_since": future}, {"pros": ""}):
        response = client.post(review_url(solution), form_data(**bad))
        assert response.status_code == 200
        assert "rien n’a été enregistré" in response.content.decode()
    assert not Review.objects.exists()


def test_restricted_solution_cannot_be_reviewed_by_someone_who_cannot_see_it(client):
    category = f.category("SOC")
    hidden = f.solution(
        category, "SOC secret", access_level=AccessLevel.ROLES, allowed_roles={Role.DSI}
    )
    client.force_login(f.reviewer(Role.RSSI))
    assert client.get(review_url(hidden)).status_code == 404
    assert client.post(review_url(hidden), form_data()).status_code == 404


def test_display_is_anonymised_by_default():
    ehpad = EstablishmentFactory(kind=EstablishmentType.EHPAD, department="38", name="EHPAD Bleu")
    solution = f.solution(f.category("MFA"), "Clé", scores=[])
    review = f.review(solution, establishment=ehpad, role=Role.RSSI)
    assert review.signature == "RSSI d’un EHPAD, Isère"
    assert services.reviewer_label(review, regional_staff=False) == "RSSI d’un EHPAD, Isère"
    assert "EHPAD Bleu" in services.reviewer_label(review, regional_staff=True)
    review.show_establishment_name = True
    assert "EHPAD Bleu" in services.reviewer_label(review, regional_staff=False)


def test_establishment_name_only_for_regional_staff_on_the_page(client, solution):
    named = EstablishmentFactory(name="Clinique des Alpes", kind=EstablishmentType.PRIVATE_CLINIC)
    f.review(solution, establishment=named)
    client.force_login(f.reviewer(Role.RSSI))
    assert "Clinique des Alpes" not in client.get(solution.url).content.decode()
    client.force_login(f.reviewer(Role.MODERATOR))
    assert "Clinique des Alpes" in client.get(solution.url).content.decode()


def test_members_report_a_review_once(client, solution):
    review = f.review(solution)
    member = f.reviewer(Role.CAREGIVER)
    client.force_login(member)
    url = f"{f.benchmark_index().url}avis/{review.pk}/signaler/"
    assert client.get(url).status_code == 405
    assert client.post(url, {"reason": "nonsense"}).status_code == 302
    assert not ReviewReport.objects.exists()
    client.post(url, {"reason": "vendor", "comment": "Signé par un commercial"})
    client.post(url, {"reason": "abusive"})
    report = ReviewReport.objects.get()
    assert report.reason == "vendor" and report.reporter == member
    assert review in services.reviews_for_moderation()


def test_reporting_is_404_for_non_members_and_unpublished_reviews(client, solution):
    published = f.review(solution)
    pending = f.review(solution, status=ReviewStatus.PENDING)
    url = f"{f.benchmark_index().url}avis/%s/signaler/"
    pending_member = MemberFactory(
        profile__roles={Role.RSSI},
        profile__establishment=EstablishmentFactory(),
        profile__status=MemberStatus.PENDING,
    )
    client.force_login(pending_member)
    assert client.post(url % published.pk, {"reason": "vendor"}).status_code == 404
    client.force_login(f.reviewer(Role.CAREGIVER))
    assert client.post(url % pending.pk, {"reason": "vendor"}).status_code == 404
    assert not ReviewReport.objects.exists()


def test_reviews_and_aggregates_hidden_from_anonymous_and_pending(client, solution):
    for _ in range(3):
        f.review(solution, pros="Texte réservé aux membres")
    assert "Texte réservé aux membres" not in client.get(solution.url).content.decode()
    client.force_login(f.reviewer(Role.CAREGIVER))
    content = client.get(solution.url).content.decode()
    assert "Texte réservé aux membres" in content
    assert "Notes des membres (3 avis publiés)" in content


def test_my_reviews_lists_the_establishment_reviews(client, solution):
    establishment = EstablishmentFactory()
    f.review(solution, establishment=establishment, status=ReviewStatus.PENDING)
    client.force_login(f.reviewer(Role.DIRECTOR, establishment=establishment))
    response = client.get(f"{f.benchmark_index().url}mes-avis/")
    assert response.status_code == 200
    assert "Vigie EDR" in response.content.decode()
    client.force_login(f.reviewer(Role.CAREGIVER, establishment=establishment))
    assert client.get(f"{f.benchmark_index().url}mes-avis/").status_code == 404
