"""Alerts and watch: TLP-marked bulletins with CVSS severity, watch items, the establishments'
acknowledgements, members' subscriptions, and the "Vous êtes attaqué ?" page.

Alerts and watch items are Wagtail pages (revision history, workflow) under one index page,
whose routes serve the module's own views (``alerts.views``). Their TLP marking sets the access
fields through the portal's mapping (``AccessControlled.apply_tlp``).
"""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    InlinePanel,
    MultiFieldPanel,
    PageChooserPanel,
)
from wagtail.contrib.routable_page.models import path
from wagtail.fields import RichTextField
from wagtail.models import GroupApprovalTask, Orderable, Page, TaskState
from wagtail.search import index

from alerts.forms import AlertPageForm
from alerts.severity import Severity, at_least, parse_cvss, split_cves, validate_cves, validate_cvss
from portal import region
from portal.access import TLP_ACCESS, Tlp
from portal.access.fields import CodeSetField
from portal.access.models import AccessControlled
from portal.accounts.models import EstablishmentType
from portal.models import PortalPage
from portal.routable import ModuleIndexMixin

# Page-cache tag of the pages showing acknowledgements (the index's alerts to acknowledge, the
# dashboards); an alert page shows its reader's establishment's answer in a personal fragment
# (``alerts.personal``), so that an answer does not retire it.
ACKNOWLEDGEMENTS_CACHE_TAG = "alerts.acknowledgements"
# Page-cache tag of the pages counting establishments (the alerts' exposure dashboards).
ESTABLISHMENTS_CACHE_TAG = "alerts.establishments"
# Markings whose publication needs a second person's approval, and whose e-mails carry
# metadata only.
RESTRICTED_TLP = frozenset({Tlp.AMBER, Tlp.AMBER_STRICT, Tlp.RED})
ACCESS_SEARCH_FIELDS = [
    index.FilterField("access_level"),
    index.FilterField("allowed_roles"),
    index.FilterField("establishment"),
]


class ProductFamily(models.TextChoices):
    PATIENT_RECORD = "patient_record", _("Patient records and hospital software")
    IMAGING = "imaging", _("Imaging (PACS, RIS)")
    BIOMEDICAL = "biomedical", _("Biomedical devices")
    LABORATORY = "laboratory", _("Laboratory systems")
    OPERATING_SYSTEM = "os", _("Operating systems")
    DIRECTORY = "directory", _("Directory and identity (Active Directory, SSO)")
    NETWORK = "network", _("Network, VPN and firewalls")
    VIRTUALISATION = "virtualisation", _("Virtualisation and storage")
    MESSAGING = "messaging", _("E-mail and collaboration")
    BROWSER = "browser", _("Browsers and office software")
    BACKUP = "backup", _("Backup")
    TELEPHONY = "telephony", _("Telephony")


class Topic(models.TextChoices):
    RANSOMWARE = "ransomware", _("Ransomware")
    PHISHING = "phishing", _("Phishing")
    FRAUD = "fraud", _("Fraud (fake transfer orders, CEO fraud)")
    VULNERABILITY = "vulnerability", _("Vulnerability")
    DATA_LEAK = "data_leak", _("Data leak")
    SUPPLY_CHAIN = "supply_chain", _("Supplier compromise")


class AlertSource(models.TextChoices):
    CERT_SANTE = "cert_sante", "CERT Santé"
    CERT_FR = "cert_fr", "CERT-FR"
    ANSSI = "anssi", "ANSSI"
    VENDOR = "vendor", _("Vendor")


class AlertStatus(models.TextChoices):
    NEW = "new", _("New")
    UPDATED = "updated", _("Updated")
    CLOSED = "closed", _("Closed")


class AcknowledgementStatus(models.TextChoices):
    TAKEN = "taken", _("Acknowledged")
    IN_PROGRESS = "in_progress", _("Affected, fix in progress")
    FIXED = "fixed", _("Fixed")
    NOT_AFFECTED = "not_affected", _("Not affected")


