import factory
from django.contrib.auth import get_user_model
from django.test import Client
from wagtail.models import Page

from portal.accounts.models import Establishment, EstablishmentType, MemberProfile, MemberStatus


class EstablishmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Establishment
        django_get_or_create = ("finess",)

    name = factory.Sequence(lambda n: f"Centre hospitalier n°{n}")
    finess = factory.Sequence(lambda n: f"38{n:07d}")
    kind = EstablishmentType.CH
    department = "38"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}@example.org")
    email = factory.SelfAttribute("username")


TEST_TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


def with_mfa(user):
    """Give the user a TOTP factor (sensitive roles cannot use the portal without one)."""
    from allauth.mfa.totp.internal.auth import TOTP

    TOTP.activate(user, TEST_TOTP_SECRET)
    return user


class MemberFactory(UserFactory):
    """A user with a member profile (approved by default).

    Members of the roles that must use MFA get a TOTP factor unless ``profile__mfa=False``.
    """

    @factory.post_generation
    def profile(user, create, extracted, **kwargs):
        from portal.accounts.mfa import MFA_REQUIRED_ROLES

        roles = kwargs.get("roles", set())
        MemberProfile.objects.create(
            user=user,
            establishment=kwargs.get("establishment"),
            roles=roles,
            status=kwargs.get("status", MemberStatus.APPROVED),
        )
        if kwargs.get("mfa", True) and set(roles) & MFA_REQUIRED_ROLES:
            with_mfa(user)


def can_log_in(user, password):
    """Give the user a password and a verified e-mail address, as after sign-up."""
    from allauth.account.models import EmailAddress

    user.set_password(password)
    user.save()
    EmailAddress.objects.update_or_create(
        user=user, email=user.email, defaults={"verified": True, "primary": True}
    )
    return user


def home_page():
    from portal.models import HomePage

    home = HomePage.objects.first()
    if home is None:
        root = Page.get_first_root_node()
        home = HomePage(title="Accueil", slug="accueil", hero_title="Bienvenue", intro="<p>x</p>")
        root.add_child(instance=home)
        from wagtail.models import Site

        Site.objects.update_or_create(
            is_default_site=True, defaults={"hostname": "testserver", "root_page": home}
        )
    return home


def standard_page(parent=None, **fields):
    from portal.models import StandardPage

    parent = parent or home_page()
    fields.setdefault("title", "Page")
    fields.setdefault("slug", fields["title"].lower().replace(" ", "-"))
    page = StandardPage(**fields)
    parent.add_child(instance=page)
    page.save_revision().publish()
    return page


def client_for(user=None):
    """A test client, signed in as ``user`` when one is given."""
    client = Client()
    if user is not None:
        client.force_login(user)
    return client
