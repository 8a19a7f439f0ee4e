"""The learner's own parts of the lesson and quiz pages, on copies shared per audience.

The lesson and quiz pages are cached per audience (``portal.page_cache``): the shared copy holds
the course's content, outline and rules; these fragments are rendered for each request from the
ids carried in their argument: the learner's progress and "lesson done" form (one query, which
also records the visit), and the quiz's personal part (enrolment, attempt form, attempts,
result review). Nothing the learner did, no CSRF token and no answer is in the shared copy.
"""

import datetime
from dataclasses import dataclass
from urllib.parse import quote, unquote

from django.db import connection
from django.http import Http404
from django.template.loader import get_template
from django.utils import timezone
from django.utils.translation import get_language

from elearning import services
from elearning.models import (
    CourseIndexPage,
    CoursePage,
    Enrolment,
    LessonCompletion,
    QuizAttempt,
    QuizPage,
)
from portal import page_cache

LESSON_PROGRESS = "elearning.lesson-progress"
LESSON_DONE = "elearning.lesson-done"
QUIZ = "elearning.quiz"
COURSE = "elearning.course"
COURSE_DONE = "elearning.course-done"
COURSE_HISTORY = "elearning.course-history"
# A visit moves "resume" to the lesson at once; otherwise the activity date is refreshed at
# most this often, so reading a lesson does not write at every request.
VISIT_REFRESH = datetime.timedelta(minutes=1)
_STATE_ATTR = "_elearning_personal_state"
# Rendered once per process for each (template, argument, state, path, language); the CSRF
# token is written in per request.
_rendered = page_cache.LocalLRU(size=2048)


def _memo(request, key, compute):
    """Computed once per request (several fragments, or the view and a fragment, share it)."""
    states = request.__dict__.setdefault(_STATE_ATTR, {})
    if key not in states:
        states[key] = compute()
    return states[key]


def _render(request, template_name: str, key: tuple, context: dict) -> str:
    def render_html():
        values = {"request": request, "csrf_token": page_cache.CSRF_PLACEHOLDER} | context
        return get_template(template_name).render(values)

    key = (template_name, key, request.path, get_language())
    return page_cache.kept(request, _rendered, key, render_html)


def current_enrolment_id(user, course_id: int) -> int | None:
    """The learner's current enrolment in the course, if any: asked on every hit of a quiz page,
    so written in SQL (building the same query through the ORM costs several times more than
    running it)."""
    with connection.cursor() as cursor:
        cursor.execute(_CURRENT_ENROLMENT_SQL, [user.pk, course_id, True])
        row = cursor.fetchone()
    return row[0] if row else None


_CURRENT_ENROLMENT_SQL = (
    f"SELECT id FROM {Enrolment._meta.db_table} "  # noqa: S608 (a constant name)
    "WHERE user_id = %s AND course_id = %s AND current = %s LIMIT 1"
)


# --- Lesson -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ShownLesson:
    """What the lesson fragments need of the page (their argument: a hit reads no page)."""

    course_id: int
    lesson_id: int
    quiz_id: int | None
    scorm: bool  # completed by its package, not by the learner's form
    lesson_ids: tuple[int, ...]  # the course's live lessons

    @classmethod
    def of(cls, course, lesson, lessons, quiz) -> "ShownLesson":
        ids = tuple(item.pk for item in lessons)
        return cls(course.pk, lesson.pk, quiz.pk if quiz else None, bool(lesson.scorm_package_id),
                   ids)  # fmt: skip

    @classmethod
    def parse(cls, argument: str) -> "ShownLesson":
        course, lesson, quiz, scorm, ids = argument.split(":", 4)
        lesson_ids = tuple(int(pk) for pk in ids.split(",") if pk)
        return cls(int(course), int(lesson), int(quiz) or None, scorm == "1", lesson_ids)

    @property
    def argument(self) -> str:
        ids = ",".join(str(pk) for pk in self.lesson_ids)
        return f"{self.course_id}:{self.lesson_id}:{self.quiz_id or 0}:{int(self.scorm)}:{ids}"


@dataclass(frozen=True)
class LessonState:
    enrolled: bool
    done: bool = False  # this lesson
    progress: services.Progress | None = None


NOT_ENROLLED = LessonState(enrolled=False)


def lesson_state(request, shown: ShownLesson) -> LessonState:
    """The learner's state on this lesson (one query, three when enrolled); records the visit
    ("resume")."""
    return _memo(request, ("lesson", shown), lambda: _lesson_state(request.user, shown))