class WatchCategory(models.TextChoices):
    REGULATION = "regulation", _("Regulation")
    TECHNOLOGY = "technology", _("Technology")
    THREAT = "threat", _("Threat")


class TlpMarked(AccessControlled):
    """Content carrying a TLP marking; the access fields follow it (``levels.TLP_ACCESS``)."""

    tlp = models.CharField(_("TLP marking"), max_length=20, choices=Tlp.choices, default=Tlp.CLEAR)

    class Meta:
        abstract = True

    def clean(self):
        self.apply_tlp(self.tlp, self.establishment)
        super().clean()

    def save(self, *args, **kwargs):
        # The marking is the one source of the access fields, whatever path saves the page.
        # AMBER+STRICT or RED without a recipient (the admin refuses it; code may not) fails
        # closed: the establishment level with no establishment, which nobody but superusers
        # may view, never the access fields of a former, lower marking.
        mapping = TLP_ACCESS[Tlp(self.tlp)]
        if mapping.needs_establishment and self.establishment_id is None:
            self.access_level, self.allowed_roles = mapping.level, mapping.roles
        else:
            self.apply_tlp(self.tlp, self.establishment)
        super().save(*args, **kwargs)

    @property
    def is_restricted(self) -> bool:
        return self.tlp in RESTRICTED_TLP


TLP_PANEL = MultiFieldPanel(
    [FieldPanel("tlp"), FieldPanel("establishment")],
    heading=_("TLP marking"),
    help_text=_(
        "TLP:CLEAR is public, TLP:GREEN for approved members, TLP:AMBER for the security roles "
        "of every establishment; TLP:AMBER+STRICT and TLP:RED are for the chosen establishment "
        "only. TLP:AMBER and above need a second editor's approval before publication."
    ),
)


class AlertIndexPage(ModuleIndexMixin, PortalPage):
    """The alerts section: its alerts and watch items; subscriptions, acknowledgements, the
    exposure dashboard and the feeds hang off this page (``alerts.views``)."""

    intro = RichTextField(_("introduction"), features=["bold", "italic", "link"], blank=True)

    parent_page_types = ["portal.HomePage"]
    subpage_types = ["alerts.AlertPage", "alerts.WatchItemPage"]
    max_count = 1
    module_key = "alerts"
    # The alerts to acknowledge: an answer, or an establishment's type, changes them.
    cache_tags = (ACKNOWLEDGEMENTS_CACHE_TAG, ESTABLISHMENTS_CACHE_TAG)
    template = "alerts/index_page.html"
    search_fields = Page.search_fields + [index.SearchField("intro")]
    content_panels = Page.content_panels + [FieldPanel("intro")]

    class Meta:
        verbose_name = _("alert index")
        verbose_name_plural = _("alert indexes")

    # The views import the models: imported inside each route to break that cycle.
    def get_context(self, request, *args, **kwargs):
        from alerts import views  # cycle: alerts.views imports these models

        context = super().get_context(request, *args, **kwargs)
        context.update(views.index_context(request, self))
        return context

    @path("veille/", name="watch")
    def watch(self, request):
        from alerts import views  # cycle: alerts.views imports these models

        return views.watch_list(request, self)

    @path("abonnement/", name="subscription")
    def subscription(self, request):
        from alerts import views  # cycle: alerts.views imports these models

        return views.subscription(request, self)

    @path("acquittements/", name="history")
    def history(self, request):
        from alerts import views  # cycle: alerts.views imports these models

        return views.history(request, self)

    @path("acquitter/<id:alert_id>/<id:establishment_id>/", name="acknowledge")
    def acknowledge(self, request, alert_id, establishment_id):
        from alerts import views  # cycle: alerts.views imports these models

        return views.acknowledge(request, self, alert_id, establishment_id)

    @path("tableau-de-bord/", name="dashboard")
    def dashboard(self, request):
        from alerts import views  # cycle: alerts.views imports these models

        return views.dashboard(request, self)

    @path("tableau-de-bord/<id:alert_id>/", name="alert_dashboard")
    def alert_dashboard(self, request, alert_id):
        from alerts import views  # cycle: alerts.views imports these models

        return views.alert_dashboard(request, self, alert_id)

    @path("tableau-de-bord/<id:alert_id>/csv/", name="alert_dashboard_csv")
    def alert_dashboard_csv(self, request, alert_id):
        from alerts import views  # cycle: alerts.views imports these models

        return views.alert_dashboard_csv(request, self, alert_id)

    @path("flux/rss/", name="rss")
    def rss(self, request):
        from alerts import feeds  # cycle: alerts.feeds imports these models

        return feeds.RssFeed(self)(request)

    @path("flux/atom/", name="atom")
    def atom(self, request):
        from alerts import feeds  # cycle: alerts.feeds imports these models

        return feeds.AtomFeed(self)(request)


