from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from benchmarks.models import DIMENSIONS, ROLE_SHORT, ReportReason, Review

RATING_CHOICES = [(value, str(value)) for value in range(1, 6)]


class ReviewForm(forms.ModelForm):
    author_role = forms.ChoiceField(label=_("You write as"))
    used_since = forms.DateField(
        label=_("In use since"),
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("The date your establishment started using it."),
    )
    would_recommend = forms.TypedChoiceField(
        label=_("Would you recommend it to a peer?"),
        choices=[("1", _("Yes")), ("0", _("No"))],
        coerce=lambda value: value == "1",
        widget=forms.RadioSelect,
    )

    class Meta:
        model = Review
        fields = [
            "author_role",
            "used_since",
            "usage_scale",
            *[name for name, _label in DIMENSIONS],
            "pros",
            "cons",
            "would_recommend",
            "no_conflict",
            "conflict_statement",
            "show_establishment_name",
        ]
        labels = {
            "no_conflict": _(
                "I declare that neither I nor my establishment has any link with the vendor "
                "(employment, shareholding, paid partnership)."
            ),
            "conflict_statement": _("Otherwise, describe your links with the vendor"),
            "show_establishment_name": _("Show my establishment's name to members"),
        }
        help_texts = {
            "show_establishment_name": _(
                "By default the review is signed with your role, the type of your establishment "
                "and its department only."
            ),
        }
        widgets = {
            **{name: forms.RadioSelect(choices=RATING_CHOICES) for name, _label in DIMENSIONS},
            "pros": forms.Textarea(attrs={"rows": 4}),
            "cons": forms.Textarea(attrs={"rows": 4}),
            "conflict_statement": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, roles=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["author_role"].choices = [(role, ROLE_SHORT[role]) for role in roles]
        if self.instance.pk:
            self.initial["would_recommend"] = "1" if self.instance.would_recommend else "0"
        for name, _label in DIMENSIONS:
            self.fields[name].help_text = _("1 = very poor, 5 = excellent")

    def clean_used_since(self):
        value = self.cleaned_data["used_since"]
        if value > timezone.localdate():
            raise forms.ValidationError(_("The date of first use cannot be in the future."))
        return value

    def clean(self):
        data = super().clean()
        if not data.get("no_conflict") and not (data.get("conflict_statement") or "").strip():
            self.add_error(
                "conflict_statement",
                _("Declare that you have no conflict of interest, or describe your links."),
            )
        return data


class ReportForm(forms.Form):
    reason = forms.ChoiceField(label=_("Reason"), choices=ReportReason.choices)
    comment = forms.CharField(
        label=_("Comment (optional)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
