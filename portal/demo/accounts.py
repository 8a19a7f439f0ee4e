"""Demo establishments (from ``establishments.toml``) and one user per role."""

import tomllib
from pathlib import Path

from allauth.account.models import EmailAddress
from allauth.mfa.adapter import get_adapter
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from portal import region
from portal.access import Role
from portal.accounts.models import Establishment, MemberProfile, MemberStatus

DATA_FILE = Path(__file__).with_name("establishments.toml")

# role, first name, last name, establishment kind, Wagtail groups (staff when any).
# "Modérateurs" moderates experience feedback (docs_base.rex.workflow); "Moderators" and
# "Editors" are Wagtail's own groups.
PEOPLE = [
    (Role.DIRECTOR, "Claire", "Dubois", "ch", ()),
    (Role.RSSI, "Thomas", "Girard", "chu", ()),
    (Role.DSI, "Nadia", "Benali", "chu", ()),
    (Role.DPO, "Marc", "Lefèvre", "ch", ()),
    (Role.CAREGIVER, "Julie", "Moreau", "ehpad", ()),
    (Role.ADMIN_AGENT, "Karim", "Haddad", "ch", ()),
    (Role.ARS_REFERENT, "Isabelle", "Fournier", "ars", ()),
    (Role.EDITOR, "Lucie", "Bernard", "gcs", ("Editors",)),
    (Role.MODERATOR, "Antoine", "Roux", "gcs", ("Moderators", "Modérateurs")),
    (Role.REGIONAL_ADMIN, "Sophie", "Garnier", "gcs", ("Moderators",)),
]


def load_establishments() -> list[dict]:
    with DATA_FILE.open("rb") as fh:
        data = tomllib.load(fh)
    code = region.current().code
    if code not in data:
        raise LookupError(f"No demo establishments for region {code!r} in {DATA_FILE.name}")
    departments = region.current().departments
    return [row for row in data[code] if row["department"] in departments]


def build_establishments(ctx) -> None:
    rows = load_establishments()
    by_finess = {}
    for row in rows:
        establishment, _ = Establishment.objects.update_or_create(
            finess=row["finess"],
            defaults={
                "name": row["name"],
                "kind": row["kind"],
                "department": row["department"],
                "city": row.get("city", ""),
                "email_domains": row.get("domains", ""),
            },
        )
        by_finess[row["finess"]] = establishment
    for row in rows:
        if parent := row.get("parent"):
            Establishment.objects.filter(finess=row["finess"]).update(parent=by_finess[parent])
    ctx.write(f"{len(rows)} establishments")


def _email(first: str, last: str, establishment: Establishment) -> str:
    domain = establishment.domains[0] if establishment.domains else "demo.example"
    local = f"{first}.{last}".lower().replace("è", "e").replace("é", "e").replace(" ", "-")
    return f"{local}@{domain}"


def build_users(ctx) -> None:
    User = get_user_model()
    for role, first, last, kind, groups in PEOPLE:
        establishment = Establishment.objects.filter(kind=kind).order_by("finess").first()
        email = _email(first, last, establishment)
        user, _ = User.objects.update_or_create(
            username=email,
            defaults={
                "email": email,
                "first_name": first,
                "last_name": last,
                "is_staff": bool(groups),
            },
        )
        _demo_login(ctx, user)
        for group in groups:
            user.groups.add(Group.objects.get_or_create(name=group)[0])
        MemberProfile.objects.update_or_create(
            user=user,
            defaults={
                "establishment": establishment,
                "roles": {role},
                "status": MemberStatus.APPROVED,
            },
        )
        ctx.users[role] = user
        note = establishment.name
        if role == Role.RSSI and ctx.demo_mode:
            note += f" — TOTP: {_demo_totp_secret(user)}"
        ctx.logins.append((role.label, email, note))
    _pending_request(ctx)
    ctx.write(f"{len(PEOPLE)} demo users, one per role, and one request awaiting approval")


def _pending_request(ctx) -> None:
    """A sign-up waiting in the regional administrator's queue (left as it is once decided)."""
    User = get_user_model()
    establishment = Establishment.objects.filter(kind="ehpad").order_by("-finess").first()
    user, _ = User.objects.get_or_create(
        username="paul.mercier@demo.example",
        defaults={
            "email": "paul.mercier@demo.example",
            "first_name": "Paul",
            "last_name": "Mercier",
        },
    )
    _demo_login(ctx, user)
    MemberProfile.objects.get_or_create(
        user=user, defaults={"establishment": establishment, "roles": {Role.DIRECTOR}}
    )


def _demo_login(ctx, user) -> None:
    """A verified address, and the common password in demo mode only (none otherwise)."""
    if ctx.demo_mode:
        user.set_password(ctx.password)
    else:
        user.set_unusable_password()
    user.save()
    EmailAddress.objects.update_or_create(
        user=user, email=user.email, defaults={"verified": True, "primary": True}
    )


def _demo_totp_secret(user) -> str:
    """The demo RSSI has TOTP set up (demo mode only): its secret, for an authenticator app."""
    authenticator = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).first()
    if authenticator is None:
        authenticator = TOTP.activate(user, generate_totp_secret()).instance
    return get_adapter().decrypt(authenticator.data["secret"])
