"""Courses, lessons, quizzes and question banks (Wagtail pages and snippets), and what the
learners do with them: enrolments, lesson completions, quiz attempts, certificates,
assignments, SCORM packages and their runtime state."""

import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import path
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, Page
from wagtail.search import index

from elearning.blocks import lesson_blocks
from portal.access import Role, ensure_visible, is_preview
from portal.access.fields import CodeSetField, RoleSetField
from portal.access.models import AccessControlled
from portal.models import PortalPage
from portal.panels import ACCESS_PANEL
from portal.routable import ModuleIndexMixin


class Level(models.TextChoices):
    BEGINNER = "beginner", _("Beginner")
    INTERMEDIATE = "intermediate", _("Intermediate")
    ADVANCED = "advanced", _("Advanced")


class DurationBand(models.TextChoices):
    """The search facet on a course's duration."""

    SHORT = "short", _("Less than 30 minutes")
    MEDIUM = "medium", _("30 minutes to 2 hours")
    LONG = "long", _("More than 2 hours")


def duration_band(minutes: int) -> str:
    if minutes < 30:
        return DurationBand.SHORT
    return DurationBand.MEDIUM if minutes <= 120 else DurationBand.LONG


class CourseIndexPage(ModuleIndexMixin, PortalPage):
    """The public course catalogue; the learner's and managers' pages hang off it."""

    intro = RichTextField(_("introduction"), features=["bold", "italic", "link"], blank=True)

    parent_page_types = ["portal.HomePage"]
    subpage_types = ["elearning.CoursePage"]
    max_count = 1
    template = "elearning/catalogue.html"
    search_fields = Page.search_fields + [index.SearchField("intro")]
    content_panels = Page.content_panels + [FieldPanel("intro")]

    class Meta:
        verbose_name = _("course catalogue")
        verbose_name_plural = _("course catalogues")

    def get_context(self, request, *args, **kwargs):
        from elearning import services  # cycle: elearning.services imports these models

        context = super().get_context(request, *args, **kwargs)
        context["courses"] = services.catalogue(request.user, self, request.GET)
        context["can_report"] = services.managed_establishment_id(request.user) is not None
        context["sees_regional"] = services.sees_regional_figures(request.user)
        return context

    # The page itself is served by ``PortalPage.serve``: the catalogue shows nothing personal,
    # it may come from the shared page cache.
    # The routes are thin: each calls a view of ``elearning.views`` (``portal.routable``: a
    # child page slugged like a route's first segment wins).
    @path("mes-formations/", name="mine")
    def mine(self, request):
        from elearning import views  # cycle: elearning.views imports these models

        return views.my_courses(request, self)

    @path("certificats/<str:code>/", name="verify")
    def verify(self, request, code):
        from elearning import views  # cycle: elearning.views imports these models

        return views.verify_certificate(request, self, code)

    @path("certificats/<str:code>/pdf/", name="certificate_pdf")
    def certificate_pdf(self, request, code):
        from elearning import views  # cycle: elearning.views imports these models

        return views.certificate_pdf(request, self, code)

    @path("rapports/", name="report")
    def report(self, request):
        from elearning import views  # cycle: elearning.views imports these models

        return views.establishment_report(request, self)

    @path("rapports/export/", name="report_csv")
    def report_csv(self, request):
        from elearning import views  # cycle: elearning.views imports these models

        return views.establishment_report_csv(request, self)

    @path("rapports/region/", name="regional")
    def regional(self, request):
        from elearning import views  # cycle: elearning.views imports these models

        return views.regional_report(request, self)

    @path("scorm/<id:lesson_id>/runtime/", name="scorm_runtime")
    def scorm_runtime(self, request, lesson_id):
        from elearning import scorm  # cycle: elearning.scorm imports these models

        return scorm.runtime(request, self, lesson_id)

    @path("affectations/", name="assign")
    def assign(self, request):
        from elearning import views  # cycle: elearning.views imports these models

        return views.assign(request, self)


class PreviewAsServed:
    """A preview renders as the live page does, through the page's own access checks (where
    ``portal.access.ensure_visible`` lets editors preview drafts), not from the bare template
    without the course's context."""

    def serve_preview(self, request, mode_name):
        return self.serve(request)


