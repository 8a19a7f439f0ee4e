"""A member's REX: written in steps through the front-end form, the draft kept between them."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape

from docs_base.models import RexSubmission, SubmissionStatus
from portal.access import Role
from portal.accounts.models import MemberStatus
from tests.docs_base.factories import rex_index, rex_submission
from tests.portal.factories import MemberFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def client(author):
    client = Client()
    client.force_login(author)
    return client


def step_url(submission, step):
    return reverse("docs_base:rex_submission_step", args=[submission.pk, step])


CONTEXT = {
    "title": "Rançongiciel un dimanche de février",
    "summary": "Chiffrement des serveurs de fichiers, trois semaines en mode dégradé.",
    "establishment_type": "ch",
    "size_band": "250_999",
    "department": "38",
}


def test_steps_keep_the_draft_between_them(client, author):
    response = client.get(reverse("docs_base:rex_submit"))
    assert response.status_code == 200
    form = response.context["form"]
    assert form["establishment_type"].value() == "ch"  # prefilled from the establishment
    assert form["department"].value() == "38"
    assert form["show_establishment_name"].value() is False  # anonymous by default

    response = client.post(reverse("docs_base:rex_submit"), CONTEXT)
    submission = RexSubmission.objects.get(owner=author)
    assert response.status_code == 302
    assert response["Location"] == step_url(submission, "incident")
    assert submission.status == SubmissionStatus.DRAFT
    assert submission.show_establishment_name is False
    assert submission.tlp == "green"

    incident = {
        "incident_type": "ransomware",
        "occurred_on": "2024-02-11",
        "detection": "L'astreinte a vu des fichiers renommés en .lock.",
        "duration_days": "21",
        "timeline-TOTAL_FORMS": "3",
        "timeline-INITIAL_FORMS": "0",
        "timeline-0-date": "2024-02-12",
        "timeline-0-time": "",
        "timeline-0-description": "Cellule de crise, plainte, déclaration au CERT Santé.",
        "timeline-1-date": "2024-02-11",
        "timeline-1-time": "06:40",
        "timeline-1-description": "Alerte de l'astreinte.",
        "timeline-2-date": "",
        "timeline-2-time": "",
        "timeline-2-description": "",
    }
    response = client.post(step_url(submission, "incident"), incident)
    assert response["Location"] == step_url(submission, "impact")
    submission.refresh_from_db()
    assert submission.incident_type == "ransomware"
    assert submission.occurred_on == datetime.date(2024, 2, 11)
    assert [step["description"] for step in submission.timeline] == [
        "Alerte de l'astreinte.",
        "Cellule de crise, plainte, déclaration au CERT Santé.",
    ]

    # Coming back to a step shows what was saved.
    response = client.get(step_url(submission, "context"))
    assert response.context["form"]["title"].value() == CONTEXT["title"]
    response = client.get(step_url(submission, "incident"))
    assert response.context["timeline"].forms[0]["description"].value() == "Alerte de l'astreinte."

    client.post(
        step_url(submission, "impact"),
        {"impact_patient_care": "on", "impact_billing": "on", "cost_range": "100k_500k"},
    )
    response = client.post(
        step_url(submission, "lessons"),
        {"lessons_learnt": "Des sauvegardes déconnectées et testées.", "save_draft": "1"},
    )
    assert response["Location"] == reverse("docs_base:rex_mine")
    submission.refresh_from_db()
    assert submission.impact_patient_care and submission.impact_billing
    assert not submission.impact_pay
    assert submission.lessons_learnt.startswith("Des sauvegardes")
    assert submission.status == SubmissionStatus.DRAFT
    mine = client.get(reverse("docs_base:rex_mine")).content.decode()
    assert CONTEXT["title"] in mine


@pytest.mark.parametrize(
    ("step", "data", "field"),
    [
        ("context", {**CONTEXT, "title": ""}, "title"),
        ("context", {**CONTEXT, "department": "75"}, "department"),
        (
            "incident",
            {
                "incident_type": "ransomware",
                "occurred_on": "2999-01-01",
                "detection": "x",
                "timeline-TOTAL_FORMS": "0",
                "timeline-INITIAL_FORMS": "0",
            },
            "occurred_on",
        ),
        (
            "incident",
            {
                "incident_type": "not-a-type",
                "occurred_on": "2024-01-01",
                "detection": "x",
                "timeline-TOTAL_FORMS": "0",
                "timeline-INITIAL_FORMS": "0",
            },
            "incident_type",
        ),
        ("impact", {"cost_range": "priceless"}, "cost_range"),
        ("lessons", {"lessons_learnt": ""}, "lessons_learnt"),
    ],
)
def test_bad_input_gets_a_message_and_saves_nothing(client, author, step, data, field):
    submission = rex_submission(author)
    before = RexSubmission.objects.filter(pk=submission.pk).values().get()
    response = client.post(step_url(submission, step), data)
    assert response.status_code == 200
    assert field in response.context["form"].errors
    message = "Some answers need your attention: nothing was saved."
    with translation.override("fr"):
        assert escape(translation.gettext(message)) in response.content.decode()
    after = RexSubmission.objects.filter(pk=submission.pk).values().get()
    assert after == before


def test_bad_timeline_row_saves_nothing(client, author):
    submission = rex_submission(author)
    before = RexSubmission.objects.filter(pk=submission.pk).values().get()
    response = client.post(
        step_url(submission, "incident"),
        {
            "incident_type": "phishing",
            "occurred_on": "2024-01-01",
            "detection": "Un signalement.",
            "timeline-TOTAL_FORMS": "1",
            "timeline-INITIAL_FORMS": "0",
            "timeline-0-date": "",
            "timeline-0-time": "",
            "timeline-0-description": "Sans date",
        },
    )
    assert response.status_code == 200
    assert "date" in response.context["timeline"].forms[0].errors
    assert RexSubmission.objects.filter(pk=submission.pk).values().get() == before


def test_first_step_with_bad_input_creates_nothing(client, author):
    response = client.post(reverse("docs_base:rex_submit"), {**CONTEXT, "establishment_type": ""})
    assert response.status_code == 200
    assert not RexSubmission.objects.exists()


def test_unknown_step_is_404(client, author):
    submission = rex_submission(author)
    assert client.get(step_url(submission, "nowhere")).status_code == 404


def test_only_approved_members(establishment):
    anonymous = Client().get(reverse("docs_base:rex_submit"))
    assert anonymous.status_code == 302 and "/login/" in anonymous["Location"]
    pending = MemberFactory(
        profile__establishment=establishment, profile__status=MemberStatus.PENDING
    )
    client = Client()
    client.force_login(pending)
    for name in ("docs_base:rex_submit", "docs_base:rex_mine", "docs_base:rex_statistics"):
        assert client.get(reverse(name)).status_code == 404
    assert client.post(reverse("docs_base:rex_submit"), CONTEXT).status_code == 404
    assert not RexSubmission.objects.exists()


def test_cannot_see_or_edit_another_members_draft(client, establishment):
    colleague = MemberFactory(profile__establishment=establishment, profile__roles={Role.RSSI})
    theirs = rex_submission(colleague, title="Le brouillon d'un collègue")
    before = RexSubmission.objects.filter(pk=theirs.pk).values().get()
    for step in ("context", "review"):
        assert client.get(step_url(theirs, step)).status_code == 404
    assert client.post(step_url(theirs, "context"), CONTEXT).status_code == 404
    delete = reverse("docs_base:rex_submission_delete", args=[theirs.pk])
    assert client.post(delete).status_code == 404
    assert RexSubmission.objects.filter(pk=theirs.pk).values().get() == before
    mine = client.get(reverse("docs_base:rex_mine")).content.decode()
    assert "Le brouillon d'un collègue" not in mine


def test_review_needs_consent_and_every_required_answer(client, author):
    rex_index()
    submission = rex_submission(author, lessons_learnt="")
    response = client.get(step_url(submission, "review"))
    assert [step.slug for step in response.context["missing"]] == ["lessons"]
    response = client.post(step_url(submission, "review"), {"tlp": "green", "confirm": "on"})
    assert response.status_code == 200
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.DRAFT and submission.page_id is None

    submission.lessons_learnt = "Tester les sauvegardes."
    submission.save()
    response = client.post(step_url(submission, "review"), {"tlp": "green"})  # no consent
    assert "confirm" in response.context["form"].errors
    submission.refresh_from_db()
    assert submission.page_id is None


def test_strict_marking_needs_the_authors_establishment(client):
    rex_index()
    lonely = MemberFactory(profile__roles={Role.DIRECTOR})  # no establishment
    submission = rex_submission(lonely)
    lonely_client = Client()
    lonely_client.force_login(lonely)
    response = lonely_client.post(step_url(submission, "review"), {"tlp": "red", "confirm": "on"})
    assert response.status_code == 200
    assert "tlp" in response.context["form"].errors
    submission.refresh_from_db()
    assert submission.page_id is None and submission.tlp == "green"


def test_delete_a_draft(client, author):
    submission = rex_submission(author)
    response = client.post(reverse("docs_base:rex_submission_delete", args=[submission.pk]))
    assert response.status_code == 302
    assert not RexSubmission.objects.exists()


def test_submitted_feedback_is_not_editable(client, author):
    submission = rex_submission(author, status=SubmissionStatus.IN_MODERATION)
    response = client.post(step_url(submission, "context"), {**CONTEXT, "title": "Changé"})
    assert response.status_code == 302
    submission.refresh_from_db()
    assert submission.title != "Changé"


def test_profile_links_to_my_experience_feedback(client):
    profile = client.get(reverse("membership:profile")).content.decode()
    assert reverse("docs_base:rex_mine") in profile


def test_my_submissions_page_queries_are_bounded(client, author, django_assert_max_num_queries):
    from tests.docs_base.factories import rex_page

    def add(number):
        page = rex_page(title=f"Publié {number}", slug=f"publie-{number}")
        rex_submission(author, title=f"Publié {number}", status="published", page=page)
        rex_submission(author, title=f"Brouillon {number}")

    add(0)
    url = reverse("docs_base:rex_mine")
    client.get(url)
    with django_assert_max_num_queries(12) as few:
        client.get(url)
    few_count = len(few)
    for number in range(1, 8):
        add(number)
    client.get(url)
    with django_assert_max_num_queries(few_count):
        response = client.get(url)
    assert response.content.decode().count("data-submission=") == 16


def test_open_drafts_are_capped(client, author, settings):
    settings.REX_MAX_OPEN_DRAFTS = 2
    rex_index()
    for number in range(2):
        rex_submission(author, title=f"Brouillon {number}")
    rex_submission(author, title="Envoyé", status=SubmissionStatus.IN_MODERATION)
    message = "Vous avez déjà 2 brouillons en cours : envoyez-en un ou supprimez-en un"
    with translation.override("fr"):
        opened = client.get(reverse("docs_base:rex_submit"), follow=True)
        posted = client.post(reverse("docs_base:rex_submit"), CONTEXT, follow=True)
    for response in (opened, posted):
        assert response.redirect_chain[-1][0] == reverse("docs_base:rex_mine")
        assert message in response.content.decode()
    assert RexSubmission.objects.filter(owner=author).count() == 3  # nothing created
    # Below the cap again (the one with the moderators never counted): a new draft is saved.
    RexSubmission.objects.filter(title="Brouillon 0").delete()
    response = client.post(reverse("docs_base:rex_submit"), CONTEXT)
    assert response.status_code == 302
    assert RexSubmission.objects.filter(owner=author, status=SubmissionStatus.DRAFT).count() == 2


def test_draft_cap_is_enforced_by_the_service(author, settings):
    from docs_base.rex import forms, services

    settings.REX_MAX_OPEN_DRAFTS = 1
    rex_submission(author)
    form = forms.ContextForm(CONTEXT, instance=services.new_submission(author))
    assert form.is_valid()
    with pytest.raises(services.SubmissionError):
        services.save_step(form)
    assert RexSubmission.objects.filter(owner=author).count() == 1
