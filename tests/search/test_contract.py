"""The contract every search backend passes (database here; Elasticsearch where configured)."""

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from portal.access import AccessLevel, Role
from search import services
from search.documents import SearchDocument
from tests.portal.factories import EstablishmentFactory, MemberFactory, UserFactory
from tests.search.conftest import ask, index_corpus, params

CANARY = "zorglubium"  # only RSSIs may see it
CANARY_HOSPITAL = "xylophagus"  # only the hospital's members may see it
NOW = timezone.now()


def doc(key, title, body="", kind="documents", days=10, **fields):
    return SearchDocument(
        key=key,
        kind=kind,
        title=title,
        url=f"/{key}/",
        body=body,
        date=NOW - datetime.timedelta(days=days),
        **fields,
    )


@pytest.fixture
def people(db):
    hospital, other = EstablishmentFactory(), EstablishmentFactory()
    return {
        "anonymous": AnonymousUser(),
        "pending": MemberFactory(profile__status="pending", profile__establishment=hospital),
        "caregiver": MemberFactory(
            profile__roles={Role.CAREGIVER}, profile__establishment=hospital
        ),
        "rssi": MemberFactory(profile__roles={Role.RSSI}, profile__establishment=hospital),
        "other_rssi": MemberFactory(profile__roles={Role.RSSI}, profile__establishment=other),
        "superuser": UserFactory(is_superuser=True),
        "hospital": hospital,
    }


@pytest.fixture
def corpus(backend, people):
    hospital = people["hospital"].pk
    documents = [
        doc(
            "ransom",
            "Fiche réflexe : attaque par rançongiciel",
            "Isoler les postes touchés du réseau sans les éteindre, prévenir le CERT Santé.",
            facets={"theme": ("incident_response",)},
        ),
        doc(
            "backup",
            "Sauvegardes hors ligne : la règle 3-2-1",
            "Trois copies, deux supports, une copie hors ligne. Tester la restauration.",
            facets={"theme": ("backups",)},
            days=400,
        ),
        doc(
            "pca",
            "Modèle de plan de continuité d'activité",
            "Le plan décrit le fonctionnement en mode dégradé des services de soins.",
            facets={"theme": ("backups", "governance")},
        ),
        doc(
            "phishing",
            "Reconnaître un courriel frauduleux",
            "L'hameçonnage imite un expéditeur connu. Vérifier l'adresse avant de cliquer.",
            facets={"theme": ("email",)},
            days=3,
        ),
        doc(
            "mfa",
            "Activer la double authentification sur la messagerie",
            "Un second facteur protège les comptes même quand le mot de passe a fuité.",
            facets={"theme": ("identity",)},
        ),
        doc(
            "fovi",
            "Fraude au président : vérifier chaque demande de virement",
            "Un appel du directeur demandant un virement urgent doit être contre-vérifié.",
            facets={"theme": ("governance",)},
        ),
        doc(
            "rex-ransom",
            "Retour d'expérience : trois semaines sans informatique",
            "Un rançongiciel a chiffré les serveurs ; la paie a été faite à la main.",
            kind="rex",
            access_level=AccessLevel.MEMBERS,
            facets={"theme": ("incident_response",)},
        ),
        doc(
            "escape",
            "Escape game <Sant'Escape> & sensibilisation",
            "Un jeu de 45 minutes pour sensibiliser les soignants au rançongiciel.",
            facets={"theme": ("awareness",)},
        ),
        doc(
            "secret-roles",
            f"Indicateurs de compromission {CANARY}",
            f"Liste {CANARY} réservée aux RSSI : rançongiciel, adresses IP, empreintes.",
            access_level=AccessLevel.ROLES,
            allowed_roles={Role.RSSI},
            facets={"theme": ("secret_theme",)},
        ),
        doc(
            "secret-establishment",
            f"Plan interne {CANARY_HOSPITAL} de l'hôpital",
            f"Rançongiciel : numéros d'astreinte {CANARY_HOSPITAL} de l'établissement.",
            kind="secret_kind",
            access_level=AccessLevel.ESTABLISHMENT,
            establishment_id=hospital,
        ),
    ]
    index_corpus(backend, documents)
    return documents