class AlertPage(TlpMarked, PortalPage):
    reference = models.CharField(
        _("reference"), max_length=40, unique=True, help_text=_("e.g. ALERTE-2026-014")
    )
    cvss_vector = models.CharField(
        _("CVSS vector"),
        max_length=200,
        blank=True,
        validators=[validate_cvss],
        help_text=_("CVSS 3.1 or 4.0 vector, e.g. CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"),
    )
    cvss_score = models.DecimalField(
        _("CVSS base score"), max_digits=3, decimal_places=1, null=True, blank=True, editable=False
    )
    severity = models.CharField(
        _("severity"),
        max_length=10,
        choices=Severity.choices,
        default=Severity.MEDIUM,
        db_index=True,
        help_text=_("Computed from the CVSS vector when there is one; set by hand otherwise."),
    )
    cves = models.TextField(
        _("CVE identifiers"),
        blank=True,
        validators=[validate_cves],
        help_text=_("One per line, e.g. CVE-2026-12345."),
    )
    product_families = CodeSetField(_("product families"), codes=ProductFamily)
    topics = CodeSetField(_("topics"), codes=Topic)
    establishment_types = CodeSetField(
        _("establishment types concerned"),
        codes=EstablishmentType,
        help_text=_("Leave empty when the alert concerns every kind of establishment."),
    )
    source = models.CharField(_("source"), max_length=20, choices=AlertSource.choices)
    source_reference = models.CharField(_("source reference"), max_length=100, blank=True)
    source_url = models.URLField(_("source link"), blank=True)
    summary = models.TextField(_("summary"))
    actions = models.TextField(
        _("recommended actions"), blank=True, help_text=_("One action per line.")
    )
    workarounds = models.TextField(
        _("workarounds"), blank=True, help_text=_("One workaround per line.")
    )
    status = models.CharField(
        _("status"), max_length=10, choices=AlertStatus.choices, default=AlertStatus.NEW
    )
    change_note = models.CharField(
        _("what changed"),
        max_length=300,
        blank=True,
        help_text=_("Shown to readers with this version: say what changed since the last one."),
    )

    base_form_class = AlertPageForm
    parent_page_types = ["alerts.AlertIndexPage"]
    subpage_types = []
    module_key = "alerts"
    # Who may answer for their establishment follows its type (an answer: a fragment's).
    cache_tags = (ESTABLISHMENTS_CACHE_TAG,)
    template = "alerts/alert_page.html"
    search_fields = Page.search_fields + [
        index.SearchField("reference"),
        index.SearchField("summary"),
        index.FilterField("severity"),
        *ACCESS_SEARCH_FIELDS,
    ]
    content_panels = Page.content_panels + [
        FieldRowPanel([FieldPanel("reference"), FieldPanel("status")]),
        TLP_PANEL,
        MultiFieldPanel(
            [FieldPanel("cvss_vector"), FieldPanel("severity"), FieldPanel("cves")],
            heading=_("Severity"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("product_families"),
                FieldPanel("topics"),
                FieldPanel("establishment_types"),
            ],
            heading=_("Who and what is concerned"),
        ),
        InlinePanel("products", heading=_("Affected products"), label=_("Product")),
        MultiFieldPanel(
            [
                FieldPanel("source"),
                FieldRowPanel([FieldPanel("source_reference"), FieldPanel("source_url")]),
            ],
            heading=_("Source"),
        ),
        FieldPanel("summary"),
        FieldPanel("actions"),
        FieldPanel("workarounds"),
        FieldPanel("change_note"),
    ]

    class Meta:
        verbose_name = _("alert")
        verbose_name_plural = _("alerts")

    def __str__(self):
        return f"{self.reference} {self.title}"

    def clean(self):
        super().clean()
        if self.cvss_vector:
            try:
                parse_cvss(self.cvss_vector)
            except ValidationError as error:
                raise ValidationError({"cvss_vector": error.messages}) from error

    def save(self, *args, **kwargs):
        if self.cvss_vector:
            scored = parse_cvss(self.cvss_vector)
            self.cvss_score, self.severity = Decimal(str(scored.score)), scored.severity
        else:
            self.cvss_score = None
        self.cves = "\n".join(split_cves(self.cves))
        super().save(*args, **kwargs)

    @property
    def cve_list(self) -> list[str]:
        return split_cves(self.cves)

    @property
    def action_list(self) -> list[str]:
        return [line.strip() for line in self.actions.splitlines() if line.strip()]

    @property
    def workaround_list(self) -> list[str]:
        return [line.strip() for line in self.workarounds.splitlines() if line.strip()]

    @property
    def cvss_version(self) -> str:
        return self.cvss_vector.split("/", 1)[0].removeprefix("CVSS:") if self.cvss_vector else ""

    @property
    def is_critical(self) -> bool:
        return at_least(self.severity, Severity.CRITICAL)

    @property
    def search_summary(self) -> str:
        return self.summary

    def publish(self, revision, user=None, skip_permission_checks=False, **kwargs):
        """TLP:AMBER and above go live only once a second person approved that very revision
        (``SecondPersonApprovalTask``); whoever publishes, by whatever path."""
        needs_approval = revision.as_object().tlp in RESTRICTED_TLP
        if (
            needs_approval
            and not skip_permission_checks
            and not approved_by_second_person(revision)
        ):
            raise PermissionDenied(
                _("TLP:AMBER and above need a second editor's approval before publication.")
            )
        return super().publish(
            revision, user=user, skip_permission_checks=skip_permission_checks, **kwargs
        )

    def get_context(self, request, *args, **kwargs):
        from alerts import views  # cycle: alerts.views imports these models

        context = super().get_context(request, *args, **kwargs)
        context.update(views.alert_context(request, self))
        return context


