"""The REX section in the portal's navigation and on the home page."""

from django.utils.translation import gettext_lazy as _

from portal.registry import ModuleEntry, register


def register_module() -> None:
    from docs_base.rex.services import latest

    register(
        ModuleEntry(
            key="rex",
            label=_("Experience feedback"),
            url_name="docs_base:rex_home",
            order=30,
            latest=latest,
        )
    )