def keys(results):
    return [hit.key for hit in results.hits]


def visible_keys(backend, user, text, **options):
    return set(keys(ask(backend, user, text, limit=50, **options)))


# --- indexing -----------------------------------------------------------------------------


def test_indexing_updating_and_deleting(backend, corpus, people):
    user = people["anonymous"]
    assert "backup" in visible_keys(backend, user, "sauvegardes")
    backend.index([doc("backup", "Archivage des journaux", "Conserver les traces un an.")])
    assert "backup" not in visible_keys(backend, user, "sauvegardes")
    assert "backup" in visible_keys(backend, user, "journaux")
    backend.delete(["backup"])
    assert "backup" not in visible_keys(backend, user, "journaux")
    assert "backup" not in backend.fingerprints()


def test_rebuild_replaces_everything(backend, corpus, people):
    backend.rebuild([doc("only", "Seul document restant")])
    assert set(backend.fingerprints()) == {"only"}
    assert visible_keys(backend, people["anonymous"], "rançongiciel") == set()


# --- ranking, phrases, sorting, pagination ------------------------------------------------


def test_title_matches_rank_above_body_matches(backend, corpus, people):
    found = keys(ask(backend, people["rssi"], "rançongiciel", limit=10))
    assert found[0] == "ransom"
    assert set(found) >= {"ransom", "rex-ransom", "escape"}


def test_every_word_must_match(backend, corpus, people):
    assert visible_keys(backend, people["anonymous"], "sauvegardes restauration") == {"backup"}


def test_exact_phrase_in_quotes(backend, corpus, people):
    anonymous = people["anonymous"]
    assert visible_keys(backend, anonymous, '"continuité d\'activité"') == {"pca"}
    assert visible_keys(backend, anonymous, '"activité continuité"') == set()


def test_sort_by_date_and_pagination(backend, corpus, people):
    found = keys(ask(backend, people["rssi"], "rançongiciel", sort="date", limit=10))
    dates = {d.key: d.date for d in corpus}
    assert found == sorted(found, key=lambda key: dates[key], reverse=True)
    first = keys(ask(backend, people["rssi"], "rançongiciel", limit=2))
    second = keys(ask(backend, people["rssi"], "rançongiciel", limit=2, offset=2))
    assert len(first) == 2 and not set(first) & set(second)


# --- facets -------------------------------------------------------------------------------


def test_facet_counts_and_combined_filters(backend, corpus, people):
    rssi = people["rssi"]
    results = ask(backend, rssi, "rançongiciel")
    assert results.module_counts == {"documents": 3, "rex": 1, "secret_kind": 1}
    assert results.facet_counts["theme"]["incident_response"] == 2
    assert results.period_counts["month"] == results.total == 5
    narrowed = ask(
        backend,
        rssi,
        "rançongiciel",
        modules=frozenset({"documents"}),
        facet_filters={"theme": frozenset({"incident_response", "awareness"})},
    )
    assert set(keys(narrowed)) == {"ransom", "escape"}
    assert narrowed.total == 2
    assert set(keys(ask(backend, rssi, "sauvegardes", period="older"))) == {"backup"}
    assert keys(ask(backend, rssi, "sauvegardes", period="month")) == []


# --- highlighting (through the service the page uses) -------------------------------------


def test_snippets_are_highlighted_and_escaped(backend, corpus, people):
    found = services.search(people["anonymous"], params("sensibilisation"), record=False)
    (hit,) = found.hits
    assert "<mark>sensibilisation</mark>" in hit.title
    assert "&lt;Sant&#x27;Escape&gt; &amp;" in hit.title
    assert "<mark>sensibiliser</mark>" in hit.snippet


# --- permissions --------------------------------------------------------------------------


