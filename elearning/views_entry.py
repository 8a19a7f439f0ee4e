from django.http import Http404
from django.shortcuts import redirect
from django.views.decorators.http import require_safe

from elearning.models import CourseIndexPage


@require_safe
def catalogue(request):
    """The navigation's entry: the course catalogue page, wherever editors put it."""
    index = CourseIndexPage.objects.live().public().order_by("path").first()
    if index is None or not index.url:
        raise Http404
    return redirect(index.url)
