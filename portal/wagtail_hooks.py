from wagtail import hooks
from wagtail.snippets.models import register_snippet

from portal.access import ensure_visible
from portal.access.staff_admin import filter_chooser
from portal.accounts import user_cache
from portal.accounts.models import Establishment


@hooks.register("before_serve_page")
def enforce_access_model(page, request, serve_args, serve_kwargs):
    """A page the user may not view answers 404, exactly like a page that does not exist."""
    if hasattr(page, "access_level"):
        ensure_visible(request, page)


@hooks.register("construct_page_chooser_queryset")
def staff_rule_in_page_chooser(pages, request):
    return filter_chooser(pages, request)


@hooks.register("after_bulk_action")
def forget_cached_users(request, action_type, objects, action_class_instance):
    """The admin's bulk actions on users write with a queryset update (no signal): the cached
    copies of the users concerned are retired, so a deactivation signs them out at once."""
    user_cache.forget_objects(objects)


register_snippet(Establishment)
