"""What the e-learning module holds about a member: enrolments, attempts, certificates.

On account deletion the rows stay, so that the managers' reports keep their counts, but the
person is gone: the user row is anonymised by the portal, and the name on certificates is
erased here (the verification page then says "former member")."""

from elearning.models import Assignment, Certificate, Enrolment, QuizAttempt, ScormState


def export(user) -> dict:
    def when(value):
        return value.isoformat() if value else None

    enrolments = []
    for enrolment in Enrolment.objects.filter(user=user).select_related("course").order_by("pk"):
        certificate = getattr(enrolment, "certificate", None) if enrolment.completed_at else None
        enrolments.append(
            {
                "course": enrolment.course.title,
                "current": enrolment.current,
                "started_at": when(enrolment.started_at),
                "completed_at": when(enrolment.completed_at),
                "lessons_completed": [
                    {"lesson": c.lesson.title, "completed_at": when(c.completed_at)}
                    for c in enrolment.completions.select_related("lesson")
                ],
                "certificate": certificate
                and {
                    "code": certificate.code,
                    "name": certificate.learner_name,
                    "issued_on": when(certificate.issued_on),
                    "expires_on": when(certificate.expires_on),
                },
            }
        )
    attempts = [
        {
            "quiz": attempt.quiz.title,
            "number": attempt.number,
            "started_at": when(attempt.started_at),
            "submitted_at": when(attempt.submitted_at),
            "score": attempt.score,
            "passed": attempt.passed,
            "answers": attempt.responses,
        }
        for attempt in QuizAttempt.objects.filter(enrolment__user=user).select_related("quiz")
    ]
    assignments = [
        {"course": a.course.title, "due_on": when(a.due_on), "assigned_at": when(a.created_at)}
        for a in Assignment.objects.filter(user=user).select_related("course")
    ]
    return {"enrolments": enrolments, "quiz_attempts": attempts, "assignments": assignments}


def erase(user) -> None:
    Certificate.objects.filter(enrolment__user=user).update(learner_name="")
    ScormState.objects.filter(enrolment__user=user).update(suspend_data="", lesson_location="")
    Assignment.objects.filter(user=user).delete()
