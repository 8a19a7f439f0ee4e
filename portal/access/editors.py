"""Who counts as an editor: an active account allowed into the Wagtail admin."""


def has_admin_access(user) -> bool:
    """Superusers always (Django grants an active superuser every permission)."""
    return bool(
        user.is_authenticated and user.is_active and user.has_perm("wagtailadmin.access_admin")
    )
