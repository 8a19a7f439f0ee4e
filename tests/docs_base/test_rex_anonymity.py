"""An anonymous REX never shows a context that fewer than k establishments of the region share:
on its page, in the list and its filter, in search, in the statistics; the author and the
moderators see exactly what readers will see, with a warning when it still identifies."""

import itertools
from types import SimpleNamespace

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from docs_base.models import RexSubmission, SizeBand
from docs_base.rex import anonymity, statistics
from docs_base.search_documents_rex import rex_document
from portal import region
from portal.access import Role, Tlp
from portal.accounts.models import EstablishmentType
from portal.demo import accounts as demo_accounts
from tests.docs_base.factories import rex_index, rex_page, rex_submission
from tests.portal.factories import EstablishmentFactory, MemberFactory

pytestmark = pytest.mark.django_db

FAMILY_LABELS = {
    "health": "Établissement de santé",
    "medico_social": "Établissement médico-social",
    "regional_body": "Organisme régional",
}


def fr(text) -> str:
    with translation.override("fr"):
        return str(translation.gettext(str(text)))


@pytest.fixture
def demo_establishments():
    demo_accounts.build_establishments(SimpleNamespace(write=lambda *args: None))
    return demo_accounts.load_establishments()


def establishments(kind, department, number, start=0):
    code = EstablishmentType.values.index(kind)
    for n in range(start, start + number):
        EstablishmentFactory(
            finess=f"{department}{code:02d}{n:05d}", kind=kind, department=department
        )


def context_of(**fields):
    fields.setdefault("size_band", "")
    fields.setdefault("department", "")
    fields.setdefault("show_establishment_name", False)
    return anonymity.shown_context(RexSubmission(**fields))


def test_reproduction_chu_in_rhone_is_widened_with_the_demo_establishments(demo_establishments):
    """The review's case: "CHU · 5 000 professionnels ou plus · 69 Rhône" named its author."""
    with translation.override("fr"):
        shown = context_of(establishment_type="chu", size_band="5000_plus", department="69")
        text = str(shown)
    assert "CHU" not in text and "69 Rhône" not in text and "5 000" not in text
    assert shown.type_label == FAMILY_LABELS["health"]
    assert shown.place_label == region.current().name
    assert not shown.identifying and shown.coarsened


@pytest.mark.parametrize("k", [2, 5, 8])
def test_every_demo_combination_is_shared_by_k_establishments_or_flagged(
    demo_establishments, settings, k
):
    """Every (type, size, department) a demo establishment could report: the context shown is
    shared by at least k demo establishments (counted here from the TOML, independently of the
    code under test, a size band assumed to split its group evenly), or carries the warning."""
    settings.REX_ANONYMITY_K = k
    rows = demo_establishments
    region_name = region.current().name
    type_labels = {str(label): {value} for value, label in EstablishmentType.choices}
    family_labels = {
        str(label): anonymity.types_of(value) for value, label in anonymity.TypeFamily.choices
    }
    department_labels = {
        region.current().department_label(code): code for code in region.current().departments
    }
    fine = {str(label) for _value, label in SizeBand.choices}
    wide = {str(label) for _value, label in anonymity.WideSize.choices}
    population = anonymity.Population.load()
    kinds_and_departments = {(row["kind"], row["department"]) for row in rows}
    for (kind, department), size in itertools.product(
        kinds_and_departments, ["", *SizeBand.values]
    ):
        shown = context_of(establishment_type=kind, size_band=size, department=department)
        kinds = type_labels.get(shown.type_label) or family_labels[shown.type_label]
        assert kind in kinds
        if shown.place_label == region_name:
            sharing = [row for row in rows if row["kind"] in kinds]
        else:
            assert department_labels[shown.place_label] == department
            sharing = [
                row for row in rows if row["kind"] in kinds and row["department"] == department
            ]
        split = len(fine) if shown.size_label in fine else len(wide) if shown.size_label else 1
        assert shown.identifying == (len(sharing) < k * split), (kind, department, size, shown)
        if shown.identifying:  # only when even the coarsest level is too small
            assert shown.type_label in family_labels and not shown.size_label
            assert population.count(kinds) < k


