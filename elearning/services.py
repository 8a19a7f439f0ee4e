"""E-learning business logic: catalogue, enrolment, progress, quiz drawing and grading,
completion, certificates, reminders (who and when), manager reports and assignments.

Views only call these functions. Reminders are computed here as ``Reminder(kind, recipients,
object)`` tuples, ready for the portal's notification service (``portal.notifications``).
"""

import calendar
import datetime
import random
import secrets
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.db.models import Count, Exists, OuterRef, Q
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from elearning.models import (
    Answer,
    Assignment,
    Certificate,
    CoursePage,
    Enrolment,
    LessonCompletion,
    LessonPage,
    Level,
    Question,
    QuestionKind,
    QuizAttempt,
    QuizPage,
    ScormState,
)
from portal import region
from portal.access import Role, can_view, membership_of, visible_to
from portal.accounts.models import Establishment, EstablishmentType, MemberProfile, MemberStatus
from portal.accounts.personal_data import display_name
from portal.charts import bar_chart
from portal.modules import HomeItem

# --- Who ------------------------------------------------------------------------------------

MANAGER_ROLES = frozenset({Role.DIRECTOR, Role.RSSI})
REGIONAL_ROLES = frozenset({Role.ARS_REFERENT, Role.REGIONAL_ADMIN, Role.EDITOR, Role.MODERATOR})
EXPIRY_NOTICE_DAYS = 30
DUE_NOTICE_DAYS = 7
TIME_LIMIT_GRACE = datetime.timedelta(seconds=30)


def is_approved(user) -> bool:
    return membership_of(user).approved


def managed_establishment_id(user) -> int | None:
    """The establishment whose training report the user may read (director or RSSI)."""
    member = membership_of(user)
    if member.approved and member.establishment_id and member.roles & MANAGER_ROLES:
        return member.establishment_id
    return None


def can_assign(user) -> bool:
    member = membership_of(user)
    return bool(member.approved and member.establishment_id and Role.DIRECTOR in member.roles)


def sees_regional_figures(user) -> bool:
    member = membership_of(user)
    return member.is_superuser or bool(member.approved and member.roles & REGIONAL_ROLES)


# --- Catalogue ------------------------------------------------------------------------------


@dataclass
class Catalogue:
    courses: list
    audience: str
    level: str
    audience_choices: list
    level_choices: list


def catalogue(user, index, params) -> Catalogue:
    courses = visible_to(user, CoursePage.objects.child_of(index).live()).order_by(
        "-first_published_at", "pk"
    )
    audience = params.get("public", "")
    level = params.get("niveau", "")
    if audience in Role.values:
        courses = courses.filter(audience__contains=f",{audience},")
    else:
        audience = ""
    if level in Level.values:
        courses = courses.filter(level=level)
    else:
        level = ""
    return Catalogue(
        courses=list(courses.select_related("establishment")),
        audience=audience,
        level=level,
        audience_choices=[(c, str(label)) for c, label in Role.choices],
        level_choices=[(c, str(label)) for c, label in Level.choices],
    )


def latest(user, limit: int = 4):
    """The newest courses the user may view, and the one they may continue (home page)."""
    items = []
    resume = continue_item(user)
    if resume is not None:
        items.append(resume)
    courses = visible_to(user, CoursePage.objects.live()).order_by("-first_published_at")
    for course in courses[: limit - len(items)]:
        items.append(
            HomeItem(
                title=course.title,
                url=course.url or "",
                date=course.first_published_at and course.first_published_at.date(),
                summary=course.summary,
            )
        )
    return items


def continue_item(user):
    if not is_approved(user):
        return None
    enrolment = (
        Enrolment.objects.filter(user=user, current=True, completed_at__isnull=True)
        .select_related("course")
        .order_by("-last_activity_at")
        .first()
    )
    if enrolment is None or not can_view(user, enrolment.course):
        return None
    return HomeItem(
        title=_("Continue your course: %(title)s") % {"title": enrolment.course.title},
        url=enrolment.course.url + "reprendre/",
        summary=_("%(percent)s %% done") % {"percent": progress(enrolment).percent},
    )


# --- Enrolment and progress -----------------------------------------------------------------


def current_enrolment(user, course) -> Enrolment | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return (
        Enrolment.objects.filter(user=user, course=course, current=True)
        .select_related("certificate")
        .first()
    )


class NotAllowed(Exception):
    """A learner action refused, with the French message to show."""


def can_retrain(enrolment, today=None) -> bool:
    """A completed course may be taken again once its certificate expires within 30 days."""
    today = today or timezone.localdate()
    certificate = getattr(enrolment, "certificate", None) if enrolment.completed_at else None
    if certificate is None:
        return False
    return certificate.expires_on - datetime.timedelta(days=EXPIRY_NOTICE_DAYS) <= today


