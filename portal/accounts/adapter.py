from allauth.account.adapter import DefaultAccountAdapter
from django.urls import reverse

from portal import mail
from portal.access import is_approved_member


class AccountAdapter(DefaultAccountAdapter):
    def get_login_redirect_url(self, request):
        """Members not (yet) approved land on their membership status page."""
        if not is_approved_member(request.user):
            return reverse("membership:status")
        return super().get_login_redirect_url(request)

    def render_mail(self, template_prefix, email, context, headers=None):
        """allauth's messages (verification, password reset, ...) are sent from the task queue,
        not in the request that asked for them."""
        message = super().render_mail(template_prefix, email, context, headers=headers)
        message.send = lambda fail_silently=False: mail.queue(message)
        return message


def user_display(user) -> str:
    """How allauth names a person in pages and e-mails: their name, else their address."""
    return user.get_full_name() or user.email
