"""Build the demo benchmarks (``manage.py load_demo``), idempotently.

Pages are found by their slug and left as they are once created; reviews by (solution,
establishment). A second run creates nothing. Reviews are signed by the demo account of the
establishment and role when there is one (see ``_authors``).
"""

import datetime
import random

from django.utils.text import slugify

from benchmarks.demo import content
from benchmarks.models import (
    DIMENSIONS,
    AnssiLabel,
    Assessment,
    BenchmarkCategoryPage,
    BenchmarkIndexPage,
    Criterion,
    MethodologyPage,
    Review,
    ReviewReport,
    ReviewStatus,
    SizeBand,
    SolutionChannel,
    SolutionPage,
    SolutionPrice,
)
from portal import region
from portal.access import AccessLevel, Role
from portal.accounts.models import Establishment, MemberProfile
from portal.models import HomePage
from search.indexing import reindex

REVIEWING_KINDS = ("chu", "ch", "clinic", "espic", "ehpad", "esms", "ght")
REVIEWER_ROLES = (Role.RSSI, Role.DSI, Role.DIRECTOR)
SOURCES = (
    "Documentation de l'éditeur (version 2026)",
    "Test en établissement pilote, GCS",
    "Réponse de l'éditeur au questionnaire du GCS",
)
# Reviews per solution of each category: 8 × (4 + 3) + 4 × 1 = 60 published reviews.
REVIEW_PLAN = (4, 3, 0)
EXTRA_FOR_FIRST_CATEGORIES = 4
MEMBERS_ONLY = {"tour-de-garde"}  # pricing shared under NDA: approved members only


def _home():
    return HomePage.objects.order_by("path").first()


def _fill(template: str) -> str:
    current = region.current()
    return template.format(gcs=current.gcs_name, ars=current.ars_name, region=current.name)


def _publish(parent, page):
    parent.add_child(instance=page)
    page.save_revision().publish()
    return page


def build_all(ctx) -> None:
    home = _home()
    if home is None:
        ctx.write("no home page: benchmarks skipped")
        return
    index = BenchmarkIndexPage.objects.filter(slug=content.INDEX["slug"]).first()
    if index is None:
        index = _publish(
            home,
            BenchmarkIndexPage(
                title=content.INDEX["title"],
                slug=content.INDEX["slug"],
                intro=_fill(content.INDEX["intro"]),
            ),
        )
    if not MethodologyPage.objects.filter(slug=content.METHODOLOGY["slug"]).exists():
        _publish(
            index,
            MethodologyPage(
                title=content.METHODOLOGY["title"],
                slug=content.METHODOLOGY["slug"],
                intro=content.METHODOLOGY["intro"],
                body=_fill(content.METHODOLOGY["body"]),
            ),
        )
    solutions = []
    for position, spec in enumerate(content.CATEGORIES):
        category = _category(index, spec)
        for rank, solution_spec in enumerate(spec["solutions"]):
            solutions.append((position, rank, _solution(category, solution_spec, position, rank)))
    reviews = _reviews(ctx, solutions)
    reindex(
        list(BenchmarkCategoryPage.objects.live().child_of(index))
        + list(SolutionPage.objects.live().descendant_of(index))
    )
    ctx.write(
        f"{len(content.CATEGORIES)} categories, {len(solutions)} solutions, "
        f"{reviews} published reviews"
    )


def _category(index, spec) -> BenchmarkCategoryPage:
    existing = BenchmarkCategoryPage.objects.child_of(index).filter(slug=spec["slug"]).first()
    if existing is not None:
        return existing
    page = BenchmarkCategoryPage(
        title=spec["title"],
        slug=spec["slug"],
        intro=spec["intro"],
        body="<p>Comparez au moins trois solutions, vérifiez les canaux d'achat public "
        "disponibles et demandez un test en conditions réelles.</p>",
    )
    rows = spec["criteria"][:2] + spec["criteria"][2:] + content.COMMON_CRITERIA
    order = {"functional": 0, "security": 1, "operations": 2, "cost": 3, "support": 4}
    rows = sorted(rows, key=lambda row: order[row[0]])
    page.criteria = [
        Criterion(group=g, name=n, description=d, default_weight=w, sort_order=i)
        for i, (g, n, d, w) in enumerate(rows)
    ]
    _publish(index, page)
    page.refresh_from_db()
    return page