def enrol(user, course, today=None) -> Enrolment:
    """Enrol an approved member who may view the course; re-training starts a new enrolment
    and keeps the old one (and its certificate) as history."""
    if not is_approved(user) or not can_view(user, course):
        raise NotAllowed(_("Only approved members may enrol in this course."))
    member = membership_of(user)
    with transaction.atomic():
        existing = current_enrolment(user, course)
        if existing is not None:
            if not can_retrain(existing, today):
                return existing
            existing.current = False
            existing.save(update_fields=["current"])
        try:
            with transaction.atomic():
                return Enrolment.objects.create(
                    user=user,
                    course=course,
                    establishment_id=member.establishment_id,
                    roles=member.roles,
                )
        except IntegrityError:  # a concurrent request enrolled first
            return Enrolment.objects.get(user=user, course=course, current=True)


@dataclass
class Progress:
    done: int
    total: int
    quiz_passed: bool
    has_quiz: bool

    @property
    def steps(self) -> int:
        return self.total + (1 if self.has_quiz else 0)

    @property
    def steps_done(self) -> int:
        return self.done + (1 if self.has_quiz and self.quiz_passed else 0)

    @property
    def percent(self) -> int:
        return round(100 * self.steps_done / self.steps) if self.steps else 0


def progress(enrolment, lessons=None, quiz=None, completed_ids=None) -> Progress:
    course = enrolment.course
    lessons = list(course.lessons().only("pk")) if lessons is None else lessons
    quiz = course.quiz() if quiz is None else quiz
    if completed_ids is None:
        completed_ids = completed_lesson_ids(enrolment)
    lesson_ids = {lesson.pk for lesson in lessons}
    passed = bool(quiz) and enrolment.attempts.filter(quiz=quiz, passed=True).exists()
    return Progress(
        done=len(lesson_ids & completed_ids),
        total=len(lesson_ids),
        quiz_passed=passed,
        has_quiz=quiz is not None,
    )


def completed_lesson_ids(enrolment) -> set[int]:
    return set(enrolment.completions.values_list("lesson_id", flat=True))


def course_context(request, course) -> dict:
    """What the course page shows the same to every member of an audience; the learner's
    enrolment, progress, "done" badges and past runs are personal fragments
    (``elearning.personal``)."""
    from elearning import personal  # cycle: it imports this module

    lessons = list(course.lessons())
    quiz = course.quiz()
    shown = personal.ShownCourse.of(course, lessons, quiz, request)
    return {
        "lessons": [(lesson, f"{shown.argument}:{lesson.pk}") for lesson in lessons],
        "quiz": quiz,
        "shown": shown,
        "quiz_done_argument": f"{shown.argument}:quiz",
        "audience_labels": [
            str(Role(role).label) for role in sorted(course.audience) if role in Role.values
        ],
    }


def resume_target(enrolment):
    """Where "resume" leads: the last lesson opened if unfinished, else the first unfinished
    lesson, else the quiz, else the course page."""
    course = enrolment.course
    lessons = list(course.lessons())
    completed = completed_lesson_ids(enrolment)
    if enrolment.last_lesson_id and enrolment.last_lesson_id not in completed:
        for lesson in lessons:
            if lesson.pk == enrolment.last_lesson_id:
                return lesson
    for lesson in lessons:
        if lesson.pk not in completed:
            return lesson
    quiz = course.quiz()
    if quiz is not None and not enrolment.attempts.filter(quiz=quiz, passed=True).exists():
        return quiz
    return course


def record_visit(enrolment, lesson) -> None:
    Enrolment.objects.filter(pk=enrolment.pk).update(
        last_lesson=lesson, last_activity_at=timezone.now()
    )


def complete_lesson(enrolment, lesson, now=None) -> bool:
    """Mark a content lesson done (a SCORM lesson is done when its package says so)."""
    if lesson.get_parent().pk != enrolment.course_id:
        raise NotAllowed(_("This lesson is not part of your course."))
    LessonCompletion.objects.get_or_create(enrolment=enrolment, lesson=lesson)
    Enrolment.objects.filter(pk=enrolment.pk).update(last_activity_at=now or timezone.now())
    return check_completion(enrolment, now)


def check_completion(enrolment, now=None) -> bool:
    """The completion rule: every live lesson done and the quiz (if any) passed."""
    if enrolment.completed_at:
        return True
    course = enrolment.course
    state = progress(enrolment)
    if state.done < state.total or (state.has_quiz and not state.quiz_passed):
        return False
    if state.steps == 0:
        return False
    now = now or timezone.now()
    with transaction.atomic():
        updated = Enrolment.objects.filter(pk=enrolment.pk, completed_at__isnull=True).update(
            completed_at=now
        )
        enrolment.completed_at = now
        if updated:
            issue_certificate(enrolment, course, now.date() if hasattr(now, "date") else now)
    return True


