"""Events (webinars, regional days, training sessions) and escape-game kits: Wagtail pages
under one index page, and what members do with them: registrations (with a waiting list),
survey answers, personal calendar feeds, kit loans and session reports."""

import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import path
from wagtail.fields import RichTextField
from wagtail.models import Orderable, Page
from wagtail.search import index

from portal import page_cache
from portal.access import Role, ensure_visible, is_preview
from portal.access.fields import CodeSetField, RoleSetField
from portal.access.models import AccessControlled
from portal.models import PortalPage
from portal.panels import ACCESS_PANEL
from portal.routable import ModuleIndexMixin
from portal.uploads import validate_upload

# The views are imported by the route methods, not here: elearning.events.views imports these
# models (a cycle).


class EventKind(models.TextChoices):
    WEBINAR = "webinar", _("Webinar")
    REGIONAL_DAY = "regional_day", _("Regional day")
    TRAINING = "training", _("Training session")


class EventIndexPage(ModuleIndexMixin, PortalPage):
    """The events and kits page ("Sensibiliser les équipes"): upcoming and past events, the
    kits, and the regional figures computed from registrations, attendance and session
    reports. The members' and staff's own views hang off it."""

    intro = RichTextField(_("introduction"), features=["bold", "italic", "link"], blank=True)
    body = RichTextField(
        _("body"), features=["bold", "italic", "link", "ul", "ol", "h2", "h3"], blank=True
    )

    parent_page_types = ["portal.HomePage"]
    subpage_types = ["elearning.EventPage", "elearning.KitPage"]
    max_count = 1
    module_key = "events"
    template = "elearning/events/index.html"
    search_fields = Page.search_fields + [index.SearchField("intro")]
    content_panels = Page.content_panels + [FieldPanel("intro"), FieldPanel("body")]

    class Meta:
        verbose_name = _("events and kits page")
        verbose_name_plural = _("events and kits pages")

    def serve(self, request, view=None, args=None, kwargs=None):
        if view is None:
            # Places left and the figures change with every registration: never cached.
            return Page.serve(self, request)
        return super().serve(request, view, args, kwargs)

    def get_context(self, request, *args, **kwargs):
        from elearning.events import services  # cycle: services imports these models

        context = super().get_context(request, *args, **kwargs)
        context.update(services.index_context(request.user, self, request.GET))
        return context

    def has_visible_child(self, request, slug: str) -> bool:
        # A route's segment names no child page at all, usually: a plain query settles it
        # before the access model's (``ModuleIndexMixin``'s rule, unchanged).
        exists = Page.objects.child_of(self).filter(slug=slug).exists()
        return exists and super().has_visible_child(request, slug)

    @path("mes-inscriptions/", name="my_events")
    def my_events(self, request):
        from elearning.events import views  # cycle: views imports these models

        return views.my_events(request, self)

    @path("agenda/<str:token>/", name="feed")
    def feed(self, request, token):
        from elearning.events import views  # cycle: views imports these models

        return views.feed(request, self, token)

    @path("prets/", name="loans")
    def loans(self, request):
        from elearning.events import kit_views  # cycle: kit_views imports these models

        return kit_views.loans(request, self)

    @path("prets/<id:loan_id>/decision/", name="loan_decision")
    def loan_decision(self, request, loan_id):
        from elearning.events import kit_views  # cycle: kit_views imports these models

        return kit_views.decide(request, self, loan_id)

    @path("prets/<id:loan_id>/rapport/", name="session_report")
    def session_report(self, request, loan_id):
        from elearning.events import kit_views  # cycle: kit_views imports these models

        return kit_views.session_report(request, self, loan_id)