def test_focused_ladder(settings):
    settings.REX_ANONYMITY_K = 5
    establishments("ch", "38", 5)
    with translation.override("fr"):
        # 5 CH in Isère: enough for "CH · Isère", not for a size band in Isère (5 x 2 needed).
        shown = context_of(establishment_type="ch", size_band="250_999", department="38")
        assert (shown.type_label, shown.size_label) == ("Centre hospitalier (CH)", "")
        assert shown.place_label == "38 Isère" and shown.coarsened and not shown.identifying
        establishments("ch", "38", 5, start=5)  # 10 CH: the wide band is shown
        shown = context_of(establishment_type="ch", size_band="250_999", department="38")
        assert shown.size_label == "250 professionnels ou plus"
        establishments("ch", "38", 15, start=10)  # 25 CH: the exact band
        shown = context_of(establishment_type="ch", size_band="250_999", department="38")
        assert shown.size_label == "De 250 à 999 professionnels" and not shown.coarsened
        # One EHPAD and one ESMS in the whole region: even the family identifies.
        EstablishmentFactory(finess="690000901", kind="ehpad", department="69")
        EstablishmentFactory(finess="690000902", kind="esms", department="69")
        shown = context_of(establishment_type="ehpad", size_band="under_50", department="69")
        assert str(shown) == f"Établissement médico-social · {region.current().name}"
        assert shown.identifying


def test_not_validated_and_other_regions_establishments_do_not_count(settings):
    settings.REX_ANONYMITY_K = 2
    EstablishmentFactory(finess="380000911", kind="chu", department="38")
    EstablishmentFactory(finess="380000912", kind="chu", department="38", validated=False)
    EstablishmentFactory(finess="440000913", kind="chu", department="44")  # Pays de la Loire
    assert context_of(establishment_type="chu", department="38").type_label != str(
        EstablishmentType.CHU.label
    )


def test_named_establishment_is_shown_as_given():
    shown = context_of(
        establishment_type="chu",
        size_band="5000_plus",
        department="69",
        show_establishment_name=True,
    )
    assert shown.named and not shown.coarsened and not shown.identifying
    assert shown.type_label == str(EstablishmentType.CHU.label)


# --- Every place the context is displayed -------------------------------------------------


@pytest.fixture
def chu_rex(demo_establishments):
    return rex_page(
        title="Rançongiciel au bloc",
        slug="rancongiciel-au-bloc",
        establishment_type="chu",
        size_band="5000_plus",
        department="69",
        tlp=Tlp.CLEAR,
    )


IDENTIFYING = ("CHU", "Centre hospitalier universitaire", "5 000 professionnels", "69 Rhône")


def test_rex_page_and_list_show_the_widened_context(chu_rex):
    client = Client()
    page = client.get(chu_rex.url).content.decode()
    listing = client.get(rex_index().url).content.decode()
    for html in (page, listing):
        assert FAMILY_LABELS["health"] in html
        assert "250 professionnels ou plus" in html
        assert not [word for word in IDENTIFYING if word in html]


def test_list_filter_offers_only_shared_types_and_families(chu_rex, demo_establishments):
    index = rex_index()
    client = Client()
    refused = client.get(index.url, {"establishment_type": "chu"})  # 4 CHU < 5
    assert refused.context["listing"].form.errors
    assert "rancongiciel-au-bloc" in refused.content.decode()  # nothing filtered
    family = client.get(index.url, {"establishment_type": "health"})
    assert [rex.title for rex in family.context["listing"].page.object_list] == [chu_rex.title]
    ch = client.get(index.url, {"establishment_type": "ch"})  # 8 CH: a type of its own
    assert not ch.context["listing"].form.errors
    assert list(ch.context["listing"].page.object_list) == []


def test_search_document_carries_the_family_only(chu_rex):
    document = rex_document(chu_rex)
    assert "establishment_type" not in document.facets
    assert str(EstablishmentType.CHU.label) not in document.body
    assert str(anonymity.TypeFamily.HEALTH.label) in document.body


def test_search_for_the_type_does_not_pick_out_the_rex(chu_rex):
    response = Client().get("/recherche/", {"q": "CHU", "module": "rex"})
    assert chu_rex.title not in response.content.decode()


# --- The author and the moderators see what readers will see ------------------------------


@pytest.fixture
def ars_author():
    ars = EstablishmentFactory(finess="690000931", name="ARS", kind="ars", department="69")
    return MemberFactory(profile__establishment=ars, profile__roles={Role.ARS_REFERENT})


