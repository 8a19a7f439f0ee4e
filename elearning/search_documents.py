"""What the e-learning module puts into the unified search: courses and their lessons, each
with the course's access fields (a lesson is exactly as visible as its course)."""

from django.utils.translation import gettext_lazy as _
from wagtail.models import Page

from elearning.models import CoursePage, DurationBand, LessonPage
from search.documents import SearchDocument, access_fields, model_key
from search.pages import indexable, page_text
from search.registry import Facet, Source

KIND = "courses"


def _facets(course) -> dict:
    return {
        "audience": tuple(sorted(course.audience)),
        "duration": (course.duration_band,),
    }


def course_document(page) -> SearchDocument | None:
    if not indexable(page):
        return None
    return SearchDocument(
        key=model_key(page),
        kind=KIND,
        title=page.title,
        url=page.url or "",
        summary=page.summary,
        body=page_text(page.summary, page.objectives, page.prerequisites),
        facets=_facets(page),
        date=page.first_published_at,
        **access_fields(page),
    )


def lesson_document(page) -> SearchDocument | None:
    if not indexable(page):
        return None
    course = CoursePage.objects.filter(pk=page.get_parent().pk).first()
    if course is None or not indexable(course):
        return None
    return SearchDocument(
        key=model_key(page),
        kind=KIND,
        title=page.title,
        url=page.url or "",
        summary=page.intro,
        body=page_text(page.intro, page.body),
        tags=(course.title,),
        facets=_facets(course),
        date=page.last_published_at,
        **access_fields(course),
    )


def document(page) -> SearchDocument | None:
    if isinstance(page, CoursePage):
        return course_document(page)
    return lesson_document(page)


def candidates():
    """Every live course and lesson, as their specific pages (one queryset: it is counted)."""
    return Page.objects.live().type(CoursePage, LessonPage).specific().order_by("path")


def duration_labels() -> dict[str, str]:
    return {code: str(label) for code, label in DurationBand.choices}


def source():
    return Source(
        kind=KIND,
        label=_("Courses"),
        models=(CoursePage, LessonPage),
        document=document,
        candidates=candidates,
        order=40,
        index_url_name="elearning:catalogue",
    )


def facets():
    """The duration facet. A course's "audience" values (roles) use the portal's one
    "audience" facet (``search.registry.AUDIENCE``): a facet name is declared once."""
    return [Facet(name="duration", label=_("Duration"), choices=duration_labels, order=40)]