class CoursePage(PreviewAsServed, ModuleIndexMixin, AccessControlled, PortalPage):
    summary = models.TextField(_("summary"), max_length=600)
    audience = CodeSetField(
        _("audience"),
        codes=Role,
        help_text=_(
            "The roles this course is written for (it may be taken by any member who may view it)."
        ),
    )
    duration_minutes = models.PositiveIntegerField(
        _("duration (minutes)"), validators=[MinValueValidator(1), MaxValueValidator(6000)]
    )
    level = models.CharField(_("level"), max_length=20, choices=Level.choices)
    objectives = RichTextField(_("objectives"), features=["bold", "italic", "ul", "ol"])
    prerequisites = RichTextField(
        _("prerequisites"), features=["bold", "italic", "ul", "ol", "link"], blank=True
    )
    certificate_validity_months = models.PositiveIntegerField(
        _("certificate validity (months)"),
        default=12,
        validators=[MinValueValidator(1), MaxValueValidator(120)],
        help_text=_("After this many months the learner must take the course again."),
    )

    parent_page_types = ["elearning.CourseIndexPage"]
    subpage_types = ["elearning.LessonPage", "elearning.QuizPage"]
    template = "elearning/course_page.html"
    search_fields = Page.search_fields + [
        index.SearchField("summary"),
        index.SearchField("objectives"),
        index.FilterField("access_level"),
        index.FilterField("allowed_roles"),
        index.FilterField("establishment"),
    ]
    content_panels = Page.content_panels + [
        FieldPanel("summary"),
        MultiFieldPanel(
            [
                FieldPanel("audience"),
                FieldRowPanel([FieldPanel("duration_minutes"), FieldPanel("level")]),
                FieldPanel("certificate_validity_months"),
            ],
            heading=_("Course facts"),
        ),
        FieldPanel("objectives"),
        FieldPanel("prerequisites"),
    ]
    settings_panels = Page.settings_panels + [ACCESS_PANEL]

    class Meta:
        verbose_name = _("course")
        verbose_name_plural = _("courses")

    @property
    def search_summary(self) -> str:
        return self.summary

    @property
    def duration_band(self) -> str:
        return duration_band(self.duration_minutes)

    def lessons(self):
        return LessonPage.objects.child_of(self).live().order_by("path")

    def quiz(self):
        return QuizPage.objects.child_of(self).live().order_by("path").first()

    def serve(self, request, view=None, args=None, kwargs=None):
        ensure_visible(request, self)
        if view is None and is_preview(request):
            return Page.serve(self, request)
        # Shared per audience: enrolment and progress are personal fragments.
        return super().serve(request, view, args, kwargs)

    def get_context(self, request, *args, **kwargs):
        from elearning import services  # cycle: elearning.services imports these models

        context = super().get_context(request, *args, **kwargs)
        context.update(services.course_context(request, self))
        return context

    @path("inscription/", name="enrol")
    def enrol(self, request):
        from elearning import views  # cycle: elearning.views imports these models

        return views.enrol(request, self)

    @path("reprendre/", name="resume")
    def resume(self, request):
        from elearning import views  # cycle: elearning.views imports these models

        return views.resume(request, self)


class ScormPackage(models.Model):
    """A SCORM 1.2 package uploaded by an editor, extracted after the checks of
    ``elearning.scorm.extract``; its files are served only to enrolled members."""

    title = models.CharField(_("title"), max_length=200)
    archive = models.FileField(_("SCORM 1.2 zip file"), upload_to="scorm/archives/")
    folder = models.CharField(_("folder"), max_length=64, editable=False, unique=True)
    launch = models.CharField(_("launch file"), max_length=500, editable=False)
    identifier = models.CharField(_("manifest identifier"), max_length=200, editable=False)
    file_count = models.PositiveIntegerField(_("files"), default=0, editable=False)
    total_bytes = models.PositiveBigIntegerField(_("size (bytes)"), default=0, editable=False)
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    panels = [FieldPanel("title"), FieldPanel("archive")]

    class Meta:
        ordering = ["title"]
        verbose_name = _("SCORM package")
        verbose_name_plural = _("SCORM packages")

    def __str__(self):
        return self.title

    def delete(self, *args, **kwargs):
        from elearning import scorm  # cycle: elearning.scorm imports these models

        result = super().delete(*args, **kwargs)
        scorm.remove_files(self)
        return result