def _lesson_state(user, shown: ShownLesson) -> LessonState:
    if not user.is_authenticated:
        return NOT_ENROLLED
    # A plain query first: most readers are not enrolled.
    row = (
        Enrolment.objects.filter(user=user, course_id=shown.course_id, current=True)
        .values_list("pk", "last_lesson_id", "last_activity_at")
        .first()
    )
    if row is None:
        return NOT_ENROLLED
    pk, last_lesson_id, last_activity_at = row
    completed = set(
        LessonCompletion.objects.filter(enrolment=pk).values_list("lesson_id", flat=True)
    )
    quiz_passed = bool(shown.quiz_id) and (
        QuizAttempt.objects.filter(enrolment=pk, quiz_id=shown.quiz_id, passed=True).exists()
    )
    done_count = len(completed & set(shown.lesson_ids))
    this_done = shown.lesson_id in completed
    now = timezone.now()
    if last_lesson_id != shown.lesson_id or last_activity_at < now - VISIT_REFRESH:
        Enrolment.objects.filter(pk=pk).update(last_lesson=shown.lesson_id, last_activity_at=now)
    progress = services.Progress(
        done=done_count,
        total=len(shown.lesson_ids),
        quiz_passed=quiz_passed,
        has_quiz=shown.quiz_id is not None,
    )
    return LessonState(enrolled=True, done=this_done, progress=progress)


def _lesson_renderer(template_name: str):
    def render(request, argument: str) -> str:
        shown = ShownLesson.parse(argument)
        state = lesson_state(request, shown)
        context = {
            "enrolment": state.enrolled,
            "done": state.done,
            "progress": state.progress,
            "scorm": shown.scorm,
        }
        progress = state.progress and (state.progress.done, state.progress.quiz_passed)
        return _render(request, template_name, (argument, state.enrolled, state.done, progress),
                       context)  # fmt: skip

    return render


# --- Course ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class ShownCourse:
    """What the course page's fragments need (their argument): ids and the course's URLs."""

    course_id: int
    quiz_id: int | None
    lesson_ids: tuple[int, ...]
    url: str  # the course's
    catalogue_url: str  # where the certificates' routes hang off

    @classmethod
    def of(cls, course, lessons, quiz, request) -> "ShownCourse":
        ids = tuple(item.pk for item in lessons)
        catalogue = course.get_parent().get_url(request) or "/"
        return cls(course.pk, quiz.pk if quiz else None, ids, course.get_url(request) or "/",
                   catalogue)  # fmt: skip

    @classmethod
    def parse(cls, argument: str) -> "ShownCourse":
        course, quiz, ids, url, catalogue = argument.split(":", 4)
        lesson_ids = tuple(int(pk) for pk in ids.split(",") if pk)
        return cls(int(course), int(quiz) or None, lesson_ids, unquote(url), unquote(catalogue))

    @property
    def argument(self) -> str:
        ids = ",".join(str(pk) for pk in self.lesson_ids)
        urls = f"{quote(self.url, safe='/')}:{quote(self.catalogue_url, safe='/')}"
        return f"{self.course_id}:{self.quiz_id or 0}:{ids}:{urls}"


def course_state(request, shown: ShownCourse) -> dict:
    """The learner's enrolment, progress, certificate and past runs (one query when not
    enrolled, four when enrolled), once per request for all the page's fragments."""
    return _memo(request, ("course", shown), lambda: _course_state(request.user, shown))


def _course_state(user, shown: ShownCourse) -> dict:
    member = user.is_authenticated and services.is_approved(user)
    enrolment = None
    if user.is_authenticated:
        enrolment = (
            Enrolment.objects.filter(user=user, course_id=shown.course_id, current=True)
            .select_related("certificate")
            .first()
        )
    if enrolment is None:
        return {"enrolment": None, "completed": set(), "passed": False, "is_member": member,
                "can_enrol": member, "history": []}  # fmt: skip
    completed = services.completed_lesson_ids(enrolment)
    passed = (
        bool(shown.quiz_id)
        and enrolment.attempts.filter(quiz_id=shown.quiz_id, passed=True).exists()
    )
    done = len(completed & set(shown.lesson_ids))
    progress = services.Progress(done, len(shown.lesson_ids), passed, shown.quiz_id is not None)
    history = Enrolment.objects.filter(user=user, course_id=shown.course_id, current=False)
    certificate = getattr(enrolment, "certificate", None) if enrolment.completed_at else None
    return {
        "enrolment": enrolment,
        "completed": completed,
        "passed": passed,
        "progress": progress,
        "is_member": member,
        "can_enrol": member and services.can_retrain(enrolment),
        "certificate": certificate,
        "history": list(history.order_by("-started_at")),
    }


