from wagtail import hooks
from wagtail.snippets.models import register_snippet

from portal.access import ensure_visible
from portal.accounts.models import Establishment


@hooks.register("before_serve_page")
def enforce_access_model(page, request, serve_args, serve_kwargs):
    """A page the user may not view answers 404, exactly like a page that does not exist."""
    if hasattr(page, "access_level"):
        ensure_visible(request, page)


register_snippet(Establishment)
