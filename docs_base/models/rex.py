"""Experience feedback (REX) pages and member submissions.

A REX is a structured debrief of an incident lived by an establishment. The debrief fields
(``RexDebrief``) are shared by the published page (``RexPage``, edited by GCS moderators in the
Wagtail admin) and by the member's draft (``RexSubmission``, written through the front-end form
and turned into a draft page under moderation when submitted).
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import path
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from docs_base.rex.blocks import cited_page_blocks, timeline_blocks
from docs_base.rex.panels import ShownContextPanel
from portal import region
from portal.access import Tlp, is_approved_member
from portal.access.models import AccessControlled
from portal.accounts.models import EstablishmentType
from portal.models import PortalPage
from portal.routable import ModuleIndexMixin

__all__ = [
    "CostRange",
    "IncidentType",
    "RexIndexPage",
    "RexPage",
    "RexSubmission",
    "SizeBand",
    "SubmissionStatus",
]


class IncidentType(models.TextChoices):
    RANSOMWARE = "ransomware", _("Ransomware")
    PHISHING = "phishing", _("Phishing")
    ACCOUNT_TAKEOVER = "account_takeover", _("Account takeover")
    REMOTE_ACCESS = "remote_access", _("Remote-access compromise")
    CEO_FRAUD = "ceo_fraud", _("CEO fraud (FOVI)")
    DATA_LEAK = "data_leak", _("Data leak")
    DDOS = "ddos", _("Denial of service (DDoS)")
    MEDICAL_DEVICE = "medical_device", _("Medical device")
    SUPPLIER = "supplier", _("Supplier compromise")
    OTHER = "other", _("Other")


class SizeBand(models.TextChoices):
    """Size of the establishment, in staff (anonymous enough, yet comparable)."""

    UNDER_50 = "under_50", _("Fewer than 50 staff")
    FROM_50 = "50_249", _("50 to 249 staff")
    FROM_250 = "250_999", _("250 to 999 staff")
    FROM_1000 = "1000_4999", _("1,000 to 4,999 staff")
    FROM_5000 = "5000_plus", _("5,000 staff or more")


class CostRange(models.TextChoices):
    UNKNOWN = "unknown", _("Not known")
    UNDER_10K = "under_10k", _("Less than €10,000")
    FROM_10K = "10k_100k", _("€10,000 to €100,000")
    FROM_100K = "100k_500k", _("€100,000 to €500,000")
    FROM_500K = "500k_1m", _("€500,000 to €1 million")
    OVER_1M = "over_1m", _("More than €1 million")


class SubmissionStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    IN_MODERATION = "in_moderation", _("Awaiting moderation")
    CHANGES_REQUESTED = "changes_requested", _("Changes requested")
    PUBLISHED = "published", _("Published")


def department_choices():
    """The departments of the configured region (configuration, not code)."""
    return region.current().department_choices


# The impact flags, in display order, with their labels.
IMPACT_FIELDS = (
    ("impact_patient_care", _("Patient care")),
    ("impact_pay", _("Staff pay")),
    ("impact_billing", _("Billing")),
    ("impact_services_shut_down", _("Services shut down")),
    ("impact_data", _("Data (loss, theft or leak)")),
)


class RexDebrief(models.Model):
    """The structured debrief, shared by the published page and the member's draft."""

    summary = models.TextField(
        _("summary"),
        max_length=600,
        blank=True,
        help_text=_("Two or three sentences shown in lists and search results."),
    )
    # Context: enough to compare, never enough to identify (unless the establishment consents).
    establishment_type = models.CharField(
        _("establishment type"),
        max_length=10,
        choices=EstablishmentType.choices,
        db_index=True,
    )
    size_band = models.CharField(_("size"), max_length=10, choices=SizeBand.choices, blank=True)
    department = models.CharField(
        _("department"), max_length=3, choices=department_choices, blank=True
    )
    show_establishment_name = models.BooleanField(
        _("name the establishment"),
        default=False,
        help_text=_(
            "Only with the establishment's consent: otherwise the feedback stays anonymous "
            "(type, size and department only)."
        ),
    )
    # The incident.
    incident_type = models.CharField(
        _("incident type"), max_length=20, choices=IncidentType.choices, db_index=True
    )
    occurred_on = models.DateField(
        _("start of the incident"),
        null=True,
        blank=True,
        help_text=_("The day the incident started (used for the statistics by quarter)."),
    )
    detection = models.TextField(
        _("how it was detected"), blank=True, help_text=_("Who noticed what, and when.")
    )
    duration_days = models.PositiveIntegerField(
        _("duration (days)"),
        null=True,
        blank=True,
        help_text=_("Days until activity was back to normal."),
    )
    # Impact: one flag per area, and the details.
    impact_patient_care = models.BooleanField(_("impact on patient care"), default=False)
    impact_pay = models.BooleanField(_("impact on staff pay"), default=False)
    impact_billing = models.BooleanField(_("impact on billing"), default=False)
    impact_services_shut_down = models.BooleanField(_("services shut down"), default=False)
    impact_data = models.BooleanField(_("impact on data"), default=False)
    impact_description = models.TextField(
        _("impact in detail"),
        blank=True,
        help_text=_("Services affected, degraded procedures, data concerned."),
    )
    cost_range = models.CharField(
        _("cost"), max_length=10, choices=CostRange.choices, default=CostRange.UNKNOWN
    )
    # What was learnt.
    what_worked = models.TextField(_("what worked"), blank=True)
    what_did_not_work = models.TextField(_("what did not work"), blank=True)
    lessons_learnt = models.TextField(_("lessons learnt"), blank=True)
    recommendations = models.TextField(_("recommendations to peers"), blank=True)
    tlp = models.CharField(
        _("TLP marking"),
        max_length=20,
        choices=Tlp.choices,
        default=Tlp.GREEN,
        help_text=_(
            "Who may read it: TLP:CLEAR everyone, TLP:GREEN approved members, TLP:AMBER "
            "security officers, directors and referents, TLP:AMBER+STRICT the establishment's "
            "members, TLP:RED its RSSI and director."
        ),
    )

    class Meta:
        abstract = True

    @property
    def impact_labels(self) -> list[str]:
        return [str(label) for name, label in IMPACT_FIELDS if getattr(self, name)]

    @property
    def department_label(self) -> str:
        return region.current().department_label(self.department) if self.department else ""

    @property
    def debrief_text(self) -> list[str]:
        """The free-text parts, in reading order (for search and summaries)."""
        return [
            self.summary,
            self.detection,
            self.impact_description,
            self.what_worked,
            self.what_did_not_work,
            self.lessons_learnt,
            self.recommendations,
        ]


