"""Solution benchmarks: an index, categories with their criteria grid, solutions with the
editors' assessments, and the verified reviews of member establishments.

Categories and solutions are Wagtail pages carrying the access fields (``AccessControlled``);
reviews are plain models moderated in the admin (snippets), readable by approved members only.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models.functions import Length, Substr
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import path
from wagtail.fields import RichTextField
from wagtail.models import Orderable, Page, PageManager
from wagtail.query import PageQuerySet
from wagtail.search import index

from benchmarks import scoring
from portal import region
from portal.access import Role, ensure_visible, visible_to
from portal.access.models import AccessControlled
from portal.accounts.models import EstablishmentType
from portal.models import PortalPage
from portal.panels import ACCESS_PANEL
from portal.routable import ModuleIndexMixin

ACCESS_SEARCH_FIELDS = [
    index.FilterField("access_level"),
    index.FilterField("allowed_roles"),
    index.FilterField("establishment"),
]


class CriterionGroup(models.TextChoices):
    FUNCTIONAL = "functional", _("Functional")
    SECURITY = "security", _("Security")
    OPERATIONS = "operations", _("Operations")
    COST = "cost", _("Cost")
    SUPPORT = "support", _("Support and guidance")


class Deployment(models.TextChoices):
    SAAS = "saas", _("SaaS")
    ON_PREMISES = "on_premises", _("On premises")
    HYBRID = "hybrid", _("Hybrid")


class AnssiLabel(models.TextChoices):
    NONE = "none", _("None")
    CERTIFICATION = "certification", _("ANSSI security visa: certification")
    QUALIFICATION = "qualification", _("ANSSI security visa: qualification")


class PurchasingChannel(models.TextChoices):
    UGAP = "ugap", "UGAP"
    CAIH = "caih", "CAIH"
    RESAH = "resah", "RESAH"
    UNIHA = "uniha", "UniHA"


class SizeBand(models.TextChoices):
    SMALL = "small", _("Fewer than 50 staff")
    MEDIUM = "medium", _("50 to 499 staff")
    LARGE = "large", _("500 to 2,999 staff")
    VERY_LARGE = "very_large", _("3,000 staff or more")


# Page-cache tag of the pages showing reviews or their aggregates (solution, category and
# comparison pages, the comparison's PDF): saving or deleting a review retires only those
# (``benchmarks/module.py``, ``page_cache_tags``).
REVIEWS_CACHE_TAG = "benchmarks.reviews"


class BenchmarkIndexPage(ModuleIndexMixin, PortalPage):
    """The benchmarks section: its categories; the comparison, exports and review forms hang
    off this page (``benchmarks.views``), so that no route shadows a page slug."""

    intro = RichTextField(_("introduction"), features=["bold", "italic", "link"], blank=True)

    parent_page_types = ["portal.HomePage"]
    subpage_types = ["benchmarks.BenchmarkCategoryPage", "benchmarks.MethodologyPage"]
    max_count = 1
    module_key = "benchmarks"
    cache_tags = (REVIEWS_CACHE_TAG,)
    template = "benchmarks/index_page.html"
    search_fields = Page.search_fields + [index.SearchField("intro")]
    content_panels = Page.content_panels + [FieldPanel("intro")]

    class Meta:
        verbose_name = _("benchmark index")
        verbose_name_plural = _("benchmark indexes")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["categories"] = self.categories_for(request.user)
        context["methodology"] = MethodologyPage.objects.live().public().order_by("path").first()
        return context

    def categories_for(self, user) -> list:
        """The categories the reader may view, each with the count of solutions they may view
        (two queries whatever the number of categories)."""
        categories = list(
            BenchmarkCategoryPage.objects.visible(user).child_of(self).order_by("path")
        )
        counts: dict[str, int] = {}
        for solution_path in SolutionPage.objects.visible(user).values_list("path", flat=True):
            parent = solution_path[: -SolutionPage.steplen]
            counts[parent] = counts.get(parent, 0) + 1
        for category in categories:
            category.visible_solution_count = counts.get(category.path, 0)
        return categories

    # The module's own views (benchmarks.views), each checking access through portal.access.
    @path("comparer/<slug:category>/", name="compare")
    def compare(self, request, category):
        from benchmarks import views  # cycle: benchmarks.views imports these models

        return views.compare(request, self, category)

    @path("comparer/<slug:category>/csv/", name="compare_csv")
    def compare_csv(self, request, category):
        from benchmarks import views  # cycle: benchmarks.views imports these models

        return views.compare_csv(request, self, category)

    @path("comparer/<slug:category>/pdf/", name="compare_pdf")
    def compare_pdf(self, request, category):
        from benchmarks import views  # cycle: benchmarks.views imports these models

        return views.compare_pdf(request, self, category)

    @path("avis/<id:solution_id>/", name="review")
    def review(self, request, solution_id):
        from benchmarks import views  # cycle: benchmarks.views imports these models

        return views.review_form(request, self, solution_id)

    @path("avis/<id:review_id>/signaler/", name="report_review")
    def report_review(self, request, review_id):
        from benchmarks import views  # cycle: benchmarks.views imports these models

        return views.report_review(request, self, review_id)

    @path("mes-avis/", name="my_reviews")
    def my_reviews(self, request):
        from benchmarks import views  # cycle: benchmarks.views imports these models

        return views.my_reviews(request, self)


class MethodologyPage(PortalPage):
    """How the scores are computed; the figures of the method are written by the template from
    ``benchmarks.scoring`` so that the page always states the method in force."""

    intro = models.TextField(_("introduction"), blank=True)
    body = RichTextField(_("body"), blank=True)

    parent_page_types = ["benchmarks.BenchmarkIndexPage"]
    subpage_types = []
    max_count = 1
    template = "benchmarks/methodology_page.html"
    search_fields = Page.search_fields + [index.SearchField("intro"), index.SearchField("body")]
    content_panels = Page.content_panels + [FieldPanel("intro"), FieldPanel("body")]

    class Meta:
        verbose_name = _("benchmark methodology")
        verbose_name_plural = _("benchmark methodologies")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["method"] = scoring.METHOD
        return context


class CategoryQuerySet(PageQuerySet):
    def visible(self, user):
        """Live categories the user may view."""
        return visible_to(user, self.live().public())


class SolutionQuerySet(PageQuerySet):
    def visible(self, user, category=None):
        """Live solutions the user may view, in categories the user may view (a solution
        inherits its category's restriction: its page shows the category's title)."""
        solutions = self.live().public()
        if category is not None:
            return visible_to(user, solutions.child_of(category))
        parent_path = Substr("path", 1, Length("path") - SolutionPage.steplen)
        categories = BenchmarkCategoryPage.objects.visible(user).values("path")
        return visible_to(user, solutions.alias(parent_path=parent_path)).filter(
            parent_path__in=categories
        )


class BenchmarkCategoryPage(AccessControlled, PortalPage):
    """A kind of solution (backup, EDR, ...) with its criteria grid."""

    objects = PageManager.from_queryset(CategoryQuerySet)()

    intro = models.TextField(_("introduction"), blank=True)
    body = RichTextField(_("what to look for"), blank=True)

    parent_page_types = ["benchmarks.BenchmarkIndexPage"]
    subpage_types = ["benchmarks.SolutionPage"]
    module_key = "benchmarks"
    cache_tags = (REVIEWS_CACHE_TAG,)
    template = "benchmarks/category_page.html"
    search_fields = Page.search_fields + [
        index.SearchField("intro"),
        index.SearchField("body"),
        *ACCESS_SEARCH_FIELDS,
    ]
    content_panels = Page.content_panels + [
        FieldPanel("intro"),
        FieldPanel("body"),
        InlinePanel("criteria", heading=_("Criteria grid"), label=_("Criterion")),
    ]
    settings_panels = Page.settings_panels + [ACCESS_PANEL]

    class Meta:
        verbose_name = _("benchmark category")
        verbose_name_plural = _("benchmark categories")

    @property
    def search_summary(self) -> str:
        return self.intro

    def get_context(self, request, *args, **kwargs):
        from benchmarks import services  # cycle: benchmarks.services imports these models

        context = super().get_context(request, *args, **kwargs)
        context.update(services.category_context(request.user, self, request.GET))
        return context


class Criterion(Orderable):
    category = ParentalKey(BenchmarkCategoryPage, related_name="criteria", on_delete=models.CASCADE)
    group = models.CharField(_("group"), max_length=20, choices=CriterionGroup.choices)
    name = models.CharField(_("name"), max_length=150)
    description = models.TextField(_("what is assessed"), blank=True)
    default_weight = models.PositiveSmallIntegerField(
        _("default weight"),
        default=3,
        validators=[MaxValueValidator(10)],
        help_text=_("From 0 (ignored) to 10; readers may change it when comparing."),
    )

    panels = [
        FieldRowPanel([FieldPanel("group"), FieldPanel("default_weight")]),
        FieldPanel("name"),
        FieldPanel("description"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")

    def __str__(self):
        return self.name


class SolutionPage(AccessControlled, PortalPage):
    objects = PageManager.from_queryset(SolutionQuerySet)()
    vendor = models.CharField(_("vendor"), max_length=150)
    summary = models.TextField(_("summary"), max_length=800)
    deployment = models.CharField(_("deployment"), max_length=20, choices=Deployment.choices)
    hds_hosting = models.BooleanField(
        _("HDS hosting"),
        default=False,
        help_text=_("Health data hosted by a certified health data host (HDS)."),
    )
    anssi_label = models.CharField(
        _("ANSSI label"), max_length=20, choices=AnssiLabel.choices, default=AnssiLabel.NONE
    )
    anssi_reference = models.CharField(
        _("ANSSI label reference"),
        max_length=100,
        blank=True,
        help_text=_("The certificate or qualification reference, e.g. ANSSI-CSPN-2024/12."),
    )
    care_eligible = models.BooleanField(
        _("eligible to the CaRE programme"),
        default=False,
        help_text=_("Eligible to the national funding programme for health cybersecurity."),
    )
    french_support = models.BooleanField(_("support in French"), default=False)
    interoperability = models.TextField(_("interoperability notes"), blank=True)
    last_reviewed = models.DateField(
        _("last review"), null=True, blank=True, help_text=_("When editors last checked it.")
    )

    parent_page_types = ["benchmarks.BenchmarkCategoryPage"]
    subpage_types = []
    module_key = "benchmarks"
    cache_tags = (REVIEWS_CACHE_TAG,)
    template = "benchmarks/solution_page.html"
    search_fields = Page.search_fields + [
        index.SearchField("vendor"),
        index.SearchField("summary"),
        index.SearchField("interoperability"),
        index.FilterField("anssi_label"),
        index.FilterField("hds_hosting"),
        index.FilterField("care_eligible"),
        *ACCESS_SEARCH_FIELDS,
    ]
    content_panels = Page.content_panels + [
        FieldRowPanel([FieldPanel("vendor"), FieldPanel("deployment")]),
        FieldPanel("summary"),
        MultiFieldPanel(
            [
                FieldPanel("hds_hosting"),
                FieldRowPanel([FieldPanel("anssi_label"), FieldPanel("anssi_reference")]),
                FieldPanel("care_eligible"),
                FieldPanel("french_support"),
                FieldPanel("interoperability"),
                FieldPanel("last_reviewed"),
            ],
            heading=_("Labels and operations"),
        ),
        InlinePanel("channels", heading=_("Purchasing channels"), label=_("Channel")),
        InlinePanel("prices", heading=_("Price indications"), label=_("Price")),
        InlinePanel("assessments", heading=_("Editors' assessment"), label=_("Score")),
    ]
    settings_panels = Page.settings_panels + [ACCESS_PANEL]

    class Meta:
        verbose_name = _("solution")
        verbose_name_plural = _("solutions")

    def __str__(self):
        return self.title

    @property
    def search_summary(self) -> str:
        return self.summary

    def clean(self):
        super().clean()
        if self.anssi_label != AnssiLabel.NONE and not self.anssi_reference.strip():
            raise ValidationError({"anssi_reference": _("Give the reference of the label.")})
        parent = self.get_parent() if self.pk else None
        if parent is not None:
            wrong = [
                a.criterion.name
                for a in self.assessments.all()
                if a.criterion_id and a.criterion.category_id != parent.pk
            ]
            if wrong:
                raise ValidationError(
                    _("These criteria belong to another category: %(names)s")
                    % {"names": ", ".join(wrong)}
                )

    def serve(self, request, *args, **kwargs):
        # The page shows its category: a restricted category restricts its solutions too.
        ensure_visible(request, self.get_parent().specific)
        return super().serve(request, *args, **kwargs)

    def get_context(self, request, *args, **kwargs):
        from benchmarks import services  # cycle: benchmarks.services imports these models

        context = super().get_context(request, *args, **kwargs)
        context.update(services.solution_context(request.user, self))
        return context


class SolutionChannel(Orderable):
    solution = ParentalKey(SolutionPage, related_name="channels", on_delete=models.CASCADE)
    channel = models.CharField(_("purchasing channel"), max_length=10, choices=PurchasingChannel)
    market_reference = models.CharField(_("market reference"), max_length=150, blank=True)

    panels = [FieldRowPanel([FieldPanel("channel"), FieldPanel("market_reference")])]

    class Meta(Orderable.Meta):
        verbose_name = _("purchasing channel")
        verbose_name_plural = _("purchasing channels")


class SolutionPrice(Orderable):
    solution = ParentalKey(SolutionPage, related_name="prices", on_delete=models.CASCADE)
    size_band = models.CharField(_("establishment size"), max_length=20, choices=SizeBand)
    indication = models.CharField(
        _("price indication"), max_length=200, help_text=_("e.g. 4 to 6 € per workstation/month")
    )

    panels = [FieldRowPanel([FieldPanel("size_band"), FieldPanel("indication")])]

    class Meta(Orderable.Meta):
        verbose_name = _("price indication")
        verbose_name_plural = _("price indications")


class Assessment(Orderable):
    """The editors' score of a solution on one criterion of its category."""

    solution = ParentalKey(SolutionPage, related_name="assessments", on_delete=models.CASCADE)
    criterion = models.ForeignKey(
        Criterion, verbose_name=_("criterion"), on_delete=models.CASCADE, related_name="+"
    )
    score = models.PositiveSmallIntegerField(
        _("score (0 to 5)"), validators=[MinValueValidator(0), MaxValueValidator(5)]
    )
    justification = models.TextField(_("justification"))
    source = models.CharField(_("source"), max_length=300)
    assessed_on = models.DateField(_("date"))

    panels = [
        FieldRowPanel([FieldPanel("criterion"), FieldPanel("score"), FieldPanel("assessed_on")]),
        FieldPanel("justification"),
        FieldPanel("source"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("assessment")
        verbose_name_plural = _("assessments")
        constraints = [
            models.UniqueConstraint(
                fields=["solution", "criterion"], name="one_score_per_criterion"
            )
        ]


# --- Reviews -----------------------------------------------------------------------------------


class ReviewStatus(models.TextChoices):
    PENDING = "pending", _("Awaiting moderation")
    PUBLISHED = "published", _("Published")
    REJECTED = "rejected", _("Rejected")


class UsageScale(models.TextChoices):
    PILOT = "pilot", _("Pilot or test")
    PART = "part", _("Part of the establishment")
    WHOLE = "whole", _("The whole establishment")
    GROUP = "group", _("Several establishments (GHT, group)")


# The G2-like dimensions of a review, in display order.
DIMENSIONS = (
    ("satisfaction", _("Overall satisfaction")),
    ("ease_of_use", _("Ease of use")),
    ("ease_of_admin", _("Ease of administration")),
    ("support_quality", _("Quality of support")),
    ("meets_requirements", _("Meets requirements")),
    ("value", _("Value for money")),
)


def _dimension_field(label):
    return models.PositiveSmallIntegerField(
        label, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )


ROLE_SHORT = {
    Role.DIRECTOR: gettext_lazy("Director"),
    Role.RSSI: gettext_lazy("RSSI"),
    Role.DSI: gettext_lazy("DSI"),
}
OF_ESTABLISHMENT = {
    EstablishmentType.CHU: gettext_lazy("of a university hospital (CHU)"),
    EstablishmentType.CH: gettext_lazy("of a hospital centre"),
    EstablishmentType.PRIVATE_CLINIC: gettext_lazy("of a private clinic"),
    EstablishmentType.ESPIC: gettext_lazy("of an ESPIC"),
    EstablishmentType.EHPAD: gettext_lazy("of an EHPAD"),
    EstablishmentType.ESMS: gettext_lazy("of a medico-social establishment"),
    EstablishmentType.GHT: gettext_lazy("of a GHT"),
    EstablishmentType.ARS: gettext_lazy("of the ARS"),
    EstablishmentType.GCS: gettext_lazy("of the GCS"),
}


def anonymous_signature(review) -> str:
    """e.g. "RSSI d'un EHPAD, Isère": the role, the establishment type and the department."""
    role = ROLE_SHORT.get(review.author_role, review.author_role)
    of = OF_ESTABLISHMENT.get(review.establishment_type, "")
    department = region.current().departments.get(review.department, review.department)
    return gettext("%(role)s %(of_establishment)s, %(department)s") % {
        "role": role,
        "of_establishment": of,
        "department": department,
    }


class Review(models.Model):
    """One establishment's review of one solution (updatable, versioned, moderated)."""

    solution = models.ForeignKey(
        SolutionPage, verbose_name=_("solution"), on_delete=models.CASCADE, related_name="reviews"
    )
    establishment = models.ForeignKey(
        "accounts.Establishment",
        verbose_name=_("establishment"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="benchmark_reviews",
    )
    # Snapshots at writing time: the segment and the anonymised signature.
    author_role = models.CharField(_("author's role"), max_length=20)
    establishment_type = models.CharField(
        _("establishment type"), max_length=10, choices=EstablishmentType.choices, db_index=True
    )
    department = models.CharField(_("department"), max_length=3)
    show_establishment_name = models.BooleanField(_("name the establishment"), default=False)
    used_since = models.DateField(_("in use since"))
    usage_scale = models.CharField(_("scale of use"), max_length=10, choices=UsageScale.choices)
    no_conflict = models.BooleanField(_("no conflict of interest"), default=False)
    conflict_statement = models.TextField(_("conflict-of-interest statement"), blank=True)
    satisfaction = _dimension_field(_("Overall satisfaction"))
    ease_of_use = _dimension_field(_("Ease of use"))
    ease_of_admin = _dimension_field(_("Ease of administration"))
    support_quality = _dimension_field(_("Quality of support"))
    meets_requirements = _dimension_field(_("Meets requirements"))
    value = _dimension_field(_("Value for money"))
    pros = models.TextField(_("pros"))
    cons = models.TextField(_("cons"))
    would_recommend = models.BooleanField(_("would recommend"))
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=ReviewStatus.choices,
        default=ReviewStatus.PENDING,
        db_index=True,
    )
    moderation_note = models.TextField(
        _("moderation note"), blank=True, help_text=_("Sent to the author with the decision.")
    )
    version = models.PositiveIntegerField(_("version"), default=1)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)

    class Meta:
        verbose_name = _("review")
        verbose_name_plural = _("reviews")
        ordering = ["-published_at", "-updated_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["solution", "establishment"], name="one_review_per_establishment"
            )
        ]

    def __str__(self):
        return f"{self.solution} — {self.signature}"

    def save(self, *args, **kwargs):
        if self.status == ReviewStatus.PUBLISHED and self.published_at is None:
            self.published_at = timezone.now()
        elif self.status != ReviewStatus.PUBLISHED:
            self.published_at = None
        super().save(*args, **kwargs)

    @property
    def scores(self) -> dict[str, int]:
        return {name: getattr(self, name) for name, _label in DIMENSIONS}

    @property
    def signature(self) -> str:
        return anonymous_signature(self)


