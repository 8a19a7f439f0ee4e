"""The e-learning views, reached through the catalogue and course pages' routes
(``RoutablePageMixin``): they check access and call ``elearning.services``."""

import csv
import datetime

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from elearning import notifications, personal, scorm, services
from elearning.models import Certificate, CoursePage, Enrolment, QuizAttempt
from elearning.services import NotAllowed
from portal.access import ensure_visible, is_preview, visible_to
from portal.accounts.personal_data import former_members
from portal.page_cache import mark_cacheable


def _approved(request):
    """None when the user is an approved member; else the response to give (login or 404)."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not services.is_approved(request.user):
        raise Http404
    return None


def _render(request, page, template, context, status=200):
    context = {"page": page, "self": page, "request": request} | context
    return TemplateResponse(request, template, context, status=status)


def _refused(request, error, target):
    messages.error(request, str(error))
    return redirect(target)


def _shared(request, response):
    """A page whose personal parts are fragments: stored per audience, but not a preview."""
    return response if is_preview(request) else mark_cacheable(response)


# --- Course, lessons --------------------------------------------------------------------------


def enrol(request, course):
    if request.method != "POST":
        return redirect(course.url)
    if (refusal := _approved(request)) is not None:
        return refusal
    try:
        enrolment = services.enrol(request.user, course)
    except NotAllowed as error:
        return _refused(request, error, course.url)
    messages.success(request, _("You are enrolled. Good training!"))
    return redirect(services.resume_target(enrolment).url)


def resume(request, course):
    if (refusal := _approved(request)) is not None:
        return refusal
    enrolment = services.current_enrolment(request.user, course)
    if enrolment is None:
        return redirect(course.url)
    return redirect(services.resume_target(enrolment).url)


def _course_of(request, page) -> CoursePage:
    course = CoursePage.objects.filter(pk=page.get_parent().pk).first()
    if course is None or not (course.live or is_preview(request)):  # editors preview drafts
        raise Http404
    ensure_visible(request, course)
    return course


def lesson(request, page):
    course = _course_of(request, page)
    if request.method == "POST":
        if (refusal := _approved(request)) is not None:
            return refusal
        enrolment = services.current_enrolment(request.user, course)
        if enrolment is None:
            return _refused(request, _("Enrol in the course first."), course.url)
        if page.scorm_package_id:
            return _refused(
                request, _("This lesson is completed by its interactive module."), page.url
            )
        services.complete_lesson(enrolment, page)
        siblings = list(course.lessons())
        following = [item for item in siblings if item.path > page.path]
        target = following[0] if following else (course.quiz() or course)
        messages.success(request, _("Lesson completed."))
        return redirect(target.url)
    lessons = list(course.lessons())
    position = next((i for i, item in enumerate(lessons) if item.pk == page.pk), 0)
    quiz = course.quiz()
    shown = personal.ShownLesson.of(course, page, lessons, quiz)
    context = {
        "course": course,
        "lessons": lessons,
        "position": position + 1,
        "previous": lessons[position - 1] if position > 0 else None,
        "next": lessons[position + 1] if position + 1 < len(lessons) else None,
        "quiz": quiz,
        "shown": shown,
    }
    if not page.scorm_package_id:
        # The learner's state is in the page's personal fragments (``elearning.personal``):
        # the rest may be shared by the members of an audience.
        return _shared(request, _render(request, page, "elearning/lesson_page.html", context))
    # The SCORM player carries the learner's runtime state: rendered for each request.
    context["done"] = personal.lesson_state(request, shown).done
    enrolment = services.current_enrolment(request.user, course)
    if enrolment is not None:
        context["scorm"] = scorm.player_context(request, enrolment, page)
    return _render(request, page, "elearning/lesson_page.html", context)


# --- Quiz -----------------------------------------------------------------------------------


def quiz(request, page):
    course = _course_of(request, page)
    if request.method == "POST":
        enrolment = (
            services.current_enrolment(request.user, course)
            if services.is_approved(request.user)
            else None
        )
        if enrolment is None:
            return _refused(request, _("Enrol in the course first."), course.url)
        return _quiz_post(request, page, enrolment)
    shown = personal.ShownQuiz.of(page, course, request)
    personal.quiz_context(request, shown)  # a review that is not the learner's: 404 now
    response = _render(
        request, page, "elearning/quiz_page.html", {"course": course, "shown": shown}
    )
    # The learner's part is a personal fragment; a review (``?tentative=``) is never stored.
    return response if "tentative" in request.GET else _shared(request, response)


def _quiz_post(request, page, enrolment):
    action = request.POST.get("action")
    if action == "start":
        try:
            services.start_attempt(enrolment, page)
        except NotAllowed as error:
            return _refused(request, error, page.url)
        return redirect(page.url)
    if action == "submit":
        attempt = QuizAttempt.objects.filter(
            enrolment=enrolment,
            quiz=page,
            pk=request.POST.get("attempt", "0") if request.POST.get("attempt", "").isdigit() else 0,
        ).first()
        if attempt is None:
            raise Http404
        try:
            attempt = services.submit(attempt, request.POST)
        except NotAllowed as error:
            return _refused(request, error, page.url)
        if attempt.passed:
            messages.success(
                request, _("Quiz passed with %(score)s %%.") % {"score": attempt.score}
            )
        else:
            messages.warning(
                request, _("Quiz not passed: %(score)s %%.") % {"score": attempt.score}
            )
        return redirect(f"{page.url}?tentative={attempt.number}")
    return _refused(request, _("Unknown action."), page.url)


# --- Mes formations, certificates ------------------------------------------------------------


def my_courses(request, index):
    if (refusal := _approved(request)) is not None:
        return refusal
    context = services.my_courses(request.user)
    return _render(request, index, "elearning/my_courses.html", context)


def verify_certificate(request, index, code):
    certificate = Certificate.objects.filter(code=code.strip().upper()).first()
    if certificate is None:
        raise Http404

    erased = former_members().filter(pk=certificate.enrolment.user_id).exists()
    context = {
        "certificate": certificate,
        "valid": services.certificate_valid(certificate),
        "learner": _("former member") if erased else certificate.learner_name,
    }
    return _render(request, index, "elearning/verify.html", context)


def certificate_pdf(request, index, code):
    if (refusal := _approved(request)) is not None:
        return refusal
    certificate = (
        Certificate.objects.filter(code=code.strip().upper(), enrolment__user=request.user)
        .select_related("enrolment")
        .first()
    )
    if certificate is None:
        raise Http404
    verify_url = request.build_absolute_uri(
        index.url + index.reverse_subpage("verify", args=(certificate.code,))
    )
    response = HttpResponse(
        services.certificate_pdf(certificate, verify_url), content_type="application/pdf"
    )
    response["Content-Disposition"] = f'attachment; filename="attestation-{certificate.code}.pdf"'
    return response


# --- Managers ---------------------------------------------------------------------------------


def establishment_report(request, index):
    if (refusal := _approved(request)) is not None:
        return refusal
    report = services.establishment_report(request.user, request.GET.get("formation"))
    if report is None:
        raise Http404
    context = {
        "report": report,
        "statuses": [(s, services.status_labels()[s]) for s in services.REPORT_STATUSES],
        "can_assign": services.can_assign(request.user),
    }
    return _render(request, index, "elearning/report.html", context)


def establishment_report_csv(request, index):
    if (refusal := _approved(request)) is not None:
        return refusal
    # One course (``?formation=<id>``), or every course without the parameter.
    course_id = request.GET.get("formation")
    report = services.establishment_report(request.user, course_id, every_course=course_id is None)
    if report is None or (course_id is not None and report.course is None):
        raise Http404
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="formations-etablissement.csv"'
    response.write("\ufeff")
    writer = csv.writer(response, delimiter=";")
    for line in services.report_csv_rows(report):
        writer.writerow([_csv_safe(cell) for cell in line])
    return response


def _csv_safe(value: str) -> str:
    """Neutralise spreadsheet formulas in user-provided cells."""
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


def regional_report(request, index):
    if (refusal := _approved(request)) is not None:
        return refusal
    figures = services.regional_figures(request.user)
    if figures is None:
        raise Http404
    context = {
        "figures": figures,
        "statuses": [(s, services.status_labels()[s]) for s in services.REPORT_STATUSES],
    }
    return _render(request, index, "elearning/regional.html", context)


def assign(request, index):
    if (refusal := _approved(request)) is not None:
        return refusal
    if not services.can_assign(request.user):
        raise Http404

    courses = list(visible_to(request.user, CoursePage.objects.live()).order_by("title"))
    members = list(services.assignable_members(request.user))
    errors = []
    if request.method == "POST":
        course = next((c for c in courses if str(c.pk) == request.POST.get("course")), None)
        try:
            due_on = datetime.date.fromisoformat(request.POST.get("due_on", ""))
        except ValueError:
            due_on = None
        user_ids = [int(v) for v in request.POST.getlist("members") if v.isdigit()]
        try:
            if course is None:
                raise NotAllowed(_("Choose a course."))
            if due_on is None:
                raise NotAllowed(_("Enter the due date as DD/MM/YYYY."))
            reminders = services.assign(request.user, course, user_ids, due_on)
        except NotAllowed as error:
            errors.append(str(error))
        else:
            notifications.deliver(reminders)
            messages.success(
                request,
                _("Course assigned to %(count)s member(s).") % {"count": len(reminders)},
            )
            return redirect(index.url + index.reverse_subpage("report") + f"?formation={course.pk}")
    return _render(
        request,
        index,
        "elearning/assign.html",
        {
            "courses": courses,
            "members": members,
            "errors": errors,
            "today": timezone.localdate(),
            "posted": request.POST if request.method == "POST" else None,
        },
        status=400 if errors else 200,
    )


__all__ = ["Enrolment"]
