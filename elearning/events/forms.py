"""The forms of the events' and kits' own views (labels in French through gettext)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from portal.access import Role
from portal.uploads import SafeFileField


class DsfrForm(forms.Form):
    """Text inputs carry the DSFR's class."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if not isinstance(field.widget, forms.CheckboxSelectMultiple | forms.RadioSelect):
                field.widget.attrs.setdefault("class", "fr-input")


class MessageForm(DsfrForm):
    subject = forms.CharField(label=_("Subject"), max_length=200)
    body = forms.CharField(
        label=_("Message"), widget=forms.Textarea(attrs={"rows": 5}), max_length=5000
    )


class AttendanceImportForm(forms.Form):
    file = SafeFileField(label=_("CSV file: one e-mail address per line"))

    def clean_file(self):
        uploaded = self.cleaned_data["file"]
        if not uploaded.name.lower().endswith((".csv", ".txt")):
            raise forms.ValidationError(_("Send a CSV file."))
        return uploaded


class SurveyForm(forms.Form):
    rating = forms.TypedChoiceField(
        label=_("Overall, how satisfied are you with this event?"),
        choices=[(n, str(n)) for n in range(5, 0, -1)],
        coerce=int,
        widget=forms.RadioSelect,
        help_text=_("5: very satisfied; 1: not satisfied at all."),
    )
    comment = forms.CharField(
        label=_("Comment (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class LoanRequestForm(DsfrForm):
    starts_on = forms.DateField(label=_("From"), widget=forms.DateInput(attrs={"type": "date"}))
    ends_on = forms.DateField(label=_("To"), widget=forms.DateInput(attrs={"type": "date"}))
    note = forms.CharField(
        label=_("Note for the GCS team (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class SessionReportForm(DsfrForm):
    played_on = forms.DateField(
        label=_("Played on"), widget=forms.DateInput(attrs={"type": "date"})
    )
    players = forms.IntegerField(label=_("Number of players"), min_value=1, max_value=200)
    roles = forms.MultipleChoiceField(
        label=_("Players' roles"), choices=Role.choices, widget=forms.CheckboxSelectMultiple
    )
    duration_minutes = forms.IntegerField(label=_("Duration (minutes)"), min_value=5, max_value=600)
    debrief = forms.CharField(
        label=_("Debrief notes"), max_length=4000, widget=forms.Textarea(attrs={"rows": 5})
    )


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(choices=[("approve", _("Approve")), ("decline", _("Decline"))])
    note = forms.CharField(
        label=_("Note to the requester (optional)"), required=False, max_length=2000
    )
