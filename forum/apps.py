from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommunityConfig(AppConfig):
    # machina owns the ``forum`` label. Its declaration in the module kit is ``forum/module.py``.
    name = "forum"
    label = "community"
    verbose_name = _("Member forum")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from forum import personal  # not at the top: app loading (it imports the models)

        personal.register()  # the reader's own parts of the cached forum pages
