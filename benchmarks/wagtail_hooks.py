"""Moderation of the member reviews in the Wagtail admin (snippets: a review is published by a
moderator, reports are read and marked as handled)."""

from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from benchmarks import notifications
from benchmarks.models import DIMENSIONS, Review, ReviewReport


class ReviewViewSet(SnippetViewSet):
    model = Review
    icon = "comment"
    menu_label = _("Reviews")
    list_display = ["solution", "signature", "status", "version", "updated_at"]
    list_filter = ["status", "establishment_type"]
    search_fields = ["pros", "cons"]
    panels = [
        MultiFieldPanel(
            [FieldPanel("status"), FieldPanel("moderation_note")],
            heading=_("Moderation"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("solution", read_only=True),
                FieldPanel("establishment", read_only=True),
                FieldRowPanel([FieldPanel("author_role"), FieldPanel("establishment_type")]),
                FieldPanel("department"),
                FieldPanel("show_establishment_name"),
                FieldRowPanel([FieldPanel("used_since"), FieldPanel("usage_scale")]),
                FieldPanel("no_conflict"),
                FieldPanel("conflict_statement"),
            ],
            heading=_("Reviewer (shown anonymised)"),
        ),
        MultiFieldPanel(
            [FieldPanel(name) for name, _label in DIMENSIONS]
            + [FieldPanel("pros"), FieldPanel("cons"), FieldPanel("would_recommend")],
            heading=_("Review"),
        ),
    ]


class ReviewReportViewSet(SnippetViewSet):
    model = ReviewReport
    icon = "warning"
    menu_label = _("Review reports")
    list_display = ["review", "reason", "created_at", "resolved"]
    list_filter = ["resolved", "reason"]
    panels = [
        FieldPanel("review", read_only=True),
        FieldPanel("reason", read_only=True),
        FieldPanel("comment", read_only=True),
        FieldPanel("resolved"),
    ]


class BenchmarksGroup(SnippetViewSetGroup):
    items = (ReviewViewSet, ReviewReportViewSet)
    menu_icon = "table"
    menu_label = _("Benchmarks")
    menu_order = 350


register_snippet(BenchmarksGroup)


@hooks.register("after_edit_snippet")
def tell_author_of_decision(request, instance):
    """A moderator published or rejected a review: its author is told (once per version and
    decision, so saving the review again notifies nobody twice)."""
    if isinstance(instance, Review):
        notifications.tell_author(instance)
