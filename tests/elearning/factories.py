"""Factories and helpers of the e-learning tests."""

import datetime

from django.core.files.base import ContentFile
from django.utils.text import slugify

from portal.access import AccessLevel, Role
from tests.portal.factories import EstablishmentFactory, MemberFactory, home_page


def course_index():
    from elearning.models import CourseIndexPage

    existing = CourseIndexPage.objects.first()
    if existing is not None:
        return existing
    index = CourseIndexPage(title="Formations", slug="formations")
    home_page().add_child(instance=index)
    index.save_revision().publish()
    return index


def course(title="Sensibilisation", lessons=2, quiz=True, questions=4, draw=None, **fields):
    """A published course with ``lessons`` lessons and a quiz drawing from a new bank."""
    from elearning.models import CoursePage

    fields.setdefault("slug", slugify(title))
    fields.setdefault("summary", f"Résumé de {title}")
    fields.setdefault("duration_minutes", 20)
    fields.setdefault("level", "beginner")
    fields.setdefault("objectives", "<p>Objectifs</p>")
    fields.setdefault("audience", {Role.CAREGIVER})
    fields.setdefault("access_level", AccessLevel.PUBLIC)
    page = CoursePage(title=title, **fields)
    course_index().add_child(instance=page)
    page.save_revision().publish()
    for number in range(1, lessons + 1):
        lesson(page, f"Leçon {number} de {title}", text=f"Texte de la leçon {number} de {title}")
    if quiz:
        bank = question_bank(f"Banque {title}", questions)
        quiz_page(page, bank, count=draw or questions)
    page.refresh_from_db()
    return page


def lesson(course_page, title, text="Texte", scorm_package=None):
    from elearning.models import LessonPage

    page = LessonPage(
        title=title,
        slug=slugify(title),
        intro=f"Introduction {title}",
        body=[("paragraph", f"<p>{text}</p>")],
        scorm_package=scorm_package,
    )
    course_page.add_child(instance=page)
    page.save_revision().publish()
    return page


def question_bank(name, count=4, category="phishing", kind="single"):
    from elearning.models import Answer, Question, QuestionBank

    bank = QuestionBank.objects.create(name=name)
    for number in range(count):
        question = Question(
            bank=bank, text=f"{name} question {number}", kind=kind, category=category
        )
        question.answers = [
            Answer(text=f"bonne {number}", correct=True, feedback="Exact"),
            Answer(text=f"mauvaise {number}", correct=False, feedback="Non"),
            Answer(text=f"autre {number}", correct=kind == "multiple", feedback=""),
        ]
        question.save()
    return bank


def quiz_page(course_page, bank, count=4, category="", **fields):
    from elearning.models import QuizDraw, QuizPage

    fields.setdefault("pass_mark", 75)
    fields.setdefault("max_attempts", 3)
    page = QuizPage(title=f"Quiz {course_page.title}", slug=f"quiz-{course_page.slug}", **fields)
    page.draws = [QuizDraw(bank=bank, category=category, count=count)]
    course_page.add_child(instance=page)
    page.save_revision().publish()
    return page


def member(establishment=None, roles=(Role.CAREGIVER,), **kwargs):
    establishment = establishment or EstablishmentFactory()
    return MemberFactory(profile__establishment=establishment, profile__roles=set(roles), **kwargs)


def correct_answers(attempt):
    """The form data that answers every drawn question right (read from the database)."""
    from elearning.models import Answer

    data = {}
    for item in attempt.layout:
        data[f"q{item['question']}"] = [
            str(pk)
            for pk in Answer.objects.filter(question_id=item["question"], correct=True).values_list(
                "pk", flat=True
            )
        ]
    return data


class FormData(dict):
    def getlist(self, key):
        value = self.get(key, [])
        return value if isinstance(value, list) else [value]


def complete_course(user, course_page, when=None):
    """Enrol ``user``, complete every lesson and pass the quiz; returns the enrolment."""
    from elearning import services

    enrolment = services.enrol(user, course_page)
    for item in course_page.lessons():
        services.complete_lesson(enrolment, item, now=when)
    quiz = course_page.quiz()
    if quiz is not None:
        attempt = services.start_attempt(enrolment, quiz, now=when)
        services.submit(attempt, FormData(correct_answers(attempt)), now=when)
    enrolment.refresh_from_db()
    return enrolment


def scorm_package(title="Module SCORM", data=None):
    from elearning import scorm, scorm_sample
    from elearning.models import ScormPackage

    data = data or scorm_sample.build(title=title)
    fields = scorm.extract(ContentFile(data, name="package.zip"))
    package = ScormPackage(title=title, **fields)
    package.archive.save("package.zip", ContentFile(data), save=False)
    package.save()
    return package


def days_ago(days):
    return datetime.date.today() - datetime.timedelta(days=days)
