from django import template

from portal.notifications import services

register = template.Library()


@register.simple_tag
def unread_notifications(user) -> int:
    """The member's unread count, for the header (rendered per request, never cached)."""
    if not getattr(user, "is_authenticated", False):
        return 0
    return services.unread_count(user)
