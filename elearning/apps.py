from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ElearningConfig(AppConfig):
    """Declared to the portal in ``elearning/module.py`` (discovered by the module kit)."""

    name = "elearning"
    verbose_name = _("E-learning")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # Not at the top: Django's app loading (the signals import the models).
        from elearning import personal
        from elearning.events import personal as event_personal
        from elearning.events import signals

        signals.connect()
        personal.register()  # the learner's own parts of cached lesson and quiz pages
        event_personal.register()  # the member's registration on cached event pages