def approved_by_second_person(revision) -> bool:
    """An approved task state for this revision, finished by someone else than the person
    who submitted it to the workflow."""
    states = TaskState.objects.filter(
        revision=revision, status=TaskState.STATUS_APPROVED, finished_by__isnull=False
    ).select_related("workflow_state")
    return any(state.finished_by_id != state.workflow_state.requested_by_id for state in states)


class AffectedProduct(Orderable):
    alert = ParentalKey(AlertPage, on_delete=models.CASCADE, related_name="products")
    vendor = models.CharField(_("vendor"), max_length=100)
    product = models.CharField(_("product"), max_length=150)
    versions = models.CharField(_("affected versions"), max_length=200, blank=True)
    fixed_in = models.CharField(_("fixed in"), max_length=100, blank=True)

    panels = [
        FieldRowPanel([FieldPanel("vendor"), FieldPanel("product")]),
        FieldRowPanel([FieldPanel("versions"), FieldPanel("fixed_in")]),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("affected product")
        verbose_name_plural = _("affected products")

    def __str__(self):
        return f"{self.vendor} {self.product} {self.versions}".strip()


class AlertChange(models.Model):
    """One publication of an alert: its status and what changed (readers see the list)."""

    alert = models.ForeignKey(AlertPage, on_delete=models.CASCADE, related_name="changes")
    published_at = models.DateTimeField(_("published at"), default=timezone.now)
    status = models.CharField(_("status"), max_length=10, choices=AlertStatus.choices)
    note = models.CharField(_("what changed"), max_length=300, blank=True)
    revision_id = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["-published_at", "-pk"]
        verbose_name = _("alert publication")
        verbose_name_plural = _("alert publications")

    def __str__(self):
        return f"{self.alert_id} {self.published_at:%Y-%m-%d} {self.status}"


class Acknowledgement(models.Model):
    """One record of an establishment about one alert; the latest is its current answer."""

    alert = models.ForeignKey(AlertPage, on_delete=models.CASCADE, related_name="acknowledgements")
    establishment = models.ForeignKey(
        "accounts.Establishment", on_delete=models.CASCADE, related_name="alert_acknowledgements"
    )
    status = models.CharField(_("status"), max_length=20, choices=AcknowledgementStatus.choices)
    note = models.TextField(_("note"), blank=True, max_length=2000)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="alert_acknowledgements",
    )
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    class Meta:
        ordering = ["-recorded_at", "-pk"]
        verbose_name = _("acknowledgement")
        verbose_name_plural = _("acknowledgements")
        indexes = [
            models.Index(
                fields=["alert", "establishment", "recorded_at"], name="alerts_ack_by_alert"
            )
        ]

    def __str__(self):
        return f"{self.alert_id} {self.establishment_id} {self.status}"


