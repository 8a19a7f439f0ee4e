"""Permission matrix of the benchmarks for the 9 kinds of users (pages, comparison, exports,
search), search documents and facets, and the canary: a members-only solution and its reviews
never leak to someone who may not see them, in any channel."""

import pytest
from django.contrib.auth.models import Group
from django.test import Client

from benchmarks.search_documents import review_document, solution_document
from portal.access import AccessLevel, Role
from portal.accounts.models import MemberStatus
from search.indexing import reindex
from tests.benchmarks import factories as f
from tests.portal.factories import EstablishmentFactory, MemberFactory, with_mfa

pytestmark = pytest.mark.django_db

CANARY = "zorglubbench"
REVIEW_CANARY = "zorglubavis"
USERS = [
    "anonymous",
    "pending",
    "caregiver",
    "admin_agent",
    "director",
    "rssi",
    "dpo",
    "editor",
    "superuser",
]
APPROVED = {"caregiver", "admin_agent", "director", "rssi", "dpo", "editor", "superuser"}


def build_users():
    establishment = EstablishmentFactory(finess="380000777", name="CH Matrice")

    def member(name, role, **profile):
        return MemberFactory(
            username=f"{name}@bench.example",
            profile__roles={role},
            profile__establishment=establishment,
            **{f"profile__{k}": v for k, v in profile.items()},
        )

    users = {
        "anonymous": None,
        "pending": member("pending", Role.DIRECTOR, status=MemberStatus.PENDING),
        "caregiver": member("caregiver", Role.CAREGIVER),
        "admin_agent": member("agent", Role.ADMIN_AGENT),
        "director": member("director", Role.DIRECTOR),
        "rssi": member("rssi", Role.RSSI),
        "dpo": member("dpo", Role.DPO),
        "editor": member("editor", Role.EDITOR),
        "superuser": with_mfa(MemberFactory(username="root@bench.example", is_superuser=True)),
    }
    users["editor"].is_staff = True
    users["editor"].save()
    users["editor"].groups.add(Group.objects.get(name="Editors"))
    return users


@pytest.fixture
def content():
    edr = f.category("EDR", criteria=2)
    public = f.solution(edr, "Vigie EDR", scores=[4, 2], channels=["ugap"], care_eligible=True)
    other = f.solution(edr, "Bravo EDR", scores=[3, 3])
    secret = f.solution(
        edr,
        f"Sentinelle {CANARY}",
        scores=[5, 5],
        summary=f"Détection {CANARY}",
        access_level=AccessLevel.MEMBERS,
        hds_hosting=True,
    )
    rssi_only = f.solution(
        edr,
        "Solution RSSI",
        scores=[1, 1],
        access_level=AccessLevel.ROLES,
        allowed_roles={Role.RSSI},
    )
    members_category = f.category("SOC managé", access_level=AccessLevel.MEMBERS)
    for _ in range(3):
        f.review(public, pros=f"Très bien {REVIEW_CANARY}")
        f.review(secret, pros=f"Secret {REVIEW_CANARY}")
    index = f.benchmark_index()
    compare = f"{index.url}comparer/{edr.slug}/?s={public.pk}&s={other.pk}"
    compare_secret = f"{index.url}comparer/{edr.slug}/?s={public.pk}&s={secret.pk}"
    return {
        "edr": edr,
        "public": public,
        "secret": secret,
        "rssi_only": rssi_only,
        "members_category": members_category,
        "index": index,
        "compare": compare,
        "compare_secret": compare_secret,
    }


def client_for(user):
    client = Client(raise_request_exception=False)
    if user is not None:
        client.force_login(user)
    return client


def test_permission_matrix(content):
    users = build_users()
    index, edr = content["index"], content["edr"]
    csv_public = content["compare"].replace("/?", "/csv/?")
    pdf_public = content["compare"].replace("/?", "/pdf/?")
    csv_secret = content["compare_secret"].replace("/?", "/csv/?")
    expected = {
        # url -> users who get 200 (everyone else: 404)
        index.url: set(USERS),
        edr.url: set(USERS),
        content["public"].url: set(USERS),
        content["compare"]: set(USERS),
        csv_public: set(USERS),
        pdf_public: set(USERS),
        content["secret"].url: APPROVED,
        content["members_category"].url: APPROVED,
        csv_secret: APPROVED,
        content["rssi_only"].url: {"rssi", "superuser"},
    }
    failures = []
    for who in USERS:
        client = client_for(users[who])
        for url, allowed in expected.items():
            status = client.get(url).status_code
            if status != (200 if who in allowed else 404):
                failures.append(f"{url} as {who}: {status}")
        # Review texts and aggregates: approved members only.
        page = client.get(content["public"].url).content.decode()
        if (REVIEW_CANARY in page) != (who in APPROVED):
            failures.append(f"review text on the solution page as {who}")
        compare = client.get(content["compare"]).content.decode()
        if ("Avis publiés" in compare) != (who in APPROVED):
            failures.append(f"member rows in the comparison as {who}")
        # Search: the members-only solution and every review text.
        found = client.get("/recherche/", {"q": CANARY}).content.decode()
        if (content["secret"].url in found) != (who in APPROVED):
            failures.append(f"search for the members-only solution as {who}")
        found = client.get("/recherche/", {"q": REVIEW_CANARY}).content.decode()
        if ("Très bien" in found) != (who in APPROVED):
            failures.append(f"search for review texts as {who}")
        # Review form: director, RSSI (and DSI) of the establishment only.
        status = client.get(f"{index.url}avis/{content['public'].pk}/").status_code
        allowed_form = {"director": 200, "rssi": 200, "anonymous": 302}.get(who, 404)
        if status != allowed_form:
            failures.append(f"review form as {who}: {status}")
    assert not failures, "\n".join(failures)


