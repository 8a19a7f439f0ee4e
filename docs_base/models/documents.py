"""Document base pages and their reader features."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import path
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, Page, PageManager
from wagtail.query import PageQuerySet
from wagtail.search import index

from docs_base.blocks import document_body_blocks, downloaded_document_ids
from portal.access import Role, visible_to
from portal.access.fields import CodeSetField, RoleSetField
from portal.access.models import AccessControlled
from portal.accounts.models import EstablishmentType
from portal.models import PortalPage
from portal.panels import ACCESS_PANEL
from portal.routable import ModuleIndexMixin

__all__ = [
    "DocumentAttachment",
    "DocumentFavourite",
    "DocumentIndexPage",
    "DocumentLanguage",
    "DocumentPage",
    "DocumentSource",
    "DocumentStats",
    "DocumentType",
    "DocumentVote",
    "DocumentWatch",
    "FavouriteListSharing",
    "Theme",
]


class DocumentType(models.TextChoices):
    GUIDE = "guide", _("Guide")
    PROCEDURE = "procedure", _("Procedure")
    TEMPLATE = "template", _("Template")
    FIRST_RESPONSE = "first_response", _("First-response sheet")
    POSTER = "poster", _("Awareness poster")
    VIDEO = "video", _("Video")
    FLYER = "flyer", _("Flyer")
    WEBINAR_REPLAY = "webinar_replay", _("Webinar replay")
    CONTRACT_CLAUSE = "contract_clause", _("Contract clause")


class Theme(models.TextChoices):
    GOVERNANCE = "governance", _("Governance")
    BACKUPS = "backups", _("Backups and continuity")
    IDENTITY = "identity", _("Identity and MFA")
    EMAIL = "email", _("E-mail and phishing")
    NETWORK = "network", _("Network and remote access")
    MEDICAL_DEVICES = "medical_devices", _("Medical devices")
    INCIDENT_RESPONSE = "incident_response", _("Incident response")
    AWARENESS = "awareness", _("Awareness")
    REGULATION = "regulation", _("Regulation")
    PURCHASING = "purchasing", _("Purchasing")


class DocumentSource(models.TextChoices):
    GCS = "gcs", _("GCS")
    ARS = "ars", _("ARS")
    CERT_SANTE = "cert_sante", _("CERT Santé")
    ANSSI = "anssi", _("ANSSI")
    MEMBER = "member", _("Member")


class DocumentLanguage(models.TextChoices):
    FRENCH = "fr", _("French")
    ENGLISH = "en", _("English")


class DocumentIndexPage(ModuleIndexMixin, PortalPage):
    """The catalogue: the documents below it, filtered by facets, for the reader's access.

    The readers' own views hang off it (``portal.routable``): favourites, votes, follow-ups.
    Each route delegates to ``docs_base.documents.views``; a child page slugged like a route
    segment wins. Reverse them with ``docs_base.routes``.
    """

    intro = RichTextField(_("introduction"), features=["bold", "italic", "link"], blank=True)

    parent_page_types = ["portal.HomePage"]
    subpage_types = ["docs_base.DocumentPage"]
    max_count = 1
    module_key = "documents"
    search_fields = Page.search_fields + [index.SearchField("intro")]
    content_panels = Page.content_panels + [FieldPanel("intro")]
    template = "docs_base/documents/index_page.html"

    class Meta:
        verbose_name = _("document catalogue")
        verbose_name_plural = _("document catalogues")

    def get_context(self, request, *args, **kwargs):
        # Not at the top: the catalogue service imports these models (one-way dependency).
        from docs_base.documents import catalogue

        context = super().get_context(request, *args, **kwargs)
        context["catalogue"] = catalogue.browse(request.user, self, request.GET)
        return context

    # Routes (not at the top: the views import these models).
    @path(_("favourites/"), name="favourites")
    def favourites_route(self, request):
        from docs_base.documents import views  # cycle: the views import these models

        return views.favourites(request)

    @path(_("favourites/sharing/"), name="favourites_sharing")
    def favourites_sharing_route(self, request):
        from docs_base.documents import views  # cycle: the views import these models

        return views.favourites_sharing(request)

    @path(_("favourites/<id:user_id>/"), name="shared_favourites")
    def shared_favourites_route(self, request, user_id):
        from docs_base.documents import views  # cycle: the views import these models

        return views.shared_favourites(request, user_id)

    @path(_("documents/<id:page_id>/vote/"), name="vote")
    def vote_route(self, request, page_id):
        from docs_base.documents import views  # cycle: the views import these models

        return views.vote(request, page_id)

    @path(_("documents/<id:page_id>/favourite/"), name="favourite")
    def favourite_route(self, request, page_id):
        from docs_base.documents import views  # cycle: the views import these models

        return views.favourite(request, page_id)

    @path(_("documents/<id:page_id>/watch/"), name="watch")
    def watch_route(self, request, page_id):
        from docs_base.documents import views  # cycle: the views import these models

        return views.watch(request, page_id)


class DocumentPageQuerySet(PageQuerySet):
    def listed(self, user):
        """Live, non-archived documents outside Wagtail privacy that the user may view."""
        return visible_to(user, self.live().public().filter(archived=False))


class DocumentPage(AccessControlled, PortalPage):
    summary = models.TextField(_("summary"), max_length=600)
    body = StreamField(document_body_blocks(), verbose_name=_("body"), blank=True)
    document_type = models.CharField(
        _("content type"), max_length=20, choices=DocumentType.choices, db_index=True
    )
    themes = CodeSetField(_("themes"), codes=Theme)
    audiences = RoleSetField(_("audiences"), help_text=_("The roles this document is written for."))
    establishment_types = CodeSetField(
        _("establishment types"),
        codes=EstablishmentType,
        help_text=_("Leave empty when the document fits every kind of establishment."),
    )
    source = models.CharField(
        _("source"), max_length=20, choices=DocumentSource.choices, default=DocumentSource.GCS
    )
    language = models.CharField(
        _("language"), max_length=5, choices=DocumentLanguage.choices, default="fr"
    )
    last_reviewed_at = models.DateField(
        _("last reviewed"),
        null=True,
        blank=True,
        help_text=_("When the content was last checked as still right (not the last edit)."),
    )
    review_due = models.DateField(
        _("review due"),
        null=True,
        blank=True,
        help_text=_("Date after which the document must be reviewed (or archived)."),
    )
    change_note = models.CharField(
        _("what changed"),
        max_length=300,
        blank=True,
        help_text=_("Shown to readers with this version: say what changed since the last one."),
    )
    archived = models.BooleanField(
        _("archived"),
        default=False,
        help_text=_(
            "Archived documents stay readable by their link, with a banner, but are never "
            "listed, featured or related. Documents are archived, not deleted."
        ),
    )
    featured = models.BooleanField(
        _("featured"),
        default=False,
        help_text=_("Shown first in the catalogue (never while archived)."),
    )
    # Ids of the documents offered by the body's "downloads" blocks, as ",1,2," (set on save):
    # the download view finds the pages that offer a file without reading every body.
    body_document_ids = models.CharField(max_length=1000, blank=True, default="", editable=False)

    objects = PageManager.from_queryset(DocumentPageQuerySet)()

    parent_page_types = ["docs_base.DocumentIndexPage"]
    subpage_types = []
    template = "docs_base/documents/document_page.html"
    search_fields = Page.search_fields + [
        index.SearchField("summary"),
        index.SearchField("body"),
        index.FilterField("access_level"),
        index.FilterField("allowed_roles"),
        index.FilterField("establishment"),
        index.FilterField("archived"),
        index.FilterField("document_type"),
    ]
    content_panels = Page.content_panels + [
        FieldPanel("summary"),
        FieldPanel("body"),
        InlinePanel("attachments", heading=_("Attachments"), label=_("Attachment")),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("document_type"), FieldPanel("source")]),
                FieldPanel("language"),
                FieldPanel("themes"),
                FieldPanel("audiences"),
                FieldPanel("establishment_types"),
            ],
            heading=_("Classification"),
        ),
        MultiFieldPanel(
            [
                FieldPanel(
                    "owner",
                    help_text=_(
                        "Who keeps this document up to date: reminded when its review is due."
                    ),
                ),
                FieldRowPanel([FieldPanel("last_reviewed_at"), FieldPanel("review_due")]),
                FieldPanel("change_note"),
                FieldPanel("archived"),
            ],
            heading=_("Life cycle"),
        ),
    ]
    promote_panels = Page.promote_panels + [FieldPanel("featured")]
    settings_panels = Page.settings_panels + [ACCESS_PANEL]

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")

    def clean(self):
        super().clean()
        errors = {}
        today = timezone.localdate()
        if self.last_reviewed_at and self.last_reviewed_at > today:
            errors["last_reviewed_at"] = _("The last review cannot be in the future.")
        if self.last_reviewed_at and self.review_due and self.review_due < self.last_reviewed_at:
            errors["review_due"] = _("The review due date must come after the last review.")
        if errors:
            raise ValidationError(errors)

    def save(self, *args, **kwargs):
        ids = sorted(downloaded_document_ids(self.body))
        self.body_document_ids = f",{','.join(map(str, ids))}," if ids else ""
        return super().save(*args, **kwargs)

    @property
    def search_summary(self) -> str:
        return self.summary

    @property
    def review_overdue(self) -> bool:
        return bool(self.review_due and self.review_due < timezone.localdate())

    @property
    def theme_items(self) -> list[tuple[str, str]]:
        return [(code, Theme(code).label) for code in sorted(self.themes) if code in Theme.values]

    @property
    def theme_labels(self) -> list[str]:
        return [label for _code, label in self.theme_items]

    @property
    def audience_labels(self) -> list[str]:
        return [Role(code).label for code in sorted(self.audiences) if code in Role.values]

    @property
    def establishment_type_labels(self) -> list[str]:
        return [
            EstablishmentType(code).label
            for code in sorted(self.establishment_types)
            if code in EstablishmentType.values
        ]

    def get_context(self, request, *args, **kwargs):
        # Not at the top: the reader and life-cycle services import these models.
        from docs_base.documents import lifecycle, personal, reader

        context = super().get_context(request, *args, **kwargs)
        context["attachments"] = list(self.attachments.select_related("document"))
        context["changes"] = lifecycle.published_changes(self)
        context["related"] = reader.related_documents(request.user, self)
        # The reader's own state is a personal fragment: the page is cached per audience.
        context["shown"] = personal.ShownDocument.of(self, request)
        return context


class DocumentAttachment(Orderable):
    page = ParentalKey(DocumentPage, on_delete=models.CASCADE, related_name="attachments")
    document = models.ForeignKey(
        "wagtaildocs.Document",
        verbose_name=_("file"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    label = models.CharField(
        _("label"), max_length=200, blank=True, help_text=_("Defaults to the file's title.")
    )

    panels = [FieldPanel("document"), FieldPanel("label")]

    class Meta(Orderable.Meta):
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    @property
    def title(self) -> str:
        return self.label or self.document.title


class DocumentStats(models.Model):
    """Counters kept outside the page: a published revision must not overwrite them."""

    page = models.OneToOneField(
        DocumentPage, on_delete=models.CASCADE, primary_key=True, related_name="stats"
    )
    downloads = models.PositiveIntegerField(_("downloads"), default=0)

    class Meta:
        verbose_name = _("document statistics")
        verbose_name_plural = _("document statistics")

    def __str__(self):
        return f"{self.page_id}: {self.downloads}"


class DocumentVote(models.Model):
    """A "was this helpful?" answer: one per member per published revision."""

    page = models.ForeignKey(DocumentPage, on_delete=models.CASCADE, related_name="votes")
    revision = models.ForeignKey(
        "wagtailcore.Revision", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="document_votes"
    )
    helpful = models.BooleanField(_("helpful"))
    reason = models.TextField(_("reason"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("voted at"), auto_now_add=True)

    class Meta:
        verbose_name = _("helpful vote")
        verbose_name_plural = _("helpful votes")
        constraints = [
            models.UniqueConstraint(fields=["user", "revision"], name="docs_vote_once_per_revision")
        ]

    def __str__(self):
        return f"{self.page_id} / {self.user_id}: {'yes' if self.helpful else 'no'}"


class DocumentFavourite(models.Model):
    page = models.ForeignKey(DocumentPage, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="document_favourites"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("favourite document")
        verbose_name_plural = _("favourite documents")
        constraints = [models.UniqueConstraint(fields=["user", "page"], name="docs_favourite_once")]

    def __str__(self):
        return f"{self.user_id} ★ {self.page_id}"


class FavouriteListSharing(models.Model):
    """A member's favourites, shared with the colleagues of their establishment when set."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="favourite_list_sharing",
    )
    shared = models.BooleanField(_("shared with my establishment"), default=False)

    class Meta:
        verbose_name = _("favourites sharing")
        verbose_name_plural = _("favourites sharing")

    def __str__(self):
        return f"{self.user_id}: {'shared' if self.shared else 'private'}"


class DocumentWatch(models.Model):
    page = models.ForeignKey(DocumentPage, on_delete=models.CASCADE, related_name="watches")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="document_watches"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("watched document")
        verbose_name_plural = _("watched documents")
        constraints = [models.UniqueConstraint(fields=["user", "page"], name="docs_watch_once")]

    def __str__(self):
        return f"{self.user_id} watches {self.page_id}"