def test_author_sees_the_shown_context_and_the_warning(ars_author):
    rex_index()
    submission = rex_submission(
        ars_author, establishment_type="ars", department="69", size_band="250_999"
    )
    client = Client()
    client.force_login(ars_author)
    expected = f"{FAMILY_LABELS['regional_body']} · {region.current().name}"
    review = client.get(
        reverse("docs_base:rex_submission_step", args=[submission.pk, "review"])
    ).content.decode()
    mine = client.get(reverse("docs_base:rex_mine")).content.decode()
    for html in (review, mine):
        assert expected in html
        assert "rex-identifying" in html
        assert "moins de 5 établissements de la région" in html


def test_author_sees_no_warning_when_the_context_is_shared(demo_establishments):
    author = MemberFactory(
        profile__establishment=EstablishmentFactory(finess="380000941", kind="ch"),
        profile__roles={Role.DIRECTOR},
    )
    submission = rex_submission(author, establishment_type="ch", department="")
    client = Client()
    client.force_login(author)
    review = client.get(reverse("docs_base:rex_submission_step", args=[submission.pk, "review"]))
    html = review.content.decode()
    assert f"Centre hospitalier (CH) · {region.current().name}" in html
    assert "rex-identifying" not in html


def test_moderator_sees_the_shown_context_in_the_admin(chu_rex):
    from tests.docs_base.test_rex_moderation import demo_like_moderator

    _moderator, client = demo_like_moderator()
    edit = client.get(reverse("wagtailadmin_pages:edit", args=[chu_rex.pk]))
    html = edit.content.decode()
    assert edit.status_code == 200
    assert f"{FAMILY_LABELS['health']} · 250 professionnels ou plus · " in html
    assert "rex-identifying" not in html
    ars = rex_page(
        title="Hameçonnage à l'agence", slug="hameconnage-agence", establishment_type="ars"
    )
    html = client.get(reverse("wagtailadmin_pages:edit", args=[ars.pk])).content.decode()
    assert "rex-identifying" in html


# --- Statistics -----------------------------------------------------------------------------


def _rows(figures, key):
    return {label: count for label, count in next(c for c in figures.charts if c.key == key).rows}


def test_statistics_count_each_rex_as_its_page_shows_it(demo_establishments, settings):
    settings.REX_ANONYMITY_K = 5
    for number, (kind, department) in enumerate(
        [("ch", "38"), ("ch", "69"), ("chu", "69"), ("ehpad", "15"), ("ars", "69"), ("clinic", "")]
    ):
        rex_page(
            title=f"REX {number}",
            slug=f"rex-{number}",
            establishment_type=kind,
            department=department,
            tlp=Tlp.CLEAR,
        )
    with translation.override("fr"):
        figures = statistics.regional_figures(MemberFactory())
        types = _rows(figures, "establishment-type")
        departments = _rows(figures, "department")
    # Demo ARA: 8 CH (a type of their own, but fewer than 5 in any department); 4 CHU and 2
    # clinics count as health establishments, 3 EHPAD as medico-social; ARS + GCS are only 2.
    assert types == {
        "Centre hospitalier (CH)": 2,
        FAMILY_LABELS["health"]: 2,
        FAMILY_LABELS["medico_social"]: 1,
        FAMILY_LABELS["regional_body"]: 1,  # flagged to its author and the moderators
    }
    assert departments == {"Département non indiqué": 6}
    # 5 CH in Rhône: a CH of Rhône shows its department, and is counted there.
    establishments("ch", "69", 5)
    with translation.override("fr"):
        departments = _rows(statistics.regional_figures(MemberFactory()), "department")
    assert departments == {"69 Rhône": 1, "Département non indiqué": 5}


def test_statistics_page_names_no_type_the_pages_do_not_show(demo_establishments):
    rex_page(
        title="REX ARS", slug="rex-ars", establishment_type="ars", department="69", tlp=Tlp.CLEAR
    )
    client = Client()
    client.force_login(MemberFactory())
    html = client.get(reverse("docs_base:rex_statistics")).content.decode()
    assert "Agence régionale de santé" not in html
    assert f'<th scope="row">{FAMILY_LABELS["regional_body"]}</th><td>1</td>' in html
    assert 'id="rex-statistics-anonymity"' in html
