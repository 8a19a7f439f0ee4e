from allauth.account.auth_backends import AuthenticationBackend
from django.contrib.auth import get_user_model


class MemberBackend(AuthenticationBackend):
    """allauth's e-mail login; loads the member profile and its establishment with the user in
    one query."""

    def get_user(self, user_id):
        user = (
            get_user_model()
            ._default_manager.select_related("member_profile__establishment")
            .filter(pk=user_id)
            .first()
        )
        return user if user is not None and self.user_can_authenticate(user) else None
