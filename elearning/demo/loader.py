"""Demo step of the e-learning module (``manage.py load_demo``, declared in ``module.py``): the
course catalogue, five French courses with lessons and quizzes, 60 questions in five banks, a
SCORM course built by the project, and demo learners of the demo director's establishment in
several states (in progress, passed, certificate expiring soon, certificate expired).
Idempotent: existing pages, banks, packages, learners and enrolments are left as they are."""

import datetime

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.templatetags.static import static
from django.utils import timezone

from elearning import scorm, scorm_sample, services
from elearning.demo.content import COURSES, INDEX
from elearning.demo.questions import BANKS
from elearning.models import (
    Answer,
    Certificate,
    CourseIndexPage,
    CoursePage,
    Enrolment,
    LessonPage,
    Question,
    QuestionBank,
    QuizDraw,
    QuizPage,
    ScormPackage,
)
from elearning.services import FormDict
from portal import page_cache
from portal.access import Role
from portal.accounts.models import Establishment, MemberProfile, MemberStatus
from portal.models import HomePage

SCORM_TITLE = "Reconnaître un courriel piégé (module interactif)"
LEARNERS = [
    # first name, last name, role, state
    ("Aurélie", "Martin", Role.CAREGIVER, "passed"),
    ("Bruno", "Petit", Role.ADMIN_AGENT, "in_progress"),
    ("Céline", "Fabre", Role.CAREGIVER, "expiring"),
    ("David", "Leroy", Role.CAREGIVER, "expired"),
    ("Emma", "Garnier", Role.CAREGIVER, "new"),
]


def build(ctx) -> None:
    home = HomePage.objects.order_by("path").first()
    if home is None:
        return
    index = CourseIndexPage.objects.child_of(home).first()
    if index is None:
        index = CourseIndexPage(
            title=INDEX["title"], slug=INDEX["slug"], intro=INDEX["intro"], show_in_menus=False
        )
        home.add_child(instance=index)
        index.save_revision().publish()
    banks = _banks()
    package = _package()
    courses = {}
    for spec in COURSES:
        courses[spec["slug"]] = _course(index, spec, banks, package)
    _learners(ctx, courses)
    page_cache.invalidate()
    ctx.logins.append(
        (
            "Apprenant·e (formations, même établissement que la directrice)",
            "emma.garnier@demo.example",
            "",
        )
    )
    ctx.write(
        f"{len(courses)} courses, {Question.objects.count()} questions, "
        f"{Enrolment.objects.count()} enrolments"
    )


def _banks() -> dict:
    banks = {}
    for name, questions in BANKS.items():
        bank, created = QuestionBank.objects.get_or_create(name=name)
        banks[name] = bank
        if not created and bank.questions.exists():
            continue
        for category, kind, text, answers, explanation in questions:
            question = Question(
                bank=bank, text=text, kind=kind, category=category, explanation=explanation
            )
            question.answers = [
                Answer(text=answer, correct=correct, feedback=feedback)
                for answer, correct, feedback in answers
            ]
            question.save()
    return banks


def _package():
    package = ScormPackage.objects.filter(title=SCORM_TITLE).first()
    if package is not None and (scorm.root() / package.folder).is_dir():
        return package
    data = scorm_sample.build(title=SCORM_TITLE)
    fields = scorm.extract(ContentFile(data, name="courriel-piege.zip"))
    if package is None:
        package = ScormPackage(title=SCORM_TITLE)
        package.archive.save("courriel-piege.zip", ContentFile(data), save=False)
    for name, value in fields.items():
        setattr(package, name, value)
    package.save()
    return package


def _course(index, spec, banks, package):
    course = CoursePage.objects.child_of(index).filter(slug=spec["slug"]).first()
    if course is not None:
        return course
    fields = {k: v for k, v in spec.items() if k not in ("lessons", "quiz")}
    course = CoursePage(**fields)
    index.add_child(instance=course)
    course.save_revision().publish()
    for lesson in spec["lessons"]:
        page = LessonPage(
            title=lesson["title"],
            slug=lesson["slug"],
            intro=lesson.get("intro", ""),
            duration_minutes=lesson.get("minutes", 5),
            body=_absolute_video_links(lesson.get("body", [])),
            scorm_package=package if lesson.get("scorm") else None,
        )
        course.add_child(instance=page)
        page.save_revision().publish()
    quiz = spec.get("quiz")
    if quiz:
        page = QuizPage(
            title=quiz["title"],
            slug=quiz["slug"],
            intro=quiz.get("intro", ""),
            pass_mark=quiz.get("pass_mark", 80),
            max_attempts=quiz.get("max_attempts", 3),
            cooldown_minutes=quiz.get("cooldown_minutes", 0),
            time_limit_minutes=quiz.get("time_limit_minutes"),
        )
        page.draws = [
            QuizDraw(bank=banks[bank], category=category, count=count)
            for bank, category, count in quiz["draws"]
        ]
        course.add_child(instance=page)
        page.save_revision().publish()
    return course


