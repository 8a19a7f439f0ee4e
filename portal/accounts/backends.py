from allauth.account.auth_backends import AuthenticationBackend
from django.contrib.auth import get_user_model

from portal.accounts import user_cache


class MemberBackend(AuthenticationBackend):
    """allauth's e-mail login; loads the member profile and its establishment with the user in
    one query, kept in the shared cache until one of them changes (``user_cache``)."""

    def get_user(self, user_id):
        user = user_cache.load(user_id, lambda: self._query(user_id))
        return user if user is not None and self.user_can_authenticate(user) else None

    @staticmethod
    def _query(user_id):
        return (
            get_user_model()
            ._default_manager.select_related("member_profile__establishment")
            .filter(pk=user_id)
            .first()
        )
