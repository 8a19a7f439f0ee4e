"""The Wagtail admin edits every field of the catalogue and moderates reviews; a member's
reviews and reports are in their personal-data export; the home helper respects access."""

import pytest
from django.contrib.auth.models import Group

from benchmarks import services
from benchmarks.models import Review, ReviewReport, ReviewStatus
from portal.access import AccessLevel, Role
from portal.accounts.personal_data import delete_account, export
from tests.benchmarks import factories as f

pytestmark = pytest.mark.django_db


def staff(group):
    user = f.reviewer(Role.EDITOR if group == "Editors" else Role.MODERATOR)
    user.is_staff = True
    user.save()
    user.groups.add(Group.objects.get(name=group))
    return user


def test_editor_edits_category_and_solution_with_every_field(client):
    category = f.category("EDR", criteria=2)
    solution = f.solution(category, "Vigie", scores=[3, 4], channels=["ugap"])
    client.force_login(staff("Editors"))
    content = client.get(f"/admin/pages/{solution.pk}/edit/").content.decode()
    for field in (
        "vendor",
        "summary",
        "deployment",
        "hds_hosting",
        "anssi_label",
        "anssi_reference",
        "care_eligible",
        "french_support",
        "interoperability",
        "last_reviewed",
        "channels-0-channel",
        "channels-0-market_reference",
        "assessments-0-score",
        "assessments-0-justification",
        "assessments-0-source",
        "assessments-0-assessed_on",
        "access_level",
    ):
        assert f'name="{field}"' in content, field
    content = client.get(f"/admin/pages/{category.pk}/edit/").content.decode()
    for field in ("criteria-0-group", "criteria-0-name", "criteria-0-default_weight"):
        assert f'name="{field}"' in content, field
    index = f.benchmark_index()
    assert client.get(f"/admin/pages/add/benchmarks/solutionpage/{category.pk}/").status_code == 200
    assert (
        client.get(f"/admin/pages/add/benchmarks/benchmarkcategorypage/{index.pk}/").status_code
        == 200
    )


def test_moderators_publish_reviews_in_the_admin(client):
    solution = f.solution(f.category("MFA"), "Clé", scores=[])
    review = f.review(solution, status=ReviewStatus.PENDING)
    client.force_login(staff("Moderators"))
    listing = client.get("/admin/snippets/benchmarks/review/")
    assert listing.status_code == 200
    edit = client.get(f"/admin/snippets/benchmarks/review/edit/{review.pk}/")
    assert edit.status_code == 200
    assert 'name="status"' in edit.content.decode()
    review.refresh_from_db()
    services.moderate(review, ReviewStatus.PUBLISHED, "Relu")
    assert Review.objects.get().published_at is not None


def test_caregiver_cannot_reach_the_moderation(client):
    client.force_login(f.reviewer(Role.CAREGIVER))
    assert client.get("/admin/snippets/benchmarks/review/").status_code in (302, 403)


def test_personal_data_export_and_erasure():
    solution = f.solution(f.category("EDR"), "Vigie", scores=[])
    member = f.reviewer(Role.RSSI)
    review = f.review(solution, establishment=member.member_profile.establishment, pros="Bien")
    review.author = member
    review.save()
    other = f.review(f.solution(f.category("MFA"), "Clé", scores=[]))
    ReviewReport.objects.create(review=other, reporter=member, reason="vendor")
    data = export(member)["benchmarks"]
    assert data["reviews_written"][0]["pros"] == "Bien"
    assert data["reviews_reported"][0]["reason"] == "vendor"
    delete_account(member)
    review.refresh_from_db()
    assert review.author is None  # the establishment's review stays, its author is gone
    assert ReviewReport.objects.get().reporter is None


def test_home_latest_lists_only_visible_solutions():
    category = f.category("EDR")
    f.solution(category, "Publique", scores=[])
    f.solution(category, "Réservée", scores=[], access_level=AccessLevel.MEMBERS)
    assert [item.title for item in services.latest(None)] == ["Publique"]
    member_titles = {item.title for item in services.latest(f.reviewer(Role.CAREGIVER))}
    assert member_titles == {"Publique", "Réservée"}