# --- Quiz -----------------------------------------------------------------------------------


def draw_layout(quiz, seed: int) -> list[dict]:
    """The questions of one attempt: for each draw rule, ``count`` questions of the category
    picked at random (seeded), then every question's answers shuffled."""
    rng = random.Random(seed)  # noqa: S311 (a reproducible draw, not a secret)
    layout, taken = [], set()
    for draw in quiz.draws.order_by("sort_order", "pk"):
        pool = Question.objects.filter(bank_id=draw.bank_id).exclude(pk__in=taken)
        if draw.category:
            pool = pool.filter(category=draw.category)
        ids = sorted(pool.values_list("pk", flat=True))
        for question_id in rng.sample(ids, min(draw.count, len(ids))):
            taken.add(question_id)
            layout.append({"question": question_id, "answers": []})
    answers: dict[int, list[int]] = {}
    for question_id, answer_id in (
        Answer.objects.filter(question_id__in=taken).order_by("pk").values_list("question_id", "pk")
    ):
        answers.setdefault(question_id, []).append(answer_id)
    for item in layout:
        order = answers.get(item["question"], [])
        rng.shuffle(order)
        item["answers"] = order
    return layout


def attempts_of(enrolment, quiz):
    return QuizAttempt.objects.filter(enrolment=enrolment, quiz=quiz)


def open_attempt(enrolment, quiz, now=None):
    now = now or timezone.now()
    attempt = attempts_of(enrolment, quiz).filter(submitted_at__isnull=True).last()
    if attempt is not None and attempt.deadline and now > attempt.deadline + TIME_LIMIT_GRACE:
        grade(attempt, {}, now)  # time is up: what was not sent is wrong
        return None
    return attempt


def blocked_reason(enrolment, quiz, now=None) -> str | None:
    """Why a new attempt may not start now (French message), or None."""
    now = now or timezone.now()
    done = list(attempts_of(enrolment, quiz).filter(submitted_at__isnull=False).order_by("number"))
    if any(attempt.passed for attempt in done):
        return _("You have already passed this quiz.")
    lessons_left = progress(enrolment, quiz=quiz)
    if lessons_left.done < lessons_left.total:
        return _("Finish every lesson of the course before taking the quiz.")
    if quiz.max_attempts and len(done) >= quiz.max_attempts:
        return _("You have used all %(count)s attempts of this quiz.") % {
            "count": quiz.max_attempts
        }
    if done and quiz.cooldown_minutes:
        available = done[-1].submitted_at + datetime.timedelta(minutes=quiz.cooldown_minutes)
        if now < available:
            local = timezone.localtime(available)
            return _("You may try again from %(time)s.") % {
                "time": local.strftime("%d/%m/%Y %H:%M")
            }
    return None


def start_attempt(enrolment, quiz, seed: int | None = None, now=None) -> QuizAttempt:
    now = now or timezone.now()
    if quiz.get_parent().pk != enrolment.course_id:
        raise NotAllowed(_("This quiz is not part of your course."))
    attempt = open_attempt(enrolment, quiz, now)
    if attempt is not None:
        return attempt
    reason = blocked_reason(enrolment, quiz, now)
    if reason:
        raise NotAllowed(reason)
    seed = secrets.randbits(48) if seed is None else seed
    layout = draw_layout(quiz, seed)
    if not layout:
        raise NotAllowed(_("This quiz has no questions yet."))
    number = attempts_of(enrolment, quiz).count() + 1
    deadline = (
        now + datetime.timedelta(minutes=quiz.time_limit_minutes)
        if quiz.time_limit_minutes
        else None
    )
    return QuizAttempt.objects.create(
        enrolment=enrolment,
        quiz=quiz,
        number=number,
        seed=seed,
        layout=layout,
        started_at=now,
        deadline=deadline,
    )


def attempt_questions(attempt) -> list[tuple]:
    """(question, [answers in the drawn order]) for display: never says which is correct."""
    ids = [item["question"] for item in attempt.layout]
    questions = Question.objects.in_bulk(ids)
    answer_ids = [a for item in attempt.layout for a in item["answers"]]
    answers = Answer.objects.only("pk", "text", "question_id").in_bulk(answer_ids)
    return [
        (questions[item["question"]], [answers[a] for a in item["answers"] if a in answers])
        for item in attempt.layout
        if item["question"] in questions
    ]


