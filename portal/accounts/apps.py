from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "portal.accounts"
    label = "accounts"
    verbose_name = _("Accounts and membership")

    def ready(self):
        from portal.accounts import profile_page  # not at the top: it imports the models

        profile_page.register()  # the member's own parts of the cached profile page