def _course_part(template_name: str):
    def render(request, argument: str) -> str:
        shown = ShownCourse.parse(argument)
        context = course_state(request, shown) | {"shown": shown, "user": request.user}
        context |= {"request": request, **page_cache.csrf_context(request)}
        resolver = CoursePage.get_resolver()
        context["urls"] = {name: shown.url + resolver.reverse(name) for name in ("resume", "enrol")}
        if certificate := context.get("certificate"):
            route = CourseIndexPage.get_resolver().reverse("certificate_pdf", certificate.code)
            context["certificate_url"] = shown.catalogue_url + route
        return get_template(template_name).render(context)

    return render


def _course_done(request, argument: str) -> str:
    """A lesson's "done" badge (argument: the course's, then the lesson's or quiz's id)."""
    course_argument, step = argument.rsplit(":", 1)
    state = course_state(request, ShownCourse.parse(course_argument))
    if state["enrolment"] is None:
        return ""
    done = int(step) in state["completed"] if step != "quiz" else state["passed"]
    return _render(request, "elearning/includes/course_done.html", (step == "quiz", done),
                   {"done": done, "quiz": step == "quiz"})  # fmt: skip


# --- Quiz -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ShownQuiz:
    quiz_id: int
    course_id: int
    course_url: str

    @classmethod
    def of(cls, quiz, course, request) -> "ShownQuiz":
        return cls(quiz.pk, course.pk, course.get_url(request) or "/")

    @classmethod
    def parse(cls, argument: str) -> "ShownQuiz":
        quiz, course, url = argument.split(":", 2)
        return cls(int(quiz), int(course), unquote(url))

    @property
    def argument(self) -> str:
        return f"{self.quiz_id}:{self.course_id}:{quote(self.course_url, safe='/:')}"


def quiz_context(request, shown: ShownQuiz) -> dict:
    """The personal part of the quiz page: not enrolled; an open attempt's form; a submitted
    attempt's review (``?tentative=N``, 404 if it is not the learner's); or the attempts
    made and the "start" form or why it is blocked. The review is decided here, server-side."""
    return _memo(request, ("quiz", shown), lambda: _quiz_context(request, shown))


def _quiz_context(request, shown: ShownQuiz) -> dict:
    user = request.user
    context = {"enrolment": None, "course_url": shown.course_url}
    if not (user.is_authenticated and services.is_approved(user)):
        return context
    if (pk := current_enrolment_id(user, shown.course_id)) is None:  # most readers
        return context
    enrolment = context["enrolment"] = Enrolment.objects.select_related("course").get(pk=pk)
    quiz = QuizPage.objects.get(pk=shown.quiz_id)
    context["page"] = quiz
    attempts = list(services.attempts_of(enrolment, quiz).order_by("number"))
    number = request.GET.get("tentative", "")
    if number.isdigit():
        result = next((a for a in attempts if a.number == int(number) and a.submitted_at), None)
        if result is None:
            raise Http404
        return context | {"result": result, "review": services.review(result)}
    attempt = services.open_attempt(enrolment, quiz)
    if attempt is not None:
        return context | {"attempt": attempt, "questions": services.attempt_questions(attempt)}
    return context | {
        "attempts": [a for a in attempts if a.submitted_at],
        "blocked": services.blocked_reason(enrolment, quiz),
    }


def _quiz(request, argument: str) -> str:
    shown = ShownQuiz.parse(argument)
    context = quiz_context(request, shown)
    if context["enrolment"] is None:  # the same for everyone: rendered once per process
        return _render(request, "elearning/includes/quiz_personal.html", (argument,), context)
    context = {"request": request, **page_cache.csrf_context(request)} | context
    return get_template("elearning/includes/quiz_personal.html").render(context)


def register() -> None:
    page_cache.register_fragment(
        LESSON_PROGRESS, _lesson_renderer("elearning/includes/lesson_progress.html")
    )
    page_cache.register_fragment(
        LESSON_DONE, _lesson_renderer("elearning/includes/lesson_done.html")
    )
    page_cache.register_fragment(QUIZ, _quiz)
    page_cache.register_fragment(COURSE, _course_part("elearning/includes/course_training.html"))
    page_cache.register_fragment(COURSE_DONE, _course_done)
    page_cache.register_fragment(
        COURSE_HISTORY, _course_part("elearning/includes/course_history.html")
    )