def parse_responses(attempt, data) -> dict[str, list[int]]:
    """The chosen answer ids per question, from the form (``q<question id>`` fields); ids not
    drawn for that question are refused."""
    responses = {}
    for item in attempt.layout:
        key = f"q{item['question']}"
        raw = data.getlist(key) if hasattr(data, "getlist") else data.get(key, [])
        chosen = []
        for value in raw:
            try:
                answer_id = int(value)
            except (TypeError, ValueError):
                raise NotAllowed(_("The answers sent are not valid.")) from None
            if answer_id not in item["answers"]:
                raise NotAllowed(_("The answers sent are not valid."))
            if answer_id not in chosen:
                chosen.append(answer_id)
        responses[str(item["question"])] = chosen
    return responses


class FormDict(dict):
    """A plain dict of lists answering ``getlist`` like a QueryDict (demo and scripts)."""

    def getlist(self, key):
        return self.get(key, [])


def correct_responses(attempt) -> dict[str, list[str]]:
    """The form data answering every drawn question right (demo learners only)."""
    ids = [item["question"] for item in attempt.layout]
    data = {f"q{pk}": [] for pk in ids}
    for question_id, answer_id in Answer.objects.filter(
        question_id__in=ids, correct=True
    ).values_list("question_id", "pk"):
        data[f"q{question_id}"].append(str(answer_id))
    return data


def grade(attempt, responses: dict, now=None) -> QuizAttempt:
    """Grade on the server: a question scores when exactly its correct answers are chosen
    (one answer at most for single choice and true/false)."""
    now = now or timezone.now()
    ids = [item["question"] for item in attempt.layout]
    kinds = dict(Question.objects.filter(pk__in=ids).values_list("pk", "kind"))
    correct: dict[int, set[int]] = {}
    for question_id, answer_id in Answer.objects.filter(
        question_id__in=ids, correct=True
    ).values_list("question_id", "pk"):
        correct.setdefault(question_id, set()).add(answer_id)
    late = bool(attempt.deadline and now > attempt.deadline + TIME_LIMIT_GRACE)
    right = 0
    for question_id in ids:
        chosen = set(responses.get(str(question_id), []))
        if kinds.get(question_id) != QuestionKind.MULTIPLE and len(chosen) > 1:
            continue
        if not late and chosen and chosen == correct.get(question_id, set()):
            right += 1
    score = round(100 * right / len(ids)) if ids else 0
    with transaction.atomic():
        updated = QuizAttempt.objects.filter(pk=attempt.pk, submitted_at__isnull=True).update(
            responses=responses,
            submitted_at=now,
            score=score,
            passed=score >= attempt.quiz.pass_mark and not late,
            late=late,
        )
        attempt.refresh_from_db()
    if updated and attempt.passed:
        check_completion(attempt.enrolment, now)
    return attempt


def submit(attempt, data, now=None) -> QuizAttempt:
    if attempt.submitted_at is not None:
        raise NotAllowed(_("This attempt has already been submitted."))
    return grade(attempt, parse_responses(attempt, data), now)


def review(attempt) -> list[dict]:
    """After submission only: each question, the answers chosen, right or wrong, feedback."""
    if attempt.submitted_at is None:
        return []
    rows = []
    for question, answers in attempt_questions(attempt):
        full = {a.pk: a for a in Answer.objects.filter(question=question)}
        chosen = set(attempt.responses.get(str(question.pk), []))
        right = {pk for pk, a in full.items() if a.correct}
        rows.append(
            {
                "question": question,
                "right": bool(chosen) and chosen == right and not attempt.late,
                "answers": [
                    {"answer": full[a.pk], "chosen": a.pk in chosen, "correct": a.pk in right}
                    for a in answers
                ],
            }
        )
    return rows


# --- Certificates ---------------------------------------------------------------------------


def add_months(day: datetime.date, months: int) -> datetime.date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def learner_name(user) -> str:
    return user.get_full_name() or user.email or user.username


def issue_certificate(enrolment, course, today) -> Certificate:
    certificate, _created = Certificate.objects.get_or_create(
        enrolment=enrolment,
        defaults={
            "learner_name": learner_name(enrolment.user),
            "course_title": course.title,
            "issued_on": today,
            "expires_on": add_months(today, course.certificate_validity_months),
        },
    )
    return certificate


def certificate_valid(certificate, today=None) -> bool:
    return certificate.expires_on > (today or timezone.localdate())


def certificate_pdf(certificate, verify_url: str = "") -> bytes:
    """The certificate as a PDF in the portal's look."""
    return render_certificate_pdf(
        "elearning/certificate_pdf.html",
        {
            "certificate": certificate,
            "validity_months": _months_between(certificate.issued_on, certificate.expires_on),
            "verify_url": verify_url,
        },
    )


