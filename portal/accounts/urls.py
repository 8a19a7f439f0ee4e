from django.urls import path
from django.utils.translation import gettext_lazy as _

from portal.accounts import views

app_name = "membership"
urlpatterns = [
    path(_("status/"), views.membership_status, name="status"),
    path(_("requests/"), views.approval_queue, name="queue"),
    path(_("role-claims/"), views.role_claims, name="claims"),
    path(_("profile/"), views.profile, name="profile"),
    path(_("profile/my-data/"), views.personal_data_export, name="export"),
    path(_("profile/delete/"), views.delete_account, name="delete"),
]
