from django.urls import path
from django.utils.translation import gettext_lazy as _

from docs_base.rex import views

urlpatterns = [
    path(_("experience-feedback/"), views.rex_home, name="rex_home"),
    path(_("experience-feedback/share/"), views.submission_new, name="rex_submit"),
    path(_("experience-feedback/mine/"), views.mine, name="rex_mine"),
    path(
        _("experience-feedback/mine/<int:pk>/delete/"),
        views.submission_delete,
        name="rex_submission_delete",
    ),
    path(
        _("experience-feedback/mine/<int:pk>/<slug:step>/"),
        views.submission_step,
        name="rex_submission_step",
    ),
    path(_("experience-feedback/statistics/"), views.regional_statistics, name="rex_statistics"),
]