def render_certificate_pdf(template: str, context: dict) -> bytes:
    """A certificate (course or event attendance) drawn by WeasyPrint with the region's names;
    nothing is fetched (data: URIs only)."""
    # Not at the top: WeasyPrint is heavy and only the certificate PDFs need it.
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    html = render_to_string(template, {"region": region.current()} | context)
    fetcher = URLFetcher(allowed_protocols={"data"}, allow_redirects=False)
    return HTML(string=html, url_fetcher=fetcher).write_pdf()


def _months_between(start, end) -> int:
    return (end.year - start.year) * 12 + end.month - start.month


# --- Reminders (for the notification service) -----------------------------------------------

KIND_CERTIFICATE_EXPIRY = "elearning.certificate_expiry"
# Assigned courses: assigned, due soon, overdue (the stage tells them apart).
KIND_COURSE_REMINDER = "elearning.course_reminder"


@dataclass(frozen=True)
class Reminder:
    kind: str
    recipients: tuple
    object: object
    stage: str = ""  # "soon" / "expired" / "assigned" / "due" / "overdue"


def certificate_reminders(today=None) -> list[Reminder]:
    """Certificates expiring within 30 days, or expired, not yet reminded at that stage,
    whose learner has not started the course again and still has an account."""
    today = today or timezone.localdate()
    soon = today + datetime.timedelta(days=EXPIRY_NOTICE_DAYS)
    due = Certificate.objects.filter(
        enrolment__current=True, enrolment__user__is_active=True, expires_on__lte=soon
    ).filter(
        Q(expires_on__gt=today, reminded_soon_on__isnull=True)
        | Q(expires_on__lte=today, reminded_expired_on__isnull=True)
    )
    reminders = []
    for certificate in due.select_related("enrolment__user", "enrolment__course"):
        stage = "expired" if certificate.expires_on <= today else "soon"
        reminders.append(
            Reminder(KIND_CERTIFICATE_EXPIRY, (certificate.enrolment.user,), certificate, stage)
        )
    return reminders


def mark_reminded(reminders, today=None) -> None:
    """Record that the notification service accepted these reminders (each is sent once)."""
    today = today or timezone.localdate()
    for reminder in reminders:
        obj = reminder.object
        if reminder.kind == KIND_CERTIFICATE_EXPIRY:
            field_name = (
                "reminded_expired_on" if reminder.stage == "expired" else "reminded_soon_on"
            )
            Certificate.objects.filter(pk=obj.pk).update(**{field_name: today})
        elif reminder.kind == KIND_COURSE_REMINDER:
            Assignment.objects.filter(pk=obj.pk).update(reminded_on=today)


def assignment_reminders(today=None) -> list[Reminder]:
    """Assigned courses not completed: 7 days before the due date, then on the due date."""
    today = today or timezone.localdate()
    completed = Enrolment.objects.filter(
        user=OuterRef("user"), course=OuterRef("course"), current=True, completed_at__isnull=False
    )
    pending = (
        Assignment.objects.filter(
            user__is_active=True, due_on__lte=today + datetime.timedelta(days=DUE_NOTICE_DAYS)
        )
        .exclude(Exists(completed))
        .select_related("user", "course")
    )
    reminders = []
    for assignment in pending:
        first_notice = assignment.due_on - datetime.timedelta(days=DUE_NOTICE_DAYS)
        if today >= assignment.due_on:
            if assignment.reminded_on is None or assignment.reminded_on < assignment.due_on:
                reminders.append(
                    Reminder(KIND_COURSE_REMINDER, (assignment.user,), assignment, "overdue")
                )
        elif assignment.reminded_on is None or assignment.reminded_on < first_notice:
            reminders.append(Reminder(KIND_COURSE_REMINDER, (assignment.user,), assignment, "due"))
    return reminders


# --- Assignments ----------------------------------------------------------------------------


def assignable_members(user):
    establishment_id = managed_establishment_id(user) if can_assign(user) else None
    if establishment_id is None:
        return MemberProfile.objects.none()
    return (
        MemberProfile.objects.filter(
            establishment_id=establishment_id, status=MemberStatus.APPROVED, user__is_active=True
        )
        .select_related("user")
        .order_by("user__last_name", "user__first_name", "user__email")
    )