class EventPage(ModuleIndexMixin, AccessControlled, PortalPage):
    kind = models.CharField(_("type"), max_length=20, choices=EventKind.choices)
    summary = models.TextField(_("summary"), max_length=600)
    starts_at = models.DateTimeField(_("starts at"), help_text=_("Europe/Paris time."))
    ends_at = models.DateTimeField(_("ends at"), help_text=_("Europe/Paris time."))
    online = models.BooleanField(_("online"), default=False)
    place = models.CharField(
        _("place"), max_length=300, blank=True, help_text=_("Address, for an event on site.")
    )
    online_link = models.URLField(
        _("online link"),
        blank=True,
        help_text=_("Shown only to registered participants."),
    )
    capacity = models.PositiveIntegerField(
        _("capacity"), validators=[MinValueValidator(1), MaxValueValidator(100000)]
    )
    audience = CodeSetField(
        _("audience"),
        codes=Role,
        blank=True,
        help_text=_("The roles that may register (empty: every approved member)."),
    )
    programme = RichTextField(_("programme"), features=["bold", "italic", "ul", "ol", "link"])
    speakers = RichTextField(_("speakers"), features=["bold", "italic", "ul"], blank=True)
    registration_closed = models.BooleanField(_("registration closed"), default=False)
    replay = models.ForeignKey(
        "docs_base.DocumentPage",
        verbose_name=_("replay"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_(
            "After the event: the document of the document base holding the replay (it keeps "
            "its own access level). Registered members are notified when it is published."
        ),
    )

    parent_page_types = ["elearning.EventIndexPage"]
    subpage_types = []
    module_key = "events"
    template = "elearning/events/event_page.html"
    search_fields = Page.search_fields + [
        index.SearchField("summary"),
        index.SearchField("programme"),
        index.FilterField("access_level"),
    ]
    content_panels = Page.content_panels + [
        FieldPanel("kind"),
        FieldPanel("summary"),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("starts_at"), FieldPanel("ends_at")]),
                FieldRowPanel([FieldPanel("online"), FieldPanel("place")]),
                FieldPanel("online_link"),
                FieldRowPanel([FieldPanel("capacity"), FieldPanel("registration_closed")]),
                FieldPanel("audience"),
            ],
            heading=_("Practical details"),
        ),
        FieldPanel("programme"),
        FieldPanel("speakers"),
        FieldPanel("replay"),
    ]
    settings_panels = Page.settings_panels + [ACCESS_PANEL]

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")

    def clean(self):
        super().clean()
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            raise ValidationError({"ends_at": _("The event must end after it starts.")})
        if not self.online and not self.place:
            raise ValidationError({"place": _("Give the place, or mark the event online.")})

    @property
    def search_summary(self) -> str:
        return self.summary

    @property
    def is_past(self) -> bool:
        return self.ends_at <= timezone.now()

    @property
    def has_started(self) -> bool:
        return self.starts_at <= timezone.now()

    def serve(self, request, view=None, args=None, kwargs=None):
        from elearning.events import services  # cycle: services imports these models

        ensure_visible(request, self)
        if view is None:
            # Shared per audience; the registration and the online link are the member's
            # personal fragment (``elearning.events.personal``), places left carry a tag.
            response = Page.serve(self, request)
            if is_preview(request):
                return response
            return page_cache.mark_cacheable(response, (services.REGISTRATIONS_TAG,))
        return super().serve(request, view, args, kwargs)

    def get_context(self, request, *args, **kwargs):
        from elearning.events import personal, services  # cycle: they import these models

        context = super().get_context(request, *args, **kwargs)
        context.update(services.event_context(request.user, self))
        context["shown"] = personal.ShownEvent.of(self, context["places_left"], request)
        return context

    @path("inscription/", name="register")
    def register(self, request):
        from elearning.events import views  # cycle: views imports these models

        return views.register(request, self)

    @path("annulation/", name="cancel")
    def cancel(self, request):
        from elearning.events import views  # cycle: views imports these models

        return views.cancel(request, self)

    @path("calendrier/", name="ics")
    def ics(self, request):
        from elearning.events import views  # cycle: views imports these models

        return views.event_ics(request, self)

    @path("participants/", name="participants")
    def participants(self, request):
        from elearning.events import views  # cycle: views imports these models

        return views.participants(request, self)

    @path("participants/import/", name="attendance_import")
    def attendance_import(self, request):
        from elearning.events import views  # cycle: views imports these models

        return views.attendance_import(request, self)

    @path("attestation/", name="certificate")
    def certificate(self, request):
        from elearning.events import views  # cycle: views imports these models

        return views.certificate(request, self)

    @path("satisfaction/", name="survey")
    def survey(self, request):
        from elearning.events import views  # cycle: views imports these models

        return views.survey(request, self)


class RegistrationStatus(models.TextChoices):
    REGISTERED = "registered", _("Registered")
    WAITING = "waiting", _("On the waiting list")
    CANCELLED = "cancelled", _("Cancelled")


ACTIVE_STATUSES = (RegistrationStatus.REGISTERED, RegistrationStatus.WAITING)


def new_certificate_code() -> str:
    return secrets.token_hex(8).upper()


