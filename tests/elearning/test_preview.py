"""Editors preview drafts (issue 14): an editor without the course's role previews its
role-restricted course and lessons in the Wagtail admin, and still gets 404 on the live pages;
the staff rule still hides content for one establishment (portal.access.serving)."""

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse

from portal.access import AccessLevel, Role
from tests.elearning.factories import course, course_index, lesson
from tests.portal.factories import EstablishmentFactory, MemberFactory

pytestmark = pytest.mark.django_db


def editor_client():
    editor = MemberFactory(profile__roles={Role.EDITOR}, is_staff=True)
    editor.groups.add(Group.objects.get(name="Editors"))
    client = Client()
    client.force_login(editor)
    return client


def view_draft(client, page):
    return client.get(reverse("wagtailadmin_pages:view_draft", args=[page.pk]))


def test_an_editor_without_the_role_previews_a_role_restricted_course_and_lesson():
    restricted = course(
        "Gestion de crise", access_level=AccessLevel.ROLES, allowed_roles={Role.RSSI}
    )
    first = restricted.lessons().first()
    client = editor_client()
    assert client.get(restricted.url).status_code == 404
    assert client.get(first.url).status_code == 404
    page = view_draft(client, restricted)
    assert page.status_code == 200 and "Gestion de crise" in page.text
    page = view_draft(client, first)
    assert page.status_code == 200 and "Texte de la leçon 1 de Gestion de crise" in page.text
    assert "<title>Leçon 1 de Gestion de crise — Gestion de crise —" in page.text  # with its course


def test_an_editor_previews_a_lesson_of_a_course_not_yet_published():
    from elearning.models import CoursePage

    draft = CoursePage(
        title="Brouillon",
        slug="brouillon",
        summary="Résumé",
        duration_minutes=10,
        level="beginner",
        objectives="<p>Objectifs</p>",
        audience={Role.CAREGIVER},
        access_level=AccessLevel.ROLES,
        allowed_roles={Role.DIRECTOR},
        live=False,
    )
    course_index().add_child(instance=draft)
    draft.save_revision()
    first = lesson(draft, "Première leçon", text="Texte du brouillon")
    client = editor_client()
    page = view_draft(client, first)
    assert page.status_code == 200 and "Texte du brouillon" in page.text
    assert Client().get(first.url).status_code == 404


def test_the_staff_rule_still_hides_a_course_for_one_establishment_from_an_editor():
    other = EstablishmentFactory(name="CH de Vienne")
    sensitive = course(
        "Plan de crise du CH", access_level=AccessLevel.ESTABLISHMENT, establishment=other
    )
    client = editor_client()
    assert view_draft(client, sensitive).status_code == 404
    assert view_draft(client, sensitive.lessons().first()).status_code == 404


def test_a_member_without_the_role_gets_404_whatever_they_claim():
    restricted = course("Réservé RSSI", access_level=AccessLevel.ROLES, allowed_roles={Role.RSSI})
    member = MemberFactory(profile__roles={Role.CAREGIVER})
    client = Client()
    client.force_login(member)
    assert client.get(restricted.url, {"preview": "1"}).status_code == 404
    draft = client.get(reverse("wagtailadmin_pages:view_draft", args=[restricted.pk]))
    assert draft.status_code == 302 and draft["Location"].startswith("/compte/login/")