def assign(director, course, user_ids, due_on, today=None) -> list[Reminder]:
    """Assign a course to members of the director's establishment; returns the notices
    ("course assigned") for the notification service."""
    today = today or timezone.localdate()
    if not can_assign(director):
        raise NotAllowed(_("Only a director may assign courses."))
    if due_on is None or due_on < today:
        raise NotAllowed(_("Choose a due date that is not in the past."))
    if not user_ids:
        raise NotAllowed(_("Choose at least one member."))
    profiles = list(assignable_members(director).filter(user_id__in=user_ids))
    if len(profiles) != len(set(user_ids)):
        raise NotAllowed(_("Some of the chosen people are not members of your establishment."))

    users = get_user_model().objects.filter(pk__in=[p.user_id for p in profiles])
    for learner in users:
        if not can_view(learner, course):
            raise NotAllowed(
                _("%(name)s may not view this course.") % {"name": learner_name(learner)}
            )
    establishment_id = managed_establishment_id(director)
    reminders = []
    with transaction.atomic():
        for learner in users:
            assignment, _created = Assignment.objects.update_or_create(
                user=learner,
                course=course,
                defaults={
                    "due_on": due_on,
                    "assigned_by": director,
                    "establishment_id": establishment_id,
                    "reminded_on": None,
                },
            )
            reminders.append(Reminder(KIND_COURSE_REMINDER, (learner,), assignment, "assigned"))
    return reminders


# --- Reports --------------------------------------------------------------------------------

STATUS_NOT_ENROLLED = "not_enrolled"
STATUS_ENROLLED = "enrolled"
STATUS_IN_PROGRESS = "in_progress"
STATUS_COMPLETED = "completed"
STATUS_EXPIRED = "expired"


def status_labels() -> dict[str, str]:
    return {
        STATUS_NOT_ENROLLED: _("Not enrolled"),
        STATUS_ENROLLED: _("Enrolled"),
        STATUS_IN_PROGRESS: _("In progress"),
        STATUS_COMPLETED: _("Completed"),
        STATUS_EXPIRED: _("Expired"),
    }


REPORT_STATUSES = (STATUS_ENROLLED, STATUS_IN_PROGRESS, STATUS_COMPLETED, STATUS_EXPIRED)


def _annotated_enrolments(queryset):
    return queryset.annotate(
        lesson_count=Count("completions", distinct=True),
        attempt_count=Count("attempts", distinct=True),
    ).values(
        "pk",
        "user_id",
        "course_id",
        "roles",
        "establishment_id",
        "completed_at",
        "started_at",
        "lesson_count",
        "attempt_count",
        "certificate__expires_on",
    )


def enrolment_status(row, today) -> str:
    if row["completed_at"]:
        expires = row["certificate__expires_on"]
        return STATUS_EXPIRED if expires and expires <= today else STATUS_COMPLETED
    if row["lesson_count"] or row["attempt_count"]:
        return STATUS_IN_PROGRESS
    return STATUS_ENROLLED


@dataclass
class ReportRow:
    name: str
    email: str
    roles: list
    status: str
    status_label: str
    started_at: object = None
    completed_at: object = None
    expires_on: object = None
    due_on: object = None
    course: object = None


@dataclass
class EstablishmentReport:
    establishment: object
    courses: list
    course: object
    summary: list  # (course, {status: count})
    by_role: list  # (role label, {status: count})
    rows: list = field(default_factory=list)
    member_count: int = 0
    charts: list = field(default_factory=list)
    every_course: bool = False


