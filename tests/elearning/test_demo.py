"""The e-learning demo: 5+ French courses, 60+ questions, a SCORM course, learners in every
state; a second run changes nothing."""

import datetime
import html

import pytest
from django.contrib.staticfiles import finders
from django.templatetags.static import static
from django.utils import timezone

from elearning import services
from elearning.demo import loader
from elearning.demo import video as demo_video
from elearning.models import (
    Certificate,
    CoursePage,
    Enrolment,
    LessonPage,
    Question,
    QuizAttempt,
    ScormPackage,
)
from portal import demo
from portal.access import Role
from portal.demo import accounts, pages

pytestmark = pytest.mark.django_db


def run():
    ctx = demo.DemoContext(demo_mode=False, password="x", write=lambda text: None)
    for build in (
        accounts.build_establishments,
        accounts.build_users,
        pages.build_pages,
        loader.build,
    ):
        build(ctx)
    return ctx


def counts():
    return (
        CoursePage.objects.count(),
        LessonPage.objects.count(),
        Question.objects.count(),
        Enrolment.objects.count(),
        QuizAttempt.objects.count(),
        Certificate.objects.count(),
        ScormPackage.objects.count(),
    )


def test_demo_content_and_idempotence(settings, tmp_path):
    ctx = run()
    first = counts()
    run()
    assert counts() == first
    assert CoursePage.objects.live().count() >= 5
    assert Question.objects.count() >= 60
    assert LessonPage.objects.filter(scorm_package__isnull=False).exists()
    today = timezone.localdate()
    expiries = list(Certificate.objects.values_list("expires_on", flat=True))
    assert any(today < e <= today + datetime.timedelta(days=30) for e in expiries)  # expiring
    assert any(e <= today for e in expiries)  # expired
    assert any(e > today + datetime.timedelta(days=30) for e in expiries)  # passed
    assert Enrolment.objects.filter(completed_at__isnull=True).exists()  # in progress
    report = services.establishment_report(
        ctx.users[Role.DIRECTOR], CoursePage.objects.get(slug="sensibilisation-tous-personnels").pk
    )
    assert {"completed", "expired", "in_progress"} <= {row.status for row in report.rows}
    assert len(services.certificate_reminders(today)) >= 2


def test_a_demo_lesson_shows_the_demo_video_with_its_transcript(client, settings):
    run()
    lesson = LessonPage.objects.get(slug="reconnaitre")
    videos = [block.value for block in lesson.body if block.block_type == "video"]
    assert len(videos) == 1
    url = videos[0]["url"]
    assert url == settings.SITE_URL + static(demo_video.STATIC_PATH)
    assert finders.find(demo_video.STATIC_PATH)  # the committed file is served as a static file
    page = client.get(lesson.url).content.decode()
    assert f'href="{url}"' in page
    text = html.unescape(page)
    for _heading, sentences in demo_video.SCRIPT:
        for sentence in sentences:  # every narrated sentence is in the transcript
            assert sentence in text