def test_canary_never_leaks_to_anonymous_or_pending(content):
    users = build_users()
    index, edr = content["index"], content["edr"]
    for who in ("anonymous", "pending"):
        client = client_for(users[who])
        seen = [
            client.get(url).content.decode()
            for url in (
                "/",
                index.url,
                edr.url,
                edr.url + "?hds=1",
                content["public"].url,
                content["compare"],
                content["compare_secret"],
                content["compare"].replace("/?", "/csv/?"),
            )
        ]
        seen.append(client.get("/recherche/", {"q": "sentinelle"}).content.decode())
        seen.append(client.get("/recherche/", {"q": "detection"}).content.decode())
        seen.append(client.get("/recherche/suggestions/", {"q": "senti"}).content.decode())
        text = "\n".join(seen)
        assert CANARY not in text and REVIEW_CANARY not in text, who
        assert "Sentinelle" not in text, who
        # Counts: the members-only solution is not counted in the category card.
        assert "2 solutions" in seen[1] and "3 solutions" not in seen[1]
    control = "\n".join(
        client_for(users["caregiver"]).get(url).content.decode()
        for url in (edr.url, content["compare_secret"])
    )
    assert CANARY in control


def test_search_documents_and_facets(content):
    document = solution_document(content["public"])
    assert document.kind == "benchmarks"
    assert document.facets["purchasing_channel"] == ("ugap",)
    assert document.facets["care_eligible"] == ("yes",)
    assert document.facets["benchmark_hosting"] == ("other",)
    assert document.facets["benchmark_category"] == (str(content["edr"].pk),)
    assert document.access_level == "public"
    secret = solution_document(content["secret"])
    assert secret.access_level == "members"
    assert secret.facets["benchmark_hosting"] == ("hds",)


def test_review_documents_carry_the_members_level_and_no_name(content):
    review = content["public"].reviews.first()
    review.establishment.name = "Hôpital Nommé"
    document = review_document(review)
    assert document.access_level == "members"
    assert "Hôpital Nommé" not in document.title + document.body
    rssi_review = f.review(content["rssi_only"])
    assert review_document(rssi_review).access_level == "roles"
    assert review_document(rssi_review).allowed_roles == frozenset({"rssi"})
    pending = f.review(content["public"], status="pending")
    assert review_document(pending) is None


def test_facet_counts_only_count_what_the_reader_may_see(content):
    reindex([content["secret"]])
    anonymous = client_for(None).get("/recherche/", {"q": "EDR"}).content.decode()
    member = client_for(build_users()["caregiver"]).get("/recherche/", {"q": "EDR"})
    assert "Hébergement HDS" not in anonymous  # only the members-only solution is HDS
    assert "Hébergement HDS" in member.content.decode()


def test_a_restricted_category_restricts_its_public_solutions(client):
    hidden = f.category("SOC managé", access_level=AccessLevel.MEMBERS)
    solution = f.solution(hidden, f"Guet {CANARY}", scores=[])
    f.review(solution, pros=f"Avis {REVIEW_CANARY}")
    index = f.benchmark_index()
    assert client.get(solution.url).status_code == 404
    assert client.get(f"{index.url}avis/{solution.pk}/").status_code == 302
    assert solution_document(solution).access_level == "members"
    assert review_document(solution.reviews.get()).access_level == "members"
    assert CANARY not in client.get("/recherche/", {"q": "guet"}).content.decode()
    from benchmarks import services

    assert services.latest(None) == []
    caregiver = build_users()["caregiver"]
    client.force_login(caregiver)
    assert client.get(solution.url).status_code == 200
    assert [item.title for item in services.latest(caregiver)] == [f"Guet {CANARY}"]


def test_publishing_a_category_reindexes_its_solutions(content):
    from search import backends

    edr = content["edr"]
    edr.access_level = AccessLevel.MEMBERS
    edr.save_revision().publish()
    found = client_for(None).get("/recherche/", {"q": "vigie"}).content.decode()
    assert content["public"].url not in found
    assert backends.get_database() is not None


def test_rebuild_indexes_categories_solutions_and_reviews(content):
    from django.core.management import call_command

    from search.models import SearchEntry

    SearchEntry.objects.all().delete()
    call_command("search_index", "rebuild")
    keys = set(SearchEntry.objects.values_list("key", flat=True))
    assert f"benchmarks.solutionpage:{content['public'].pk}" in keys
    assert f"benchmarks.benchmarkcategorypage:{content['edr'].pk}" in keys
    assert any(key.startswith("benchmarks.review:") for key in keys)
    call_command("search_index", "check")