class ReviewVersion(models.Model):
    """What a review said before each update (kept for moderators)."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="versions")
    version = models.PositiveIntegerField(_("version"))
    data = models.JSONField(_("content"))
    status = models.CharField(_("status"), max_length=10, choices=ReviewStatus.choices)
    saved_at = models.DateTimeField(_("saved at"), auto_now_add=True)

    class Meta:
        verbose_name = _("review version")
        verbose_name_plural = _("review versions")
        ordering = ["review", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["review", "version"], name="one_row_per_version")
        ]

    def __str__(self):
        return f"{self.review_id} v{self.version}"


class ReportReason(models.TextChoices):
    VENDOR = "vendor", _("Written by or for the vendor")
    IDENTIFYING = "identifying", _("Reveals someone or an establishment")
    INACCURATE = "inaccurate", _("Inaccurate or misleading")
    ABUSIVE = "abusive", _("Abusive or off-topic")


class ReviewReport(models.Model):
    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="reports")
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    reason = models.CharField(_("reason"), max_length=20, choices=ReportReason.choices)
    comment = models.TextField(_("comment"), blank=True, max_length=1000)
    created_at = models.DateTimeField(_("reported at"), auto_now_add=True)
    resolved = models.BooleanField(_("handled"), default=False)

    class Meta:
        verbose_name = _("review report")
        verbose_name_plural = _("review reports")
        ordering = ["resolved", "-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["review", "reporter"], name="one_report_per_member")
        ]

    def __str__(self):
        return f"{self.review} ({self.get_reason_display()})"
