from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend


class MemberBackend(ModelBackend):
    """Loads the member profile with the user: one query per request instead of two."""

    def get_user(self, user_id):
        user = (
            get_user_model()
            ._default_manager.select_related("member_profile")
            .filter(pk=user_id)
            .first()
        )
        return user if user is not None and self.user_can_authenticate(user) else None