HIDDEN = {
    "anonymous": (CANARY, CANARY_HOSPITAL, "secret_theme", "secret_kind"),
    "pending": (CANARY, CANARY_HOSPITAL, "secret_theme", "secret_kind"),
    "caregiver": (CANARY, "secret_theme"),
    "other_rssi": (CANARY_HOSPITAL, "secret_kind"),
}


@pytest.mark.parametrize("who", sorted(HIDDEN))
def test_canaries_never_reach_those_without_access(backend, corpus, people, who):
    user, hidden = people[who], HIDDEN[who]
    for text in (CANARY, CANARY_HOSPITAL, "rançongiciel", "rançongiciel astreinte", "liste"):
        results = ask(backend, user, text, limit=50)
        shown = repr(results.hits) + repr(results.facet_counts) + repr(results.module_counts)
        assert not [word for word in hidden if word in shown], text
        assert results.total == len(results.hits)
        page = services.search(user, params(text), record=False)
        answer = repr([page.hits, page.facets, page.suggestion, page.total])
        assert not [word for word in hidden if word in answer], text
    for typo in (CANARY[:-1] + "n", CANARY_HOSPITAL[:-1] + "z"):
        for literal in (False, True):
            page = services.search(user, params(typo, literal=literal), record=False)
            answer = repr([page.suggestion, page.corrected, page.hits, page.facets, page.total])
            assert not [word for word in hidden if word in answer], typo
    for prefix in ("indicateurs comp", "plan inter"):
        titles = " ".join(s.title for s in services.autocomplete(user, prefix))
        assert not [word for word in hidden if word in titles]


def test_spelling_never_offers_a_word_of_restricted_content(backend, corpus, people):
    """A word only another establishment's restricted title holds ("zorglubisation") shares its
    stem with a visible page's word: correcting a typo of it against every title offered it."""
    restricted = doc(
        "secret-other",
        "Procédure de zorglubisation des postes",
        "La zorglubisation des postes de l'établissement.",
        access_level=AccessLevel.ESTABLISHMENT,
        establishment_id=people["other_rssi"].member_profile.establishment_id,
    )
    visible = doc("public-form", "Zorglubiser un poste", "Comment zorglubiser un poste.")
    index_corpus(backend, [*corpus, restricted, visible])
    typo = "zorglubisatoin"
    for who in ("anonymous", "caregiver", "rssi"):
        for literal in (False, True):  # corrected at once, or "did you mean"
            page = services.search(people[who], params(typo, literal=literal), record=False)
            assert "zorglubisation" not in repr([page.suggestion, page.corrected, page.hits]), who
    other = people["other_rssi"]  # the control: those who may view it find it
    found = services.search(other, params(typo), record=False)
    assert "/secret-other/" in [hit.url for hit in found.hits]
    if backend.name == "database":  # corrected (Elasticsearch: fuzzy, nothing to correct)
        assert found.corrected == "zorglubisation"
        literal = services.search(other, params(typo, literal=True), record=False)
        assert literal.suggestion == "zorglubisation"


def test_spelling_suggestion_and_autocomplete_serve_those_with_access(backend, corpus, people):
    rssi, typo = people["rssi"], CANARY[:-1] + "n"
    found = services.search(rssi, params(typo), record=False)
    assert [hit.url for hit in found.hits] == ["/secret-roles/"]
    if backend.name == "database":  # corrected (Elasticsearch: fuzzy, nothing to correct)
        assert found.corrected == CANARY
        literal = services.search(rssi, params(typo, literal=True), record=False)
        assert literal.suggestion == CANARY
    titles = [s.title for s in services.autocomplete(rssi, "indicateurs comp")]
    assert titles == [f"Indicateurs de compromission {CANARY}"]


