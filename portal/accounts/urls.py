from django.contrib.auth import views as auth_views
from django.urls import path
from django.utils.translation import gettext_lazy as _

app_name = "accounts"
urlpatterns = [
    path(
        _("login/"),
        auth_views.LoginView.as_view(
            template_name="accounts/login.html", redirect_authenticated_user=True
        ),
        name="login",
    ),
    path(_("logout/"), auth_views.LogoutView.as_view(), name="logout"),
]