class LessonPage(PreviewAsServed, PortalPage):
    """A lesson of a course: content blocks, or a SCORM 1.2 package played in a sandbox.
    Who may view it is the course's decision."""

    intro = models.TextField(_("introduction"), blank=True, max_length=600)
    body = StreamField(lesson_blocks(), verbose_name=_("body"), blank=True)
    duration_minutes = models.PositiveIntegerField(_("duration (minutes)"), default=5)
    scorm_package = models.ForeignKey(
        ScormPackage,
        verbose_name=_("SCORM package"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="lessons",
        help_text=_(
            "Optional: the lesson plays this package; it is completed when the package "
            "reports 'completed' or 'passed'."
        ),
    )

    parent_page_types = ["elearning.CoursePage"]
    subpage_types = []
    template = "elearning/lesson_page.html"
    search_fields = Page.search_fields + [
        index.SearchField("intro"),
        index.SearchField("body"),
    ]
    content_panels = Page.content_panels + [
        FieldPanel("intro"),
        FieldPanel("duration_minutes"),
        FieldPanel("body"),
        FieldPanel("scorm_package"),
    ]

    class Meta:
        verbose_name = _("lesson")
        verbose_name_plural = _("lessons")

    @property
    def search_summary(self) -> str:
        return self.intro

    def course(self):
        return CoursePage.objects.filter(pk=self.get_parent().pk).first()

    def serve(self, request, *args, **kwargs):
        from elearning import views  # cycle: elearning.views imports these models

        return views.lesson(request, self)


class QuizPage(PreviewAsServed, PortalPage):
    """The final quiz of a course: questions drawn at random from the banks at each attempt."""

    intro = models.TextField(_("introduction"), blank=True)
    pass_mark = models.PositiveSmallIntegerField(
        _("pass mark (%)"), default=80, validators=[MinValueValidator(1), MaxValueValidator(100)]
    )
    max_attempts = models.PositiveSmallIntegerField(
        _("attempt limit"), default=3, help_text=_("0 for no limit.")
    )
    cooldown_minutes = models.PositiveIntegerField(
        _("cooldown between attempts (minutes)"), default=0
    )
    time_limit_minutes = models.PositiveIntegerField(
        _("time limit (minutes)"), null=True, blank=True, help_text=_("Empty for no limit.")
    )

    parent_page_types = ["elearning.CoursePage"]
    subpage_types = []
    template = "elearning/quiz_page.html"
    search_fields = Page.search_fields  # quizzes are not searchable (see search_documents.py)
    content_panels = Page.content_panels + [
        FieldPanel("intro"),
        InlinePanel("draws", label=_("Questions drawn"), min_num=1),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("pass_mark"), FieldPanel("max_attempts")]),
                FieldRowPanel([FieldPanel("cooldown_minutes"), FieldPanel("time_limit_minutes")]),
            ],
            heading=_("Rules"),
        ),
    ]

    class Meta:
        verbose_name = _("quiz")
        verbose_name_plural = _("quizzes")

    def clean(self):
        super().clean()
        parent = self.get_parent() if self.pk else None
        if parent is not None:
            others = QuizPage.objects.child_of(parent).exclude(pk=self.pk)
            if others.exists():
                raise ValidationError(_("A course has only one quiz."))

    def course(self):
        return CoursePage.objects.filter(pk=self.get_parent().pk).first()

    def serve(self, request, *args, **kwargs):
        from elearning import views  # cycle: elearning.views imports these models

        return views.quiz(request, self)


