"""allauth's sign-up form, doing the same work whether or not the address is registered."""

from allauth.account.forms import SignupForm as AllauthSignupForm
from django.contrib.auth.hashers import make_password


class SignupForm(AllauthSignupForm):
    def try_save(self, request):
        """A new account hashes its password; a registered address hashes it too (and drops
        the result), so that the answer's timing does not tell which addresses are members."""
        if self.account_already_exists:
            make_password(self.cleaned_data.get("password1"))
        return super().try_save(request)
