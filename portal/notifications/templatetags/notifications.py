from django import template

from portal.notifications import services

register = template.Library()
CACHE_ATTR = "_unread_notifications"


@register.simple_tag
def unread_notifications(user) -> int:
    """The member's unread count, for the header (rendered per request, never cached across
    requests; counted once per request although the header shows it twice)."""
    if not getattr(user, "is_authenticated", False):
        return 0
    if (count := getattr(user, CACHE_ATTR, None)) is None:
        count = services.unread_count(user)
        setattr(user, CACHE_ATTR, count)
    return count