def establishment_report(
    user, course_id=None, today=None, every_course=False
) -> EstablishmentReport | None:
    """The training of the manager's establishment: its members only (former members,
    anonymised, through the enrolment's establishment). None when the user may not see it.
    The member rows are those of ``course_id``, or of every course with ``every_course``."""
    establishment_id = managed_establishment_id(user)
    if establishment_id is None:
        return None
    today = today or timezone.localdate()
    establishment = Establishment.objects.get(pk=establishment_id)
    courses = list(
        visible_to(user, CoursePage.objects.live())
        .order_by("title")
        .only(
            "pk",
            "title",
            "path",
            "depth",
            "url_path",
            "access_level",
            "allowed_roles",
            "establishment_id",
        )
    )
    course_ids = {c.pk for c in courses}
    course = next((c for c in courses if str(c.pk) == str(course_id)), None)
    members = {
        p["user_id"]: p
        for p in MemberProfile.objects.filter(
            establishment_id=establishment_id, status=MemberStatus.APPROVED, user__is_active=True
        ).values("user_id", "roles", "user__first_name", "user__last_name", "user__email")
    }
    scope = Q(user_id__in=list(members)) | Q(
        establishment_id=establishment_id, user__member_profile__isnull=True
    )
    rows = list(
        _annotated_enrolments(
            Enrolment.objects.filter(scope, current=True, course_id__in=course_ids)
        )
    )
    summary_counts: dict[int, dict[str, int]] = {
        c.pk: dict.fromkeys(REPORT_STATUSES, 0) for c in courses
    }
    role_counts: dict[str, dict[str, int]] = {}
    role_labels = dict(Role.choices)
    for row in rows:
        status = enrolment_status(row, today)
        row["status"] = status
        summary_counts[row["course_id"]][status] += 1
        member = members.get(row["user_id"])
        roles = sorted(member["roles"] if member else row["roles"]) or ["—"]
        for role in roles:
            counts = role_counts.setdefault(
                str(role_labels.get(role, role)), dict.fromkeys(REPORT_STATUSES, 0)
            )
            counts[status] += 1
    labels = status_labels()
    report = EstablishmentReport(
        establishment=establishment,
        courses=courses,
        course=course,
        summary=[(c, summary_counts[c.pk]) for c in courses],
        by_role=sorted(role_counts.items()),
        member_count=len(members),
        charts=[
            bar_chart(
                "establishment-by-course",
                _("Members who completed each course"),
                _("Course"),
                _("Members"),
                [(c.title, summary_counts[c.pk][STATUS_COMPLETED]) for c in courses],
            )
        ],
        every_course=every_course,
    )
    selected = courses if every_course else [course] if course is not None else []
    if not selected:
        return report
    due = {
        (user_id, course_pk): due_on
        for user_id, course_pk, due_on in Assignment.objects.filter(
            course_id__in=[c.pk for c in selected], user_id__in=list(members)
        ).values_list("user_id", "course_id", "due_on")
    }
    former = {
        u.pk: u
        for u in get_user_model().objects.filter(
            pk__in=[r["user_id"] for r in rows if r["user_id"] not in members]
        )
    }
    for chosen in selected:
        course_due = {user_id: d for (user_id, c), d in due.items() if c == chosen.pk}
        seen = set()
        for row in (r for r in rows if r["course_id"] == chosen.pk):
            seen.add(row["user_id"])
            member = members.get(row["user_id"])
            entry = _report_row(
                row, member, former.get(row["user_id"]), labels, course_due, display_name
            )
            entry.course = chosen
            report.rows.append(entry)
        for user_id, member in members.items():
            if user_id not in seen:
                report.rows.append(
                    ReportRow(
                        name=_member_name(member),
                        email=member["user__email"],
                        roles=_role_names(member["roles"]),
                        status=STATUS_NOT_ENROLLED,
                        status_label=labels[STATUS_NOT_ENROLLED],
                        due_on=course_due.get(user_id),
                        course=chosen,
                    )
                )
    order = {
        s: i
        for i, s in enumerate(
            (
                STATUS_EXPIRED,
                STATUS_NOT_ENROLLED,
                STATUS_ENROLLED,
                STATUS_IN_PROGRESS,
                STATUS_COMPLETED,
            )
        )
    }
    course_order = {c.pk: i for i, c in enumerate(selected)}
    report.rows.sort(key=lambda r: (course_order[r.course.pk], order[r.status], r.name.lower()))
    return report


def _member_name(member) -> str:
    full = f"{member['user__first_name']} {member['user__last_name']}".strip()
    return full or member["user__email"]


def _role_names(roles) -> list[str]:
    labels = dict(Role.choices)
    return [str(labels.get(r, r)) for r in sorted(roles)]


def _report_row(row, member, former_user, labels, due, display_name) -> ReportRow:
    if member is not None:
        name, email, roles = (
            _member_name(member),
            member["user__email"],
            _role_names(member["roles"]),
        )
    else:  # a deleted account: anonymous in the report
        name, email, roles = str(display_name(former_user)), "", _role_names(row["roles"])
    return ReportRow(
        name=name,
        email=email,
        roles=roles,
        status=row["status"],
        status_label=labels[row["status"]],
        started_at=row["started_at"],
        completed_at=row["completed_at"],
        expires_on=row["certificate__expires_on"],
        due_on=due.get(row["user_id"]) if member else None,
    )


def report_csv_rows(report) -> list[list[str]]:
    header = [
        _("Course"),
        _("Name"),
        _("E-mail"),
        _("Roles"),
        _("Status"),
        _("Started on"),
        _("Completed on"),
        _("Certificate valid until"),
        _("Due date"),
    ]

    def day(value):
        if value is None:
            return ""
        return (value.date() if isinstance(value, datetime.datetime) else value).isoformat()

    lines = [header]
    for row in report.rows:
        lines.append(
            [
                row.course.title,
                row.name,
                row.email,
                ", ".join(row.roles),
                row.status_label,
                day(row.started_at),
                day(row.completed_at),
                day(row.expires_on),
                day(row.due_on),
            ]
        )
    return lines


@dataclass
class RegionalFigures:
    total: int
    completed: int
    table: list  # (dimension label, value label, {status: count})
    charts: list