class Subscription(models.Model):
    """A member's choice of alerts; without one, the defaults apply (``services``)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="alert_subscription"
    )
    product_families = CodeSetField(
        _("product families"),
        codes=ProductFamily,
        help_text=_("Leave families and topics empty to receive alerts on any subject."),
    )
    topics = CodeSetField(_("topics"), codes=Topic)
    min_severity = models.CharField(
        _("minimum severity"), max_length=10, choices=Severity.choices, default=Severity.HIGH
    )
    establishment_types = CodeSetField(
        _("establishment types"),
        codes=EstablishmentType,
        help_text=_("Leave empty to receive the alerts concerning any kind of establishment."),
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("alert subscription")
        verbose_name_plural = _("alert subscriptions")

    def __str__(self):
        return f"{self.user_id} ≥ {self.min_severity}"


class WatchItemPage(TlpMarked, PortalPage):
    category = models.CharField(_("category"), max_length=20, choices=WatchCategory.choices)
    source = models.CharField(_("source"), max_length=150)
    source_url = models.URLField(_("link"), blank=True)
    date = models.DateField(_("date"), default=timezone.localdate)
    summary = models.TextField(_("summary"))

    parent_page_types = ["alerts.AlertIndexPage"]
    subpage_types = []
    module_key = "alerts"
    template = "alerts/watch_item_page.html"
    search_fields = Page.search_fields + [index.SearchField("summary"), *ACCESS_SEARCH_FIELDS]
    content_panels = Page.content_panels + [
        FieldRowPanel([FieldPanel("category"), FieldPanel("date")]),
        FieldRowPanel([FieldPanel("source"), FieldPanel("source_url")]),
        FieldPanel("summary"),
        TLP_PANEL,
        InlinePanel(
            "documents",
            heading=_("Documents of the document base this item affects"),
            label=_("Document"),
            help_text=_("Their owners are notified, and they show in the watch review report."),
        ),
    ]

    class Meta:
        verbose_name = _("watch item")
        verbose_name_plural = _("watch items")

    @property
    def search_summary(self) -> str:
        return self.summary


class WatchDocument(Orderable):
    """A document of the document base that a watch item affects."""

    item = ParentalKey(WatchItemPage, on_delete=models.CASCADE, related_name="documents")
    document = models.ForeignKey(
        "wagtailcore.Page", verbose_name=_("document"), on_delete=models.CASCADE, related_name="+"
    )
    reviewed = models.BooleanField(_("reviewed"), default=False)

    panels = [
        PageChooserPanel("document", page_type="docs_base.DocumentPage"),
        FieldPanel("reviewed"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("affected document")
        verbose_name_plural = _("affected documents")


class AttackResponsePage(PortalPage):
    """ "Vous êtes attaqué ?": the first steps, public, edited by staff."""

    intro = models.TextField(_("introduction"))
    first_steps = RichTextField(
        _("first steps"), features=["bold", "italic", "ol", "ul", "link", "h2", "h3"]
    )
    declaration_url = models.URLField(
        _("declaration portal"),
        default="https://signalement.social-sante.gouv.fr/",
        help_text=_("Where an establishment declares an incident to CERT Santé."),
    )
    national_cell = RichTextField(
        _("national incident-support cell"), features=["bold", "italic", "link"]
    )
    oncall_phone = models.CharField(
        _("regional on-call number"),
        max_length=30,
        blank=True,
        help_text=_("Leave empty to show the region's on-call number (its configuration)."),
    )
    regional_contacts = RichTextField(
        _("regional contacts"), features=["bold", "italic", "link", "ul"], blank=True
    )

    parent_page_types = ["portal.HomePage"]
    subpage_types = []
    max_count = 1
    module_key = "attack"
    template = "alerts/attack_page.html"
    search_fields = Page.search_fields + [index.SearchField("intro")]
    content_panels = Page.content_panels + [
        FieldPanel("intro"),
        FieldPanel("first_steps"),
        InlinePanel("sheets", heading=_("First-response sheets"), label=_("Sheet")),
        FieldPanel("declaration_url"),
        FieldPanel("national_cell"),
        FieldPanel("oncall_phone"),
        FieldPanel("regional_contacts"),
    ]

    class Meta:
        verbose_name = _("'Under attack?' page")
        verbose_name_plural = _("'Under attack?' pages")

    def get_context(self, request, *args, **kwargs):
        from alerts import views  # cycle: alerts.views imports these models

        context = super().get_context(request, *args, **kwargs)
        context.update(views.attack_context(request, self))
        return context

    @property
    def phone(self) -> str:
        """The on-call number shown: the page's own, else the region's configuration."""
        return self.oncall_phone or region.current().oncall_phone


class AttackSheet(Orderable):
    page = ParentalKey(AttackResponsePage, on_delete=models.CASCADE, related_name="sheets")
    document = models.ForeignKey(
        "wagtailcore.Page", verbose_name=_("document"), on_delete=models.CASCADE, related_name="+"
    )

    panels = [PageChooserPanel("document", page_type="docs_base.DocumentPage")]


class SecondPersonApprovalTask(GroupApprovalTask):
    """A group approval that the person who submitted the page cannot give themselves."""

    class Meta:
        verbose_name = _("second-person approval")
        verbose_name_plural = _("second-person approvals")

    def user_can_approve(self, obj, user) -> bool:
        state = obj.current_workflow_state
        return state is None or state.requested_by_id != user.pk

    def get_actions(self, obj, user):
        if not self.user_can_approve(obj, user):
            return []
        return super().get_actions(obj, user)

    def on_action(self, task_state, user, action_name, **kwargs):
        if action_name == "approve" and task_state.workflow_state.requested_by_id == user.pk:
            raise PermissionDenied(_("A second person must approve what you submitted."))
        return super().on_action(task_state, user, action_name, **kwargs)

    @classmethod
    def get_description(cls):
        return _("Members of the chosen groups, other than the submitter, approve")
