"""What the portal adds to machina's forums, topics and posts."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from machina.apps.forum.models import Forum

from portal.access.levels import AccessLevel
from portal.access.models import AccessControlled, EstablishmentFamilyAudience


class ForumSpace(EstablishmentFamilyAudience, AccessControlled):
    """A forum as editors declare it in the Wagtail admin: its name and its audience.

    Saving it creates or updates machina's forum; who may read and post follows from the
    access fields and the portal's roles (``forum.permissions``), never from machina's tables.
    """

    forum = models.OneToOneField(
        "forum.Forum", on_delete=models.CASCADE, related_name="space", editable=False
    )
    name = models.CharField(_("name"), max_length=100)
    description = models.TextField(_("description"), blank=True)
    read_only = models.BooleanField(
        _("announcements only"),
        default=False,
        help_text=_("Members read; only moderators and editors start topics and reply."),
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "name"]
        verbose_name = _("forum")
        verbose_name_plural = _("forums")

    def __str__(self):
        return self.name

    def clean(self):
        super().clean()
        if self.access_level == AccessLevel.PUBLIC:
            raise ValidationError(
                {"access_level": _("A forum is for approved members: choose another level.")}
            )

    def save(self, *args, **kwargs):
        if self.forum_id is None:
            self.forum = Forum.objects.create(name=self.name[:100], type=Forum.FORUM_POST)
        elif self.forum.name != self.name:
            self.forum.name = self.name[:100]
            self.forum.save()
        super().save(*args, **kwargs)


class TopicState(models.Model):
    topic = models.OneToOneField(
        "forum_conversation.Topic", on_delete=models.CASCADE, primary_key=True, related_name="state"
    )
    solution = models.ForeignKey(
        "forum_conversation.Post",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    def __str__(self):
        return f"topic {self.topic_id}"


class PostState(models.Model):
    post = models.OneToOneField(
        "forum_conversation.Post", on_delete=models.CASCADE, primary_key=True, related_name="state"
    )
    hidden = models.BooleanField(default=False, db_index=True)
    hidden_reason = models.CharField(max_length=300, blank=True)
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    def __str__(self):
        return f"post {self.post_id}"


class PostRevision(models.Model):
    """The text of a post before an edit (moderators see the history)."""

    post = models.ForeignKey(
        "forum_conversation.Post", on_delete=models.CASCADE, related_name="revisions"
    )
    content = models.TextField()
    edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created"]

    def __str__(self):
        return f"post {self.post_id} @ {self.created}"


class ForumFollow(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="forum_follows"
    )
    forum = models.ForeignKey("forum.Forum", on_delete=models.CASCADE, related_name="followers")
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "forum"], name="one_follow")]

    def __str__(self):
        return f"{self.user_id} → forum {self.forum_id}"


class ReportReason(models.TextChoices):
    SPAM = "spam", _("Spam")
    OFF_TOPIC = "off_topic", _("Off-topic")
    CONFIDENTIAL = "confidential", _("Confidential or health data")
    ABUSIVE = "abusive", _("Abusive")


class ReportStatus(models.TextChoices):
    OPEN = "open", _("Waiting")
    UPHELD = "upheld", _("Post hidden")
    DISMISSED = "dismissed", _("No action needed")


class PostReport(models.Model):
    post = models.ForeignKey(
        "forum_conversation.Post", on_delete=models.CASCADE, related_name="reports"
    )
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    reason = models.CharField(_("reason"), max_length=20, choices=ReportReason.choices)
    comment = models.CharField(_("comment"), max_length=500, blank=True)
    status = models.CharField(
        max_length=20, choices=ReportStatus.choices, default=ReportStatus.OPEN, db_index=True
    )
    created = models.DateTimeField(auto_now_add=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    handled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created"]

    def __str__(self):
        return f"report {self.pk} on post {self.post_id}"
