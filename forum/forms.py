import re

from django import forms
from django.utils.translation import gettext_lazy as _

from forum.models import ReportReason
from portal.uploads import SafeFileField

# A French social security number (NIR), and "password: value" pairs.
NIR = re.compile(r"\b[12]\s?\d{2}\s?(0[1-9]|1[0-2])\s?(\d{2}|2[AB])\s?\d{3}\s?\d{3}(\s?\d{2})?\b")
SECRET = re.compile(r"\b(mot de passe|password|mdp|pwd)\s*[:=]\s*\S{4,}", re.IGNORECASE)

CONTENT_HELP = _(
    "Markdown: **bold**, *italics*, [link](https://…), lists with -, `code`. "
    "Mention a member with @first-last."
)


class PostForm(forms.Form):
    content = forms.CharField(
        label=_("Message"),
        help_text=CONTENT_HELP,
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 10, "class": "fr-input"}),
        error_messages={"required": _("Write your message.")},
    )

    attachment = SafeFileField(label=_("Attachment (optional)"), required=False)

    def clean_content(self):
        content = self.cleaned_data["content"].strip()
        if not content:
            raise forms.ValidationError(_("Write your message."))
        if NIR.search(content):
            raise forms.ValidationError(
                _("Your message seems to contain a social security number: remove it.")
            )
        if SECRET.search(content):
            raise forms.ValidationError(
                _("Your message seems to contain a password: remove it, and change it.")
            )
        return content


class TopicForm(PostForm):
    subject = forms.CharField(
        label=_("Title"),
        max_length=200,
        widget=forms.TextInput(attrs={"class": "fr-input"}),
        error_messages={"required": _("Give your topic a title.")},
    )
    field_order = ["subject", "content", "attachment"]


class ReportForm(forms.Form):
    reason = forms.ChoiceField(
        label=_("Reason"),
        choices=ReportReason.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose a reason.")},
    )
    comment = forms.CharField(
        label=_("Comment (optional)"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3, "class": "fr-input"}),
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason shown to the author"),
        required=False,
        max_length=300,
        widget=forms.TextInput(attrs={"class": "fr-input"}),
    )


class MoveForm(forms.Form):
    forum = forms.TypedChoiceField(label=_("Move to"), coerce=int)

    def __init__(self, *args, spaces=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["forum"].choices = [(s.forum_id, s.name) for s in spaces]


class SuspensionForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason (sent to the member)"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4, "class": "fr-input"}),
        error_messages={"required": _("Give the reason sent to the member.")},
    )


class PollForm(forms.Form):
    question = forms.CharField(
        label=_("Question"),
        max_length=255,
        widget=forms.TextInput(attrs={"class": "fr-input"}),
        error_messages={"required": _("Write the question.")},
    )
    options = forms.CharField(
        label=_("Answers"),
        help_text=_("One answer per line, from 2 to 10."),
        widget=forms.Textarea(attrs={"rows": 5, "class": "fr-input"}),
        error_messages={"required": _("Write the answers, one per line.")},
    )
    max_options = forms.IntegerField(
        label=_("How many answers a member may choose"),
        min_value=1,
        max_value=10,
        initial=1,
        error_messages={"invalid": _("Give a number from 1 to 10.")},
    )
    duration = forms.IntegerField(
        label=_("Open for (days, optional)"),
        min_value=1,
        max_value=365,
        required=False,
        error_messages={"invalid": _("Give a number of days from 1 to 365.")},
    )
    user_changes = forms.BooleanField(label=_("Members may change their vote"), required=False)
    hide_results = forms.BooleanField(
        label=_("Hide the results until the poll closes"), required=False
    )

    def clean_options(self):
        lines = [line.strip() for line in self.cleaned_data["options"].splitlines()]
        options = list(dict.fromkeys(line for line in lines if line))
        if not 2 <= len(options) <= 10:
            raise forms.ValidationError(_("Give from 2 to 10 different answers, one per line."))
        if any(len(option) > 255 for option in options):
            raise forms.ValidationError(_("An answer is at most 255 characters long."))
        return options

    def clean(self):
        data = super().clean()
        options, most = data.get("options"), data.get("max_options")
        if options and most and most > len(options):
            self.add_error("max_options", _("At most as many as there are answers."))
        return data