class RexIndexPage(ModuleIndexMixin, PortalPage):
    """The experience feedback section: the REX the reader may see, filterable.

    The members' own views hang off it (``portal.routable``): sharing a feedback in steps,
    their list, the regional statistics. Each route delegates to ``docs_base.rex.views``; a
    child page slugged like a route segment wins. Reverse them with ``docs_base.routes``.
    """

    intro = RichTextField(_("introduction"), features=["bold", "italic", "link"], blank=True)

    parent_page_types = ["portal.HomePage"]
    subpage_types = ["docs_base.RexPage"]
    max_count = 1
    module_key = "rex"
    template = "docs_base/rex/index_page.html"
    search_fields = Page.search_fields + [index.SearchField("intro")]
    content_panels = Page.content_panels + [FieldPanel("intro")]

    class Meta:
        verbose_name = _("experience feedback index")
        verbose_name_plural = _("experience feedback indexes")

    def get_context(self, request, *args, **kwargs):
        # Not at the top: the REX services import these models (models -> services only here).
        from docs_base.rex import services

        context = super().get_context(request, *args, **kwargs)
        context["listing"] = services.browse(request.user, self, request.GET)
        context["can_submit"] = is_approved_member(request.user)
        return context

    # Routes (not at the top: the views import these models).
    @path(_("share/"), name="submit")
    def submit_route(self, request):
        from docs_base.rex import views  # cycle: docs_base.rex.views imports these models

        return views.submission_new(request)

    @path(_("mine/"), name="mine")
    def mine_route(self, request):
        from docs_base.rex import views  # cycle: docs_base.rex.views imports these models

        return views.mine(request)

    @path(_("mine/<id:pk>/delete/"), name="submission_delete")
    def submission_delete_route(self, request, pk):
        from docs_base.rex import views  # cycle: docs_base.rex.views imports these models

        return views.submission_delete(request, pk)

    @path(_("mine/<id:pk>/<slug:step>/"), name="submission_step")
    def submission_step_route(self, request, pk, step):
        from docs_base.rex import views  # cycle: docs_base.rex.views imports these models

        return views.submission_step(request, pk, step)

    @path(_("statistics/"), name="statistics")
    def statistics_route(self, request):
        from docs_base.rex import views  # cycle: docs_base.rex.views imports these models

        return views.regional_statistics(request)


