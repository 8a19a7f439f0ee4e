from django.utils.translation import gettext_lazy as _
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from elearning.models import Question, QuestionBank, ScormPackage, _admin_forms

_admin_forms()


class QuestionBankViewSet(SnippetViewSet):
    model = QuestionBank
    icon = "folder-open-inverse"
    list_display = ["name"]
    search_fields = ["name", "description"]


class QuestionViewSet(SnippetViewSet):
    model = Question
    icon = "help"
    list_display = ["text", "bank", "category", "kind", "difficulty"]
    list_filter = ["bank", "kind", "difficulty", "category"]
    search_fields = ["text", "category"]


class ScormPackageViewSet(SnippetViewSet):
    model = ScormPackage
    icon = "upload"
    list_display = ["title", "launch", "file_count", "uploaded_at"]


class ElearningGroup(SnippetViewSetGroup):
    menu_label = _("E-learning")
    menu_icon = "folder-inverse"
    menu_order = 300
    items = (QuestionBankViewSet, QuestionViewSet, ScormPackageViewSet)


register_snippet(ElearningGroup)