def regional_figures(user, today=None) -> RegionalFigures | None:
    """Counts only, by establishment type and department, over every current enrolment."""
    if not sees_regional_figures(user):
        return None
    today = today or timezone.localdate()
    rows = _annotated_enrolments(Enrolment.objects.filter(current=True)).values(
        "completed_at",
        "lesson_count",
        "attempt_count",
        "certificate__expires_on",
        "establishment__kind",
        "establishment__department",
    )
    by_type: dict[str, dict[str, int]] = {}
    by_department: dict[str, dict[str, int]] = {}
    total = completed = 0
    for row in rows:
        status = enrolment_status(row, today)
        total += 1
        completed += status == STATUS_COMPLETED
        for bucket, key in (
            (by_type, row["establishment__kind"] or ""),
            (by_department, row["establishment__department"] or ""),
        ):
            bucket.setdefault(key, dict.fromkeys(REPORT_STATUSES, 0))[status] += 1
    kinds = dict(EstablishmentType.choices)
    current = region.current()
    type_rows = sorted(((str(kinds.get(k, k or "—")), v) for k, v in by_type.items()))
    department_rows = sorted(
        ((current.department_label(k) if k else "—", v) for k, v in by_department.items())
    )
    charts = [
        bar_chart(
            "completed-by-type",
            _("Courses completed by establishment type"),
            _("Establishment type"),
            _("Courses completed"),
            [(label, counts[STATUS_COMPLETED]) for label, counts in type_rows],
        ),
        bar_chart(
            "completed-by-department",
            _("Courses completed by department"),
            _("Department"),
            _("Courses completed"),
            [(label, counts[STATUS_COMPLETED]) for label, counts in department_rows],
        ),
    ]
    return RegionalFigures(
        total=total,
        completed=completed,
        table=[(_("Establishment type"), type_rows), (_("Department"), department_rows)],
        charts=charts,
    )


# --- Mes formations -------------------------------------------------------------------------


def my_courses(user, today=None) -> dict:
    today = today or timezone.localdate()
    enrolments = list(
        Enrolment.objects.filter(user=user)
        .select_related("course", "certificate")
        .annotate(lesson_count=Count("completions", distinct=True))
        .order_by("-last_activity_at")
    )
    courses = {e.course_id: e.course for e in enrolments}
    totals, quizzes = _lesson_totals(courses.values())
    passed = set(
        QuizAttempt.objects.filter(enrolment__in=enrolments, passed=True).values_list(
            "enrolment_id", flat=True
        )
    )
    in_progress, enrolled, completed, certificates = [], [], [], []
    for enrolment in enrolments:
        if not can_view(user, enrolment.course):
            continue
        state = Progress(
            done=enrolment.lesson_count,
            total=totals.get(enrolment.course_id, 0),
            quiz_passed=enrolment.pk in passed,
            has_quiz=enrolment.course_id in quizzes,
        )
        entry = {"enrolment": enrolment, "progress": state}
        certificate = getattr(enrolment, "certificate", None) if enrolment.completed_at else None
        if certificate is not None:
            certificates.append(
                {
                    "certificate": certificate,
                    "valid": certificate_valid(certificate, today),
                    "soon": certificate_valid(certificate, today)
                    and certificate.expires_on - datetime.timedelta(days=EXPIRY_NOTICE_DAYS)
                    <= today,
                    "current": enrolment.current,
                    "course": enrolment.course,
                }
            )
        if not enrolment.current:
            continue
        if enrolment.completed_at:
            completed.append(entry)
        elif state.steps_done:
            in_progress.append(entry)
        else:
            enrolled.append(entry)
    assignments = list(
        Assignment.objects.filter(user=user).select_related("course").order_by("due_on")
    )
    return {
        "in_progress": in_progress,
        "enrolled": enrolled,
        "completed": completed,
        "certificates": certificates,
        "assignments": [a for a in assignments if can_view(user, a.course)],
    }


def _lesson_totals(courses):
    """Live lessons per course and the courses having a live quiz, in two queries."""
    courses = list(courses)
    totals = {course.pk: 0 for course in courses}
    with_quiz = set()
    if not courses:
        return totals, with_quiz
    by_path = {course.path: course.pk for course in courses}
    children = Q()
    for course in courses:
        children |= Q(path__startswith=course.path, depth=course.depth + 1)
    step = CoursePage.steplen
    for path in LessonPage.objects.live().filter(children).values_list("path", flat=True):
        totals[by_path[path[:-step]]] += 1
    for path in QuizPage.objects.live().filter(children).values_list("path", flat=True):
        with_quiz.add(by_path[path[:-step]])
    return totals, with_quiz


# --- SCORM runtime --------------------------------------------------------------------------


def scorm_state(enrolment, lesson) -> ScormState:
    state, _created = ScormState.objects.get_or_create(enrolment=enrolment, lesson=lesson)
    return state