class QuestionBank(models.Model):
    name = models.CharField(_("name"), max_length=200, unique=True)
    description = models.TextField(_("description"), blank=True)

    panels = [FieldPanel("name"), FieldPanel("description")]

    class Meta:
        ordering = ["name"]
        verbose_name = _("question bank")
        verbose_name_plural = _("question banks")

    def __str__(self):
        return self.name


class QuestionKind(models.TextChoices):
    SINGLE = "single", _("Single choice")
    MULTIPLE = "multiple", _("Multiple choice")
    TRUE_FALSE = "true_false", _("True or false")


class Difficulty(models.TextChoices):
    EASY = "easy", _("Easy")
    MEDIUM = "medium", _("Medium")
    HARD = "hard", _("Hard")


class Question(ClusterableModel):
    bank = models.ForeignKey(
        QuestionBank, verbose_name=_("bank"), on_delete=models.CASCADE, related_name="questions"
    )
    text = models.TextField(_("question"))
    kind = models.CharField(_("kind"), max_length=12, choices=QuestionKind.choices)
    category = models.CharField(
        _("category"), max_length=100, db_index=True, help_text=_("E.g. phishing, passwords.")
    )
    difficulty = models.CharField(
        _("difficulty"), max_length=10, choices=Difficulty.choices, default=Difficulty.MEDIUM
    )
    explanation = models.TextField(_("explanation"), blank=True)

    panels = [
        FieldPanel("bank"),
        FieldPanel("text"),
        FieldRowPanel([FieldPanel("kind"), FieldPanel("category"), FieldPanel("difficulty")]),
        FieldPanel("explanation"),
        InlinePanel("answers", label=_("Answers"), min_num=2),
    ]

    class Meta:
        ordering = ["bank", "category", "pk"]
        verbose_name = _("question")
        verbose_name_plural = _("questions")

    def __str__(self):
        return self.text[:80]


class Answer(Orderable):
    question = ParentalKey(Question, on_delete=models.CASCADE, related_name="answers")
    text = models.CharField(_("answer"), max_length=500)
    correct = models.BooleanField(_("correct"), default=False)
    feedback = models.CharField(_("feedback"), max_length=500, blank=True)

    panels = [FieldPanel("text"), FieldPanel("correct"), FieldPanel("feedback")]

    class Meta(Orderable.Meta):
        verbose_name = _("answer")
        verbose_name_plural = _("answers")

    def __str__(self):
        return self.text


class QuizDraw(Orderable):
    """N questions of one category of a bank, drawn at random for each attempt."""

    quiz = ParentalKey(QuizPage, on_delete=models.CASCADE, related_name="draws")
    bank = models.ForeignKey(QuestionBank, verbose_name=_("bank"), on_delete=models.PROTECT)
    category = models.CharField(
        _("category"), max_length=100, blank=True, help_text=_("Empty: any category of the bank.")
    )
    count = models.PositiveSmallIntegerField(
        _("number of questions"), default=5, validators=[MinValueValidator(1)]
    )

    panels = [FieldPanel("bank"), FieldPanel("category"), FieldPanel("count")]

    def __str__(self):
        return f"{self.bank_id} / {self.category or '*'} x {self.count}"