class Registration(models.Model):
    """A member's registration to an event; kept (anonymous) when the account is deleted, so
    the figures keep their counts."""

    event = models.ForeignKey(EventPage, on_delete=models.CASCADE, related_name="registrations")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="event_registrations",
    )
    # Snapshots for the figures, kept when the account is deleted.
    establishment = models.ForeignKey(
        "accounts.Establishment", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    roles = RoleSetField(_("roles"))
    status = models.CharField(
        _("status"), max_length=12, choices=RegistrationStatus.choices, db_index=True
    )
    created_at = models.DateTimeField(_("registered at"), default=timezone.now)
    promoted_at = models.DateTimeField(
        _("promoted from the waiting list at"), null=True, blank=True
    )
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    attended = models.BooleanField(_("attended"), default=False)
    certificate_code = models.CharField(max_length=32, unique=True, default=new_certificate_code)
    # The name printed on the attendance certificate; erased with the account.
    participant_name = models.CharField(max_length=300, blank=True)
    # Set when the account is deleted: one random key for all its registrations, so the
    # figures still count the person once and nothing links the rows to anyone.
    anonymous_key = models.CharField(max_length=32, blank=True, editable=False)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        constraints = [
            models.UniqueConstraint(
                fields=["event", "user"],
                condition=models.Q(status__in=["registered", "waiting"]),
                name="elearning_one_active_registration",
            )
        ]
        indexes = [models.Index(fields=["event", "status", "created_at"])]

    def __str__(self):
        return f"{self.event_id} / {self.user_id}: {self.status}"


class SurveyAnswer(models.Model):
    """The satisfaction survey after an event: one answer per registration."""

    registration = models.OneToOneField(
        Registration, on_delete=models.CASCADE, related_name="survey_answer"
    )
    rating = models.PositiveSmallIntegerField(
        _("rating"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    comment = models.TextField(_("comment"), blank=True, max_length=2000)
    answered_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("survey answer")
        verbose_name_plural = _("survey answers")

    def __str__(self):
        return f"{self.registration_id}: {self.rating}"


def new_feed_token() -> str:
    return secrets.token_urlsafe(32)


class CalendarFeed(models.Model):
    """A member's personal calendar feed: a secret URL; revoking it deletes the row."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feed"
    )
    token = models.CharField(max_length=64, unique=True, default=new_feed_token)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return f"{self.user_id}"


class KitPage(ModuleIndexMixin, AccessControlled, PortalPage):
    """An escape-game kit: the story, what it contains, materials; loans hang off the index."""

    summary = models.TextField(_("summary"), max_length=600)
    duration_minutes = models.PositiveIntegerField(
        _("duration (minutes)"), validators=[MinValueValidator(5), MaxValueValidator(600)]
    )
    players_min = models.PositiveSmallIntegerField(_("minimum players per session"), default=3)
    players_max = models.PositiveSmallIntegerField(_("maximum players per session"), default=6)
    story = RichTextField(_("story"), features=["bold", "italic", "ul", "ol"])
    contents = RichTextField(_("what the kit contains"), features=["bold", "italic", "ul", "ol"])
    facilitators = ParentalManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("facilitators"),
        blank=True,
        related_name="facilitated_kits",
        help_text=_(
            "Members trained to run this game: they, and GCS facilitators, get the facilitator's "
            "guide."
        ),
    )

    parent_page_types = ["elearning.EventIndexPage"]
    subpage_types = []
    module_key = "events"
    template = "elearning/events/kit_page.html"
    search_fields = Page.search_fields + [
        index.SearchField("summary"),
        index.SearchField("story"),
    ]
    content_panels = Page.content_panels + [
        FieldPanel("summary"),
        FieldRowPanel(
            [FieldPanel("duration_minutes"), FieldPanel("players_min"), FieldPanel("players_max")]
        ),
        FieldPanel("story"),
        FieldPanel("contents"),
        InlinePanel("materials", label=_("Materials")),
        FieldPanel("facilitators"),
    ]
    settings_panels = Page.settings_panels + [ACCESS_PANEL]

    class Meta:
        verbose_name = _("escape-game kit")
        verbose_name_plural = _("escape-game kits")

    def clean(self):
        super().clean()
        if self.players_min and self.players_max and self.players_max < self.players_min:
            raise ValidationError({"players_max": _("The maximum is below the minimum.")})

    @property
    def search_summary(self) -> str:
        return self.summary

    def serve(self, request, view=None, args=None, kwargs=None):
        ensure_visible(request, self)
        if view is None:
            # The materials offered and the loan form depend on the member: never cached.
            return Page.serve(self, request)
        return super().serve(request, view, args, kwargs)

    @path("emprunt/", name="loan_request")
    def loan_request(self, request):
        from elearning.events import kit_views  # cycle: kit_views imports these models

        return kit_views.request_loan(request, self)

    @path("materiel/<id:material_id>/", name="material")
    def material(self, request, material_id):
        from elearning.events import kit_views  # cycle: kit_views imports these models

        return kit_views.material(request, self, material_id)

    def get_context(self, request, *args, **kwargs):
        from elearning.events import kits  # cycle: kits imports these models

        context = super().get_context(request, *args, **kwargs)
        context.update(kits.kit_context(request.user, self))
        return context


class KitMaterial(Orderable):
    """A downloadable file of a kit: for approved members who may view the kit, or, for the
    facilitator's guide, for facilitators only. Served only through the kit's own view."""

    kit = ParentalKey(KitPage, on_delete=models.CASCADE, related_name="materials")
    title = models.CharField(_("title"), max_length=200)
    file = models.FileField(_("file"), upload_to="kits/materials/", validators=[validate_upload])
    facilitators_only = models.BooleanField(
        _("facilitator's guide"),
        default=False,
        help_text=_("Only facilitators may download it."),
    )

    panels = [FieldPanel("title"), FieldPanel("file"), FieldPanel("facilitators_only")]

    def __str__(self):
        return self.title


class LoanStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    APPROVED = "approved", _("Approved")
    DECLINED = "declined", _("Declined")
    CANCELLED = "cancelled", _("Cancelled")


# A pending or approved loan holds its dates: an overlapping request is refused.
HOLDING_STATUSES = (LoanStatus.PENDING, LoanStatus.APPROVED)


class KitLoan(models.Model):
    kit = models.ForeignKey(KitPage, on_delete=models.CASCADE, related_name="loans")
    establishment = models.ForeignKey(
        "accounts.Establishment", on_delete=models.PROTECT, related_name="+"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="kit_loans"
    )
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("to"))
    note = models.TextField(_("note"), blank=True, max_length=2000)
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=LoanStatus.choices,
        default=LoanStatus.PENDING,
        db_index=True,
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(_("decision note"), blank=True, max_length=2000)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["starts_on", "pk"]
        verbose_name = _("kit loan")
        verbose_name_plural = _("kit loans")
        indexes = [models.Index(fields=["kit", "status", "starts_on"])]

    def __str__(self):
        return f"{self.kit_id}: {self.starts_on} – {self.ends_on}"


class SessionReport(models.Model):
    """After a session played with a borrowed kit, the establishment's short report."""

    loan = models.ForeignKey(KitLoan, on_delete=models.CASCADE, related_name="reports")
    played_on = models.DateField(_("played on"))
    players = models.PositiveSmallIntegerField(
        _("players"), validators=[MinValueValidator(1), MaxValueValidator(200)]
    )
    roles = RoleSetField(_("players' roles"))
    duration_minutes = models.PositiveSmallIntegerField(
        _("duration (minutes)"), validators=[MinValueValidator(5), MaxValueValidator(600)]
    )
    debrief = models.TextField(_("debrief notes"), max_length=4000)
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["played_on", "pk"]
        verbose_name = _("session report")
        verbose_name_plural = _("session reports")

    def __str__(self):
        return f"{self.loan_id}: {self.played_on}"


__all__ = [
    "CalendarFeed",
    "EventIndexPage",
    "EventMilestone",
    "EventPage",
    "KitLoan",
    "KitMaterial",
    "KitPage",
    "Registration",
    "SessionReport",
    "SurveyAnswer",
]


class EventMilestone(models.Model):
    """A step the every-minute job handled once for one event and start time: the reminders
    ("day", "hour") handed to the notification service, and "ended" (the event re-indexed as
    past). A moved event goes through them again."""

    event = models.ForeignKey(EventPage, on_delete=models.CASCADE, related_name="+")
    stage = models.CharField(max_length=8)  # "day", "hour" or "ended"
    starts_at = models.DateTimeField()
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["event", "stage", "starts_at"], name="elearning_one_event_milestone"
            )
        ]

    def __str__(self):
        return f"{self.event_id}: {self.stage}"