class RexPage(RexDebrief, AccessControlled, PortalPage):
    """One experience feedback, published after moderation; access follows its TLP marking."""

    timeline = StreamField(
        timeline_blocks(),
        verbose_name=_("timeline"),
        blank=True,
        help_text=_("Dated steps, from the first sign to the return to normal."),
    )
    cited_pages = StreamField(
        cited_page_blocks(),
        verbose_name=_("cited pages"),
        blank=True,
        help_text=_("Guides, courses and benchmark entries this feedback refers to."),
    )
    reporting_establishment = models.ForeignKey(
        "accounts.Establishment",
        verbose_name=_("reporting establishment"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_(
            "The establishment that lived the incident. Its name is shown to readers only "
            "when 'name the establishment' is ticked."
        ),
    )

    parent_page_types = ["docs_base.RexIndexPage"]
    subpage_types = []
    template = "docs_base/rex/rex_page.html"
    search_fields = Page.search_fields + [
        index.SearchField("summary"),
        index.SearchField("detection"),
        index.SearchField("timeline"),
        index.SearchField("impact_description"),
        index.SearchField("what_worked"),
        index.SearchField("what_did_not_work"),
        index.SearchField("lessons_learnt"),
        index.SearchField("recommendations"),
        index.FilterField("incident_type"),
        index.FilterField("establishment_type"),
        index.FilterField("access_level"),
        index.FilterField("allowed_roles"),
        index.FilterField("establishment"),
    ]
    content_panels = Page.content_panels + [
        FieldPanel("summary"),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("establishment_type"), FieldPanel("size_band")]),
                FieldPanel("department"),
                FieldPanel("reporting_establishment"),
                FieldPanel("show_establishment_name"),
                ShownContextPanel(heading=_("What readers see")),
            ],
            heading=_("Context"),
        ),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("incident_type"), FieldPanel("occurred_on")]),
                FieldPanel("detection"),
                FieldPanel("duration_days"),
            ],
            heading=_("Incident"),
        ),
        FieldPanel("timeline"),
        MultiFieldPanel(
            [
                FieldPanel("impact_patient_care"),
                FieldPanel("impact_pay"),
                FieldPanel("impact_billing"),
                FieldPanel("impact_services_shut_down"),
                FieldPanel("impact_data"),
                FieldPanel("impact_description"),
                FieldPanel("cost_range"),
            ],
            heading=_("Impact"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("what_worked"),
                FieldPanel("what_did_not_work"),
                FieldPanel("lessons_learnt"),
                FieldPanel("recommendations"),
            ],
            heading=_("Lessons"),
        ),
        FieldPanel("cited_pages"),
    ]
    settings_panels = Page.settings_panels + [
        MultiFieldPanel(
            [
                FieldPanel("tlp"),
                FieldPanel(
                    "establishment",
                    help_text=_(
                        "Recipient establishment for TLP:AMBER+STRICT and TLP:RED; defaults "
                        "to the reporting establishment."
                    ),
                ),
            ],
            heading=_("Who may view this page"),
        ),
    ]

    class Meta:
        verbose_name = _("experience feedback")
        verbose_name_plural = _("experience feedback")

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        if kwargs.get("update_fields") is None:
            self.apply_marking()
        return super().save(*args, **kwargs)

    def clean(self):
        self.apply_marking()
        super().clean()

    def apply_marking(self) -> None:
        """The access fields follow the TLP marking (``portal.access.TLP_ACCESS``)."""
        if self.establishment_id is None and self.reporting_establishment_id is not None:
            self.establishment_id = self.reporting_establishment_id
        self.apply_tlp(self.tlp, establishment=self.establishment)

    @property
    def search_summary(self) -> str:
        return self.summary

    @property
    def establishment_name(self) -> str:
        """The reporting establishment's name, only when it consented to be named."""
        if self.show_establishment_name and self.reporting_establishment_id:
            return self.reporting_establishment.name
        return ""

    def get_context(self, request, *args, **kwargs):
        # Not at the top: the REX services import these models (models -> services only here).
        from docs_base.rex import anonymity, services

        context = super().get_context(request, *args, **kwargs)
        context["cited"] = services.visible_cited_pages(request.user, self)
        context["shown_context"] = anonymity.shown_context(self)
        return context


class RexSubmission(RexDebrief):
    """A member's REX, written in steps; submitted, it becomes a draft page under moderation.

    The author edits it while it is a draft or when a moderator asked for changes; the page
    created on submission is then updated and sent back to moderation.
    """

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        on_delete=models.CASCADE,
        related_name="rex_submissions",
    )
    establishment = models.ForeignKey(
        "accounts.Establishment",
        verbose_name=_("establishment"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("The author's establishment when the draft was started."),
    )
    title = models.CharField(_("title"), max_length=200)
    # Dated steps: [{"date": "2024-03-02", "time": "08:30" or "", "description": "..."}].
    timeline = models.JSONField(_("timeline"), default=list, blank=True)
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=SubmissionStatus.choices,
        default=SubmissionStatus.DRAFT,
        db_index=True,
    )
    page = models.OneToOneField(
        RexPage,
        verbose_name=_("page"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="submission",
        help_text=_("The page created when the draft was first submitted."),
    )
    moderator_comment = models.TextField(
        _("moderator's comment"),
        blank=True,
        help_text=_("The changes a moderator asked for, shown to the author."),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)

    class Meta:
        ordering = ["-updated_at", "-pk"]
        verbose_name = _("experience feedback submission")
        verbose_name_plural = _("experience feedback submissions")

    def __str__(self):
        return self.title

    @property
    def editable(self) -> bool:
        return self.status in (SubmissionStatus.DRAFT, SubmissionStatus.CHANGES_REQUESTED)

    def clean(self):
        super().clean()
        if self.tlp in (Tlp.AMBER_STRICT, Tlp.RED) and self.establishment_id is None:
            raise ValidationError(
                {"tlp": _("This TLP marking needs your establishment: choose another one.")}
            )