class Enrolment(models.Model):
    """A learner's run through a course. Re-training starts a new one; the old stays."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="enrolments"
    )
    course = models.ForeignKey(CoursePage, on_delete=models.CASCADE, related_name="enrolments")
    # Snapshot for the reports: kept when the account is deleted (then anonymous).
    establishment = models.ForeignKey(
        "accounts.Establishment",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    roles = RoleSetField(_("roles"))
    current = models.BooleanField(default=True)
    started_at = models.DateTimeField(auto_now_add=True)
    last_activity_at = models.DateTimeField(auto_now_add=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    last_lesson = models.ForeignKey(
        LessonPage, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "course"],
                condition=models.Q(current=True),
                name="elearning_one_current_enrolment",
            )
        ]
        indexes = [models.Index(fields=["establishment", "course", "current"])]

    def __str__(self):
        return f"{self.user} — {self.course}"


class LessonCompletion(models.Model):
    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="completions")
    lesson = models.ForeignKey(LessonPage, on_delete=models.CASCADE, related_name="+")
    completed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["enrolment", "lesson"], name="elearning_one_completion")
        ]

    def __str__(self):
        return f"{self.enrolment_id} / {self.lesson_id}"


class QuizAttempt(models.Model):
    """One attempt: the drawn questions and answer order are stored at the start, so the
    grading never depends on what the browser sends beyond the chosen answer ids."""

    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="attempts")
    quiz = models.ForeignKey(QuizPage, on_delete=models.CASCADE, related_name="attempts")
    number = models.PositiveSmallIntegerField()
    seed = models.BigIntegerField()
    # [{"question": id, "answers": [id, ...]}] in display order.
    layout = models.JSONField(default=list)
    # {"<question id>": [answer ids]} as submitted.
    responses = models.JSONField(default=dict, blank=True)
    started_at = models.DateTimeField()
    deadline = models.DateTimeField(null=True, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    score = models.PositiveSmallIntegerField(null=True, blank=True)  # percent
    passed = models.BooleanField(default=False)
    late = models.BooleanField(default=False)

    class Meta:
        ordering = ["enrolment", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["enrolment", "quiz", "number"], name="elearning_attempt_no"
            )
        ]

    def __str__(self):
        return f"{self.enrolment_id} #{self.number}"


def new_certificate_code() -> str:
    return secrets.token_hex(8).upper()


class Certificate(models.Model):
    enrolment = models.OneToOneField(
        Enrolment, on_delete=models.CASCADE, related_name="certificate"
    )
    code = models.CharField(max_length=32, unique=True, default=new_certificate_code)
    learner_name = models.CharField(max_length=300)
    course_title = models.CharField(max_length=255)
    issued_on = models.DateField()
    expires_on = models.DateField(db_index=True)
    # When the reminders were computed as due (so each is sent once).
    reminded_soon_on = models.DateField(null=True, blank=True)
    reminded_expired_on = models.DateField(null=True, blank=True)

    class Meta:
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")

    def __str__(self):
        return f"{self.code} — {self.course_title}"


class Assignment(models.Model):
    """A course a director assigned to a member of their establishment, with a due date."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="course_assignments"
    )
    course = models.ForeignKey(CoursePage, on_delete=models.CASCADE, related_name="assignments")
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    establishment = models.ForeignKey(
        "accounts.Establishment", on_delete=models.CASCADE, related_name="+"
    )
    due_on = models.DateField()
    created_at = models.DateTimeField(auto_now_add=True)
    reminded_on = models.DateField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "course"], name="elearning_one_assignment")
        ]

    def __str__(self):
        return f"{self.user_id} / {self.course_id} ({self.due_on})"


class ScormState(models.Model):
    """The SCORM 1.2 runtime data of one learner in one SCORM lesson, for one enrolment."""

    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="scorm_states")
    lesson = models.ForeignKey(LessonPage, on_delete=models.CASCADE, related_name="+")
    lesson_status = models.CharField(max_length=20, default="not attempted")
    score_raw = models.DecimalField(max_digits=6, decimal_places=2, null=True, blank=True)
    lesson_location = models.CharField(max_length=255, blank=True)
    suspend_data = models.TextField(blank=True)
    total_time = models.CharField(max_length=20, default="0000:00:00")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["enrolment", "lesson"], name="elearning_one_scorm_state"
            )
        ]

    def __str__(self):
        return f"{self.enrolment_id} / {self.lesson_id}: {self.lesson_status}"


__all__ = [
    "Answer",
    "Assignment",
    "Certificate",
    "CourseIndexPage",
    "CoursePage",
    "Enrolment",
    "LessonCompletion",
    "LessonPage",
    "Question",
    "QuestionBank",
    "QuizAttempt",
    "QuizDraw",
    "QuizPage",
    "ScormPackage",
    "ScormState",
]


# Events and escape-game kits live in their own files (``elearning/events/``).
from elearning.events.models import *  # noqa: E402, F403


def _admin_forms():
    # Not at the top: cycle, the forms import these models.
    from elearning.forms import QuestionForm, ScormPackageForm

    ScormPackage.base_form_class = ScormPackageForm
    Question.base_form_class = QuestionForm
