"""The access model's audience narrowed by establishment-type family (e.g. medico-social:
EHPAD and ESMS staff): the same answer from ``can_view``, ``visible_to`` (SQL) and
``page_access_q``'s building block ``access_q``, for every kind of user."""

import pytest
from django.core.exceptions import ValidationError

from forum.models import ForumSpace
from portal.access import (
    AccessLevel,
    EstablishmentFamily,
    Role,
    access_q,
    can_view,
    carries_families,
    membership_of,
    visible_to,
)
from portal.access.membership import audience_key
from portal.accounts.models import EstablishmentType, MemberStatus
from portal.models import StandardPage
from tests.portal.factories import EstablishmentFactory, MemberFactory, UserFactory

pytestmark = pytest.mark.django_db

MEDICO = EstablishmentFamily.MEDICO_SOCIAL
HOSPITAL = EstablishmentFamily.HOSPITAL

# object -> the users who may view it
EXPECTED = {
    "medico_members": {"ehpad_caregiver", "esms_director", "superuser"},
    "medico_directors": {"esms_director", "superuser"},
    "hospital_or_medico": {"ch_caregiver", "ehpad_caregiver", "esms_director", "superuser"},
    "ehpad_establishment": {"ehpad_caregiver", "superuser"},
    "members": {
        "ch_caregiver",
        "ehpad_caregiver",
        "esms_director",
        "ars_referent",
        "no_establishment",
        "superuser",
    },  # fmt: skip
}


@pytest.fixture
def world():
    ch = EstablishmentFactory(finess="380000011", kind=EstablishmentType.CH)
    ehpad = EstablishmentFactory(finess="380000012", kind=EstablishmentType.EHPAD)
    esms = EstablishmentFactory(finess="380000013", kind=EstablishmentType.ESMS)
    ars = EstablishmentFactory(finess="690000014", kind=EstablishmentType.ARS, department="69")

    def member(name, **profile):
        return MemberFactory(
            username=f"{name}@example.org", **{f"profile__{k}": v for k, v in profile.items()}
        )

    users = {
        "anonymous": None,
        "pending_ehpad": member(
            "pending", establishment=ehpad, roles={Role.CAREGIVER}, status=MemberStatus.PENDING
        ),
        "ch_caregiver": member("ch", establishment=ch, roles={Role.CAREGIVER}),
        "ehpad_caregiver": member("ehpad", establishment=ehpad, roles={Role.CAREGIVER}),
        "esms_director": member("esms", establishment=esms, roles={Role.DIRECTOR}),
        "ars_referent": member("ars", establishment=ars, roles={Role.ARS_REFERENT}),
        "no_establishment": member("none", establishment=None, roles={Role.CAREGIVER}),
        "superuser": UserFactory(username="root@example.org", is_superuser=True),
    }

    def space(name, level, families, **fields):
        obj = ForumSpace(name=name, access_level=level, establishment_families=families, **fields)
        obj.save()
        return obj

    objects = {
        "medico_members": space("m", AccessLevel.MEMBERS, {MEDICO}),
        "medico_directors": space("d", AccessLevel.ROLES, {MEDICO}, allowed_roles={Role.DIRECTOR}),
        "hospital_or_medico": space("h", AccessLevel.MEMBERS, {MEDICO, HOSPITAL}),
        "ehpad_establishment": space("e", AccessLevel.ESTABLISHMENT, {MEDICO}, establishment=ehpad),
        "members": space("a", AccessLevel.MEMBERS, set()),
    }
    return users, objects


USERS = ["anonymous", "pending_ehpad", "ch_caregiver", "ehpad_caregiver", "esms_director",
         "ars_referent", "no_establishment", "superuser"]  # fmt: skip


@pytest.mark.parametrize("user_name", USERS)
def test_can_view_and_sql_agree_on_families(world, user_name):
    users, objects = world
    user = users[user_name]
    expected = {name for name, who in EXPECTED.items() if user_name in who}
    assert {name for name, obj in objects.items() if can_view(user, obj)} == expected
    in_sql = set(visible_to(user, ForumSpace.objects.all()).values_list("pk", flat=True))
    assert in_sql == {objects[name].pk for name in expected}


def test_a_family_is_derived_from_the_establishment_type_never_declared(world):
    users, _objects = world
    assert membership_of(users["ehpad_caregiver"]).establishment_family == MEDICO
    assert membership_of(users["esms_director"]).establishment_family == MEDICO
    assert membership_of(users["ch_caregiver"]).establishment_family == HOSPITAL
    assert membership_of(users["pending_ehpad"]).establishment_family is None
    # Same roles and approval, other family: another audience for cached pages.
    assert audience_key(users["ch_caregiver"]) != audience_key(users["ehpad_caregiver"])


def test_only_models_carrying_the_field_filter_on_it(world):
    users, _objects = world
    assert carries_families(ForumSpace)
    assert not carries_families(StandardPage)
    # Rows without the column: the rule does not name it (the query would fail otherwise).
    assert "establishment_families" not in str(access_q(users["ehpad_caregiver"]))
    assert "establishment_families" in str(access_q(users["ehpad_caregiver"], families=True))


def test_public_content_cannot_be_narrowed_to_families():
    space = ForumSpace(name="x", access_level=AccessLevel.PUBLIC, establishment_families={MEDICO})
    with pytest.raises(ValidationError) as error:
        space.clean()
    assert "establishment_families" in error.value.message_dict


def test_unknown_family_is_refused():
    field = ForumSpace._meta.get_field("establishment_families")
    with pytest.raises(ValidationError):
        field.validate(frozenset({"hospitals_everywhere"}), None)
