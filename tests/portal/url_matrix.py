"""Every URL the project resolves, and the users of the role x URL matrix."""

from django.contrib.auth.models import Group
from django.urls import URLPattern, URLResolver, get_resolver

from portal.access import Role
from portal.accounts.models import EstablishmentType, MemberStatus
from tests.portal.factories import EstablishmentFactory, MemberFactory, UserFactory

USERS = [
    "anonymous",
    "unverified",
    "pending",
    "caregiver",
    "impostor",
    "other_establishment",
    "rssi",
    "moderator",
    "editor",
    "regional_admin",
]


def url_patterns():
    """(name, route) for every URL pattern, namespaces included."""

    def walk(patterns, prefix="", namespace=None):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                ns = namespace
                if pattern.namespace:
                    ns = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
                yield from walk(pattern.url_patterns, prefix + str(pattern.pattern), ns)
            elif isinstance(pattern, URLPattern):
                name = pattern.name or f"<unnamed {prefix}{pattern.pattern}>"
                yield (
                    (f"{namespace}:{name}" if namespace and pattern.name else name),
                    prefix + str(pattern.pattern),
                )

    return list(walk(get_resolver().url_patterns))


def routable_page_routes():
    """(name, page model, route) for every route of every page model with routes (the modules'
    own views hang off their index pages: ``portal.routable``). The name is
    ``<app_label.Model>:<route name>``; the route is relative to a live page of that model."""
    from django.apps import apps
    from wagtail.contrib.routable_page.models import RoutablePageMixin
    from wagtail.models import Page

    routes = []
    for model in apps.get_models():
        if issubclass(model, Page) and issubclass(model, RoutablePageMixin):
            for pattern in model.get_resolver().url_patterns:
                routes.append((f"{model._meta.label}:{pattern.name}", model, str(pattern.pattern)))
    return sorted(routes, key=lambda route: route[0])


def needs_arguments(route: str) -> bool:
    return "<" in route or "(?P" in route or "^" in route


def build_users(establishment_a, establishment_b):
    from allauth.account.models import EmailAddress

    def member(name, **profile):
        user = MemberFactory(
            username=f"{name}@matrix.example",
            email=f"{name}@matrix.example",
            **{f"profile__{k}": v for k, v in profile.items()},
        )
        EmailAddress.objects.create(
            user=user, email=user.email, verified=name != "unverified", primary=True
        )
        return user

    users = {
        "anonymous": None,
        "unverified": member(
            "unverified",
            establishment=establishment_a,
            status=MemberStatus.PENDING,
            roles={Role.CAREGIVER},
        ),
        "pending": member(
            "pending", establishment=establishment_a, status=MemberStatus.PENDING, roles={Role.RSSI}
        ),
        "caregiver": member("caregiver", establishment=establishment_a, roles={Role.CAREGIVER}),
        "other_establishment": member(
            "other", establishment=establishment_b, roles={Role.CAREGIVER}
        ),
        "rssi": member("rssi", establishment=establishment_a, roles={Role.RSSI}),
        "moderator": member("moderator", establishment=establishment_a, roles={Role.MODERATOR}),
        "editor": member("editor", establishment=establishment_a, roles={Role.EDITOR}),
        "regional_admin": member(
            "admin", establishment=establishment_a, roles={Role.REGIONAL_ADMIN}
        ),
    }
    users["impostor"] = _impostor(establishment_a)
    for name, group in (("editor", "Editors"), ("regional_admin", "Moderators")):
        users[name].is_staff = True
        users[name].save()
        users[name].groups.add(Group.objects.get(name=group))
    return users


def _impostor(establishment):
    """Signed up on the establishment's allow-listed domain, ticking RSSI and director: approved
    as a member of it, with those roles only claimed (pending a person's confirmation)."""
    from allauth.account.models import EmailAddress

    from portal.accounts.services import register_member

    user = UserFactory(username="impostor@ch-a.example", email="impostor@ch-a.example")
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    register_member(user, establishment, {Role.CAREGIVER, Role.RSSI, Role.DIRECTOR})
    return user


def establishments():
    return (
        EstablishmentFactory(finess="380000099", name="CH A", email_domains="ch-a.example"),
        # A medico-social establishment: content narrowed to EHPAD and ESMS staff reaches the
        # other establishment's member only.
        EstablishmentFactory(
            finess="690000099", name="EHPAD B", department="69", kind=EstablishmentType.EHPAD
        ),
    )
