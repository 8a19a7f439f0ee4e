from django.urls import path
from django.utils.translation import gettext_lazy as _

from portal.notifications import views

app_name = "notifications"
urlpatterns = [
    path("", views.notification_list, name="list"),
    path(_("read-all/"), views.mark_all_read, name="read_all"),
    path(_("<id:pk>/read/"), views.mark_read, name="read"),
    path(_("<id:pk>/open/"), views.open_notification, name="open"),
    path(_("unsubscribe/<str:token>/"), views.unsubscribe, name="unsubscribe"),
]
