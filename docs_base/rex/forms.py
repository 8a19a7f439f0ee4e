"""The steps of a member's experience feedback, one form each."""

import datetime
from dataclasses import dataclass

from django import forms
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from docs_base.models import RexSubmission
from portal.access import Tlp

EARLIEST_INCIDENT = datetime.date(2000, 1, 1)
MAX_TIMELINE_STEPS = 30
MAX_DURATION_DAYS = 3650

TLP_HELP = {
    Tlp.CLEAR: gettext_lazy("Everyone, including visitors who are not members."),
    Tlp.GREEN: gettext_lazy("Every approved member of the portal (recommended)."),
    Tlp.AMBER: gettext_lazy(
        "Security officers (RSSI), IT directors, directors and ARS referents of the region."
    ),
    Tlp.AMBER_STRICT: gettext_lazy("Only the members of your establishment."),
    Tlp.RED: gettext_lazy("Only the RSSI and the director of your establishment."),
}


def date_widget():
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def check_date(value):
    if value is None:
        return value
    if value > timezone.localdate():
        raise forms.ValidationError(_("This date is in the future."), code="future")
    if value < EARLIEST_INCIDENT:
        raise forms.ValidationError(
            _("Give a date after %(date)s.") % {"date": EARLIEST_INCIDENT.year}, code="too_old"
        )
    return value


class StepForm(forms.ModelForm):
    required_fields: tuple = ()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in self.required_fields:
            self.fields[name].required = True


class ContextForm(StepForm):
    required_fields = ("title", "summary", "establishment_type")

    class Meta:
        model = RexSubmission
        fields = [
            "title",
            "summary",
            "establishment_type",
            "size_band",
            "department",
            "show_establishment_name",
        ]
        labels = {
            "title": gettext_lazy("Title of your feedback"),
            "show_establishment_name": gettext_lazy(
                "My establishment agrees to be named in this feedback"
            ),
        }
        help_texts = {
            "title": gettext_lazy(
                'For example: "Ransomware on a weekend: 3 weeks in degraded mode". Do not '
                "name your establishment unless it agrees to be named."
            ),
            "show_establishment_name": gettext_lazy(
                "Unticked (the default), the feedback is anonymous: readers see the type, "
                "size and department only."
            ),
        }
        widgets = {"summary": forms.Textarea(attrs={"rows": 3})}


class IncidentForm(StepForm):
    required_fields = ("incident_type", "occurred_on", "detection")

    class Meta:
        model = RexSubmission
        fields = ["incident_type", "occurred_on", "detection", "duration_days"]
        widgets = {"occurred_on": date_widget(), "detection": forms.Textarea(attrs={"rows": 4})}

    def clean_occurred_on(self):
        return check_date(self.cleaned_data.get("occurred_on"))

    def clean_duration_days(self):
        value = self.cleaned_data.get("duration_days")
        if value is not None and value > MAX_DURATION_DAYS:
            raise forms.ValidationError(
                _("Give a duration of at most %(days)s days.") % {"days": MAX_DURATION_DAYS}
            )
        return value


class TimelineStepForm(forms.Form):
    date = forms.DateField(label=gettext_lazy("Date"), required=False, widget=date_widget())
    time = forms.TimeField(
        label=gettext_lazy("Time (optional)"),
        required=False,
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
    )
    description = forms.CharField(
        label=gettext_lazy("What happened"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def clean_date(self):
        return check_date(self.cleaned_data.get("date"))

    def clean(self):
        data = super().clean()
        if data.get("description") and not data.get("date"):
            self.add_error("date", _("Give the date of this step."))
        if data.get("date") and not data.get("description"):
            self.add_error("description", _("Say what happened at this step."))
        return data


class BaseTimelineFormSet(forms.BaseFormSet):
    def steps(self) -> list[dict]:
        """The filled rows, in chronological order, as stored on the submission."""
        steps = []
        for form in self.forms:
            data = getattr(form, "cleaned_data", None) or {}
            if data.get("date") and data.get("description"):
                steps.append(
                    {
                        "date": data["date"].isoformat(),
                        "time": data["time"].strftime("%H:%M") if data.get("time") else "",
                        "description": data["description"].strip(),
                    }
                )
        return sorted(steps, key=lambda step: (step["date"], step["time"]))


def timeline_formset(submission, data=None):
    """The dated steps already given, and a few empty rows for new ones."""
    initial = [
        {
            "date": datetime.date.fromisoformat(step["date"]),
            "time": step.get("time") or None,
            "description": step["description"],
        }
        for step in (submission.timeline or [])
    ]
    extra = max(0, min(3, MAX_TIMELINE_STEPS - len(initial)))
    formset_class = forms.formset_factory(
        TimelineStepForm,
        formset=BaseTimelineFormSet,
        extra=extra,
        max_num=MAX_TIMELINE_STEPS,
        validate_max=True,
        absolute_max=MAX_TIMELINE_STEPS,
    )
    return formset_class(data, initial=initial, prefix="timeline")


class ImpactForm(StepForm):
    class Meta:
        model = RexSubmission
        fields = [
            "impact_patient_care",
            "impact_pay",
            "impact_billing",
            "impact_services_shut_down",
            "impact_data",
            "impact_description",
            "cost_range",
        ]
        widgets = {"impact_description": forms.Textarea(attrs={"rows": 4})}


class LessonsForm(StepForm):
    required_fields = ("lessons_learnt",)

    class Meta:
        model = RexSubmission
        fields = ["what_worked", "what_did_not_work", "lessons_learnt", "recommendations"]
        widgets = {
            name: forms.Textarea(attrs={"rows": 4})
            for name in ("what_worked", "what_did_not_work", "lessons_learnt", "recommendations")
        }


class ReviewForm(StepForm):
    confirm = forms.BooleanField(
        label=gettext_lazy(
            "I have checked that this feedback names no patient and no member of staff, and I "
            "agree to its publication after moderation"
        ),
        required=True,
    )

    class Meta:
        model = RexSubmission
        fields = ["tlp"]
        labels = {"tlp": gettext_lazy("Who may read this feedback once published")}
        widgets = {"tlp": forms.RadioSelect}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["tlp"].help_text = ""

    def tlp_options(self):
        """The radio buttons with the audience each marking reaches."""
        return [(choice, TLP_HELP[Tlp(choice.data["value"])]) for choice in self["tlp"]]


@dataclass(frozen=True)
class Step:
    slug: str
    label: str
    form_class: type

    @property
    def required(self) -> tuple:
        return self.form_class.required_fields


STEPS = [
    Step("context", gettext_lazy("Context"), ContextForm),
    Step("incident", gettext_lazy("Incident and timeline"), IncidentForm),
    Step("impact", gettext_lazy("Impact"), ImpactForm),
    Step("lessons", gettext_lazy("Lessons learnt"), LessonsForm),
    Step("review", gettext_lazy("Review and consent"), ReviewForm),
]
STEPS_BY_SLUG = {step.slug: step for step in STEPS}
