"""The module's forms: the alert's admin form, acknowledgements and subscriptions."""

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminPageForm

from alerts.severity import Severity
from portal.access import Tlp
from portal.accounts.models import EstablishmentType

RESTRICTED_MARKINGS = {Tlp.AMBER, Tlp.AMBER_STRICT, Tlp.RED}


class AlertPageForm(WagtailAdminPageForm):
    """Says, in French, why an AMBER+ alert cannot be published at once (the model refuses it
    anyway: ``AlertPage.publish``)."""

    def clean(self):
        cleaned = super().clean()
        if self.data.get("action-publish") and cleaned.get("tlp") in RESTRICTED_MARKINGS:
            self.add_error(
                "tlp",
                _(
                    "TLP:AMBER and above need a second editor's approval: submit the alert "
                    "for approval instead of publishing it."
                ),
            )
        return cleaned


class AcknowledgementForm(forms.Form):
    status = forms.ChoiceField(label=_("Your establishment's answer"), widget=forms.RadioSelect)
    note = forms.CharField(
        label=_("Note (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Seen only by your establishment, the regional team and the ARS referent."),
    )

    def __init__(self, *args, **kwargs):
        # cycle: the models import this module (the admin form above).
        from alerts.models import AcknowledgementStatus

        super().__init__(*args, **kwargs)
        self.fields["status"].choices = AcknowledgementStatus.choices


class SubscriptionForm(forms.Form):
    product_families = forms.MultipleChoiceField(
        label=_("Product families"), required=False, widget=forms.CheckboxSelectMultiple
    )
    topics = forms.MultipleChoiceField(
        label=_("Topics"), required=False, widget=forms.CheckboxSelectMultiple
    )
    min_severity = forms.ChoiceField(label=_("Minimum severity"))
    establishment_types = forms.MultipleChoiceField(
        label=_("Establishment types"), required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, **kwargs):
        # cycle: the models import this module (the admin form above).
        from alerts.models import ProductFamily, Topic

        super().__init__(*args, **kwargs)
        self.fields["product_families"].choices = ProductFamily.choices
        self.fields["topics"].choices = Topic.choices
        self.fields["min_severity"].choices = [c for c in Severity.choices if c[0] != Severity.NONE]
        self.fields["establishment_types"].choices = EstablishmentType.choices
