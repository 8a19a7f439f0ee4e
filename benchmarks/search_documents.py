"""What the benchmarks put into the unified search index: categories, solutions, and the
published review texts (indexed with the members' access level, or the solution's own level
when it is stricter)."""

from django.utils.translation import gettext_lazy as _

from benchmarks.models import AnssiLabel, BenchmarkCategoryPage, PurchasingChannel, ReviewStatus
from portal.access import AccessLevel
from search.documents import SearchDocument, access_fields, model_key
from search.pages import indexable, page_text


def category_document(page) -> SearchDocument | None:
    if not indexable(page):
        return None
    criteria = [f"{c.name} {c.description}" for c in page.criteria.all()]
    return SearchDocument(
        key=model_key(page),
        kind="benchmarks",
        title=page.title,
        url=page.url,
        summary=page.intro,
        body=page_text(page.intro, page.body, *criteria),
        facets={"benchmark_category": (str(page.pk),)},
        date=page.last_published_at,
        **access_fields(page),
    )


def solution_facets(page, category) -> dict:
    return {
        "benchmark_category": (str(category.pk),),
        "benchmark_label": (page.anssi_label,),
        "purchasing_channel": tuple(sorted({c.channel for c in page.channels.all()})),
        "benchmark_hosting": ("hds" if page.hds_hosting else "other",),
        "care_eligible": ("yes" if page.care_eligible else "no",),
    }


def solution_access(page, category) -> dict:
    """A public solution takes its category's access fields (a restricted category restricts
    its solutions); a restricted solution keeps its own."""
    if page.access_level == AccessLevel.PUBLIC:
        return access_fields(category)
    return access_fields(page)


def solution_document(page) -> SearchDocument | None:
    if not indexable(page):
        return None
    category = page.get_parent().specific
    return SearchDocument(
        key=model_key(page),
        kind="benchmarks",
        title=page.title,
        url=page.url,
        summary=page.summary,
        body=page_text(page.vendor, page.summary, page.interoperability, page.anssi_reference),
        tags=(page.vendor, category.title),
        facets=solution_facets(page, category),
        date=page.last_published_at,
        **solution_access(page, category),
    )


def review_document(review) -> SearchDocument | None:
    solution = review.solution
    if review.status != ReviewStatus.PUBLISHED or not indexable(solution):
        return None
    category = solution.get_parent().specific
    fields = solution_access(solution, category)
    if fields["access_level"] == AccessLevel.PUBLIC:
        fields = {"access_level": AccessLevel.MEMBERS, "allowed_roles": frozenset()}
        fields["establishment_id"] = None
    # Anonymised: the signature never carries the establishment's name in the index.
    return SearchDocument(
        key=model_key(review),
        kind="benchmark_reviews",
        title=str(_("Review of %(solution)s: %(who)s"))
        % {"solution": solution.title, "who": review.signature},
        url=f"{solution.url}#avis-{review.pk}",
        body=page_text(review.pros, review.cons),
        facets=solution_facets(solution, category),
        date=review.published_at,
        **fields,
    )


def category_labels() -> dict[str, str]:
    return {
        str(pk): title for pk, title in BenchmarkCategoryPage.objects.values_list("pk", "title")
    }


def label_labels() -> dict[str, str]:
    return {value: str(label) for value, label in AnssiLabel.choices}


def channel_labels() -> dict[str, str]:
    return {value: str(label) for value, label in PurchasingChannel.choices}


def hosting_labels() -> dict[str, str]:
    return {"hds": str(_("HDS hosting")), "other": str(_("Other hosting"))}


def care_labels() -> dict[str, str]:
    return {"yes": str(_("Eligible to CaRE")), "no": str(_("Not eligible to CaRE"))}