def test_each_audience_sees_exactly_its_documents(backend, corpus, people):
    expected = {
        "anonymous": {"ransom", "escape"},
        "pending": {"ransom", "escape"},
        "caregiver": {"ransom", "escape", "rex-ransom", "secret-establishment"},
        "rssi": {"ransom", "escape", "rex-ransom", "secret-roles", "secret-establishment"},
        "other_rssi": {"ransom", "escape", "rex-ransom", "secret-roles"},
        "superuser": {"ransom", "escape", "rex-ransom", "secret-roles", "secret-establishment"},
    }
    for who, visible in expected.items():
        results = ask(backend, people[who], "rançongiciel", limit=50)
        assert set(keys(results)) == visible, who
        assert results.total == len(visible), who
        assert sum(results.module_counts.values()) == len(visible), who


# --- French analysis ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "query, expected",
    [
        ("rançongiciels", "ransom"),  # plural
        ("sauvegarde", "backup"),  # singular for "Sauvegardes"
        ("courriels frauduleux", "phishing"),  # plural for the singular title
        ("rancongiciel", "ransom"),  # no cedilla
        ("continuite activite", "pca"),  # no accents
        ("l'hameçonnage", "phishing"),  # elision
        ("hameconnage", "phishing"),
        ("ransomware", "ransom"),  # synonym, English
        ("phishing", "phishing"),
        ("FOVI", "fovi"),  # acronym for a phrase
        ("faux ordre de virement", "fovi"),
        ("PCA", "pca"),
        ("MFA", "mfa"),
        ("authentification forte", "mfa"),
        ("backup", "backup"),
    ],
)
def test_french_analysis(backend, corpus, people, query, expected):
    assert expected in keys(ask(backend, people["anonymous"], query, limit=3))


@pytest.mark.parametrize(
    "query, expected",
    [
        ("ransomwre", "ransom"),  # an omitted letter
        ("rancongicel", "ransom"),
        ("phising", "phishing"),
        ("hamecconage", "phishing"),  # the doubled consonant misplaced
        ("sauvgardes restauration", "backup"),
        ("sauvegrades", "backup"),  # swapped letters
        ("two factor authentication", "mfa"),  # English
        ("2FA", "mfa"),
        ("que faire en cas de fraude au président", "fovi"),  # a question
        ("comment reconnaître un courriel frauduleux", "phishing"),
    ],
)
def test_search_forgives(backend, corpus, people, query, expected):
    """Through the service: typos (corrected by the database backend, fuzzy on Elasticsearch),
    English terms and questions find the page first."""
    found = services.search(people["anonymous"], params(query), record=False)
    assert found.hits and found.hits[0].url == f"/{expected}/"


def test_content_narrowed_to_some_establishment_types(backend, corpus, people):
    """Content for medico-social staff only (``establishment_families``): an EHPAD's member
    finds it, with its words offered by spelling; a hospital's member, whatever the role, and
    anyone not approved find nothing of it, not even a count or a correction."""
    from portal.accounts.models import EstablishmentType

    ehpad = EstablishmentFactory(kind=EstablishmentType.EHPAD)
    ehpad_caregiver = MemberFactory(profile__roles={Role.CAREGIVER}, profile__establishment=ehpad)
    medico = doc(
        "medico",
        "Glockenspielisation des tablettes en EHPAD",
        "La glockenspielisation des tablettes de soins.",
        access_level=AccessLevel.MEMBERS,
        establishment_families={"medico_social"},
    )
    index_corpus(backend, [*corpus, medico])
    word, typo = "glockenspielisation", "glockenspielisatoin"
    for who in ("anonymous", "pending", "caregiver", "rssi", "other_rssi"):
        for text in (word, typo):
            page = services.search(people[who], params(text), record=False)
            answer = repr([page.hits, page.facets, page.suggestion, page.corrected, page.total])
            assert "glockenspiel" not in answer.lower(), (who, text)
            assert page.total == 0, (who, text)
    for user in (ehpad_caregiver, people["superuser"]):
        found = services.search(user, params(word), record=False)
        assert [hit.url for hit in found.hits] == ["/medico/"]
    if backend.name == "database":  # corrected (Elasticsearch: fuzzy, nothing to correct)
        assert services.search(ehpad_caregiver, params(typo), record=False).corrected == word