def _static_url(path: str) -> str:
    """The hashed name once ``collectstatic`` ran; before it (``load_demo`` right after
    ``migrate``), the plain name, which WhiteNoise serves too once the files are collected."""
    try:
        return static(path)
    except ValueError:  # no manifest entry yet
        return settings.STATIC_URL + path


def _absolute_video_links(body: list) -> list:
    """A demo video is one of the portal's static files: its link becomes absolute (a URL
    block holds absolute URLs, as an editor would enter them)."""
    return [
        {
            **block,
            "value": {
                **block["value"],
                "url": settings.SITE_URL + _static_url(block["value"]["url"]),
            },
        }
        if block["type"] == "video" and not block["value"]["url"].startswith("http")
        else block
        for block in body
    ]


def _learners(ctx, courses) -> None:
    director = ctx.users.get(Role.DIRECTOR)
    establishment = (
        director.member_profile.establishment
        if director is not None
        else Establishment.objects.filter(kind="ch").order_by("finess").first()
    )
    if establishment is None:
        return
    awareness = courses["sensibilisation-tous-personnels"]
    today = timezone.localdate()
    User = get_user_model()
    for first, last, role, state in LEARNERS:
        email = f"{first}.{last}@demo.example".lower().replace("é", "e")
        user, created = User.objects.get_or_create(
            username=email, defaults={"email": email, "first_name": first, "last_name": last}
        )
        if created:
            _login(ctx, user)
        MemberProfile.objects.get_or_create(
            user=user,
            defaults={
                "establishment": establishment,
                "roles": {role},
                "status": MemberStatus.APPROVED,
            },
        )
        if state == "new" or Enrolment.objects.filter(user=user, course=awareness).exists():
            continue
        if state == "in_progress":
            enrolment = services.enrol(user, awareness)
            services.complete_lesson(enrolment, awareness.lessons().first())
            continue
        enrolment = _complete(user, awareness)
        certificate = Certificate.objects.get(enrolment=enrolment)
        if state == "expiring":
            _shift(certificate, today + datetime.timedelta(days=20))
        elif state == "expired":
            _shift(certificate, today - datetime.timedelta(days=15))
    caregiver = ctx.users.get(Role.CAREGIVER)
    phishing = courses["dejouer-hameconnage"]
    if caregiver is not None and not Enrolment.objects.filter(user=caregiver).exists():
        enrolment = services.enrol(caregiver, phishing)
        services.complete_lesson(enrolment, phishing.lessons().first())
    if director is not None:
        bruno = User.objects.filter(username="bruno.petit@demo.example").first()
        mfa_course = courses["mots-de-passe-mfa"]
        if bruno is not None and not bruno.course_assignments.exists():
            reminders = services.assign(
                director, mfa_course, [bruno.pk], today + datetime.timedelta(days=14)
            )
            services.mark_reminded(reminders, today)


def _login(ctx, user) -> None:
    """Demo learners sign in with the common demo password (demo mode only)."""
    if ctx.demo_mode:
        user.set_password(ctx.password)
    else:
        user.set_unusable_password()
    user.save()
    EmailAddress.objects.update_or_create(
        user=user, email=user.email, defaults={"verified": True, "primary": True}
    )


def _complete(user, course):
    enrolment = services.enrol(user, course)
    for lesson in course.lessons():
        services.complete_lesson(enrolment, lesson)
    quiz = course.quiz()
    if quiz is not None:
        attempt = services.start_attempt(enrolment, quiz)
        services.submit(attempt, FormDict(services.correct_responses(attempt)))
    enrolment.refresh_from_db()
    return enrolment


def _shift(certificate, expires_on) -> None:
    """Back-date a demo certificate so that it expires on ``expires_on``."""
    months = services._months_between(certificate.issued_on, certificate.expires_on)
    issued = services.add_months(expires_on, -months)
    Certificate.objects.filter(pk=certificate.pk).update(issued_on=issued, expires_on=expires_on)
    Enrolment.objects.filter(pk=certificate.enrolment_id).update(
        completed_at=timezone.make_aware(datetime.datetime.combine(issued, datetime.time(10)))
    )