def _solution(category, spec, position, rank) -> SolutionPage:
    title, vendor, deployment = spec
    slug = slugify(title)
    existing = SolutionPage.objects.child_of(category).filter(slug=slug).first()
    if existing is not None:
        return existing
    rng = random.Random(slug)  # noqa: S311  (demo values)
    quality = 2.5 + rng.random() * 2
    labelled = (position + rank) % 3 == 0
    page = SolutionPage(
        title=title,
        slug=slug,
        vendor=vendor,
        summary=f"{title}, par {vendor} : {category.intro[0].lower()}{category.intro[1:]}",
        deployment=deployment,
        hds_hosting=deployment != "on_premises" and rank != 2,
        anssi_label=(
            (AnssiLabel.QUALIFICATION if position == 5 else AnssiLabel.CERTIFICATION)
            if labelled
            else AnssiLabel.NONE
        ),
        anssi_reference=f"ANSSI-CSPN-2025/{10 + position * 3 + rank:02d}" if labelled else "",
        care_eligible=rank != 1,
        french_support=rank != 2 or position % 2 == 0,
        interoperability=(
            "Connecteurs pour l'annuaire (LDAP, Entra ID), export des journaux en syslog, API "
            "REST documentée."
        ),
        last_reviewed=datetime.date(2026, 9, 1) + datetime.timedelta(days=position * 5 + rank),
        access_level=AccessLevel.MEMBERS if slug in MEMBERS_ONLY else AccessLevel.PUBLIC,
    )
    channels = content.CHANNEL_SETS[(position + rank) % len(content.CHANNEL_SETS)]
    page.channels = [
        SolutionChannel(channel=c, market_reference=f"Marché {c.upper()} 2025-{position}{rank}")
        for c in channels
    ]
    low = 150 + rank * 60 + position * 20
    page.prices = [
        SolutionPrice(
            size_band=size,
            indication=content.PRICE_TEXTS[size].format(low=low, high=low * 4, top=low * 12),
        )
        for size in SizeBand.values
    ]
    criteria = list(category.criteria.all())
    page.assessments = [
        Assessment(
            criterion=criterion,
            score=max(0, min(5, round(quality + rng.uniform(-1.5, 1.5)))),
            justification=f"{criterion.description} Évalué sur la version 2026 de {title}.",
            source=SOURCES[(i + rank) % len(SOURCES)],
            assessed_on=datetime.date(2026, 6, 1) + datetime.timedelta(days=i * 3),
        )
        for i, criterion in enumerate(criteria)
    ]
    _publish(category, page)
    page.refresh_from_db()
    return page


def _authors(ctx) -> dict:
    """(establishment id, role) -> the demo account holding that role there.

    Reviews of other establishments are kept without an author account (as after the deletion
    of the author's account): the demo has one account per role, which the portal's demo
    tests and the printed login list rely on.
    """
    authors = {}
    for role, user in ctx.users.items():
        profile = MemberProfile.objects.filter(user=user).first()
        if profile is not None and profile.establishment_id is not None:
            authors[(profile.establishment_id, role)] = user
    return authors


def _reviews(ctx, solutions) -> int:
    establishments = list(
        Establishment.objects.filter(validated=True, kind__in=REVIEWING_KINDS).order_by("finess")
    )
    if not establishments:
        return 0
    authors = _authors(ctx)
    turn = 0
    for position, rank, solution in solutions:
        count = REVIEW_PLAN[rank]
        if rank == 2 and position < EXTRA_FOR_FIRST_CATEGORIES:
            count = 1
        for n in range(min(count, len(establishments))):
            establishment = establishments[(turn + n * 7) % len(establishments)]
            role = REVIEWER_ROLES[(turn + n) % 3]
            author = authors.get((establishment.pk, role))
            _review(solution, establishment, role, turn + n, author=author)
        turn += count
    # Two reviews waiting for a moderator, and one report, for the moderation demo.
    pending = solutions[0][2], solutions[3][2]
    for offset, solution in enumerate(pending):
        establishment = establishments[(offset * 5 + 3) % len(establishments)]
        author = authors.get((establishment.pk, Role.RSSI))
        _review(solution, establishment, Role.RSSI, 1000 + offset, ReviewStatus.PENDING, author)
    reporter = ctx.users.get(Role.DPO)
    first = Review.objects.filter(status=ReviewStatus.PUBLISHED).order_by("pk").first()
    if reporter is not None and first is not None:
        ReviewReport.objects.get_or_create(
            review=first,
            reporter=reporter,
            defaults={"reason": "inaccurate", "comment": "Le tarif cité semble ancien."},
        )
    return Review.objects.filter(status=ReviewStatus.PUBLISHED).count()


def _review(solution, establishment, role, seed, status=ReviewStatus.PUBLISHED, author=None):
    if Review.objects.filter(solution=solution, establishment=establishment).exists():
        return
    rng = random.Random(f"{solution.slug}-{establishment.finess}")  # noqa: S311
    quality = 2.5 + random.Random(solution.slug).random() * 2  # noqa: S311
    ratings = {
        name: max(1, min(5, round(quality + rng.uniform(-1.2, 1.2)))) for name, _ in DIMENSIONS
    }
    Review.objects.create(
        solution=solution,
        establishment=establishment,
        author=author,
        author_role=role,
        establishment_type=establishment.kind,
        department=establishment.department,
        show_establishment_name=seed % 5 == 0,
        used_since=datetime.date(2022, 1, 1) + datetime.timedelta(days=(seed * 37) % 1200),
        usage_scale=("pilot", "part", "whole", "group")[seed % 4],
        no_conflict=True,
        pros=content.PROS[seed % len(content.PROS)],
        cons=content.CONS[(seed * 5) % len(content.CONS)],
        would_recommend=ratings["satisfaction"] >= 3,
        status=status,
        **ratings,
    )
