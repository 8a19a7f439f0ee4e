from django import forms
from django.utils.translation import gettext_lazy as _

from portal import region
from portal.access.roles import Role
from portal.accounts import services
from portal.accounts.models import Establishment, EstablishmentType, MemberProfile
from portal.accounts.validators import validate_finess
from portal.notifications import forms as notification_forms


class MembershipSignupForm(forms.Form):
    """Extra sign-up fields: who the person is, their establishment and their role."""

    first_name = forms.CharField(label=_("First name"), max_length=150)
    last_name = forms.CharField(label=_("Last name"), max_length=150)
    establishment = forms.ModelChoiceField(
        label=_("Your establishment"),
        queryset=Establishment.objects.filter(validated=True),
        required=False,
        empty_label=_("— My establishment is not in the list —"),
    )
    new_establishment_name = forms.CharField(
        label=_("Name of your establishment (if not in the list)"), required=False, max_length=200
    )
    new_establishment_finess = forms.CharField(
        label=_("Its FINESS number"), required=False, max_length=9
    )
    new_establishment_kind = forms.ChoiceField(
        label=_("Its type"), required=False, choices=[("", "—"), *EstablishmentType.choices]
    )
    new_establishment_department = forms.ChoiceField(label=_("Its department"), required=False)
    roles = forms.MultipleChoiceField(
        label=_("Your role"),
        choices=[
            (value, label) for value, label in Role.choices if value in services.SELF_SERVICE_ROLES
        ],
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["new_establishment_department"].choices = [
            ("", "—"),
            *region.current().department_choices,
        ]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("establishment"):
            return cleaned
        required = {
            "new_establishment_name": _("Give the name of your establishment."),
            "new_establishment_finess": _("Give its FINESS number."),
            "new_establishment_kind": _("Choose its type."),
            "new_establishment_department": _("Choose its department."),
        }
        for name, message in required.items():
            if not cleaned.get(name):
                self.add_error(name, message)
        finess = (cleaned.get("new_establishment_finess") or "").strip().upper()
        if finess:
            try:
                validate_finess(finess)
            except forms.ValidationError as error:
                self.add_error("new_establishment_finess", error)
            else:
                if Establishment.objects.filter(finess=finess).exists():
                    self.add_error(
                        "new_establishment_finess",
                        _("This establishment is already known: choose it from the list."),
                    )
        return cleaned

    def signup(self, request, user):
        data = self.cleaned_data
        user.first_name, user.last_name = data["first_name"], data["last_name"]
        user.save(update_fields=["first_name", "last_name"])
        establishment = data.get("establishment") or Establishment.objects.create(
            name=data["new_establishment_name"],
            finess=data["new_establishment_finess"],
            kind=data["new_establishment_kind"],
            department=data["new_establishment_department"],
            validated=False,
        )
        services.register_member(user, establishment, set(data["roles"]), request)


class DecisionForm(forms.Form):
    """A regional administrator's decision on a request, or on an approval by e-mail domain."""

    ACTIONS = (
        ("approve", _("Approve")),
        ("reject", _("Reject")),
        ("keep", _("Keep")),
        ("revoke", _("Revoke")),
    )
    NEEDS_REASON = ("reject", "revoke")
    profile = forms.IntegerField(widget=forms.HiddenInput)
    action = forms.ChoiceField(choices=ACTIONS)
    reason = forms.CharField(
        label=_("Reason (sent to the person)"), required=False, max_length=2000
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("action") in self.NEEDS_REASON and not cleaned.get("reason", "").strip():
            self.add_error(
                "reason", _("Give the reason for the rejection: it is sent to the person.")
            )
        return cleaned


class ClaimDecisionForm(forms.Form):
    """Confirm or decline a member's claim to a security role."""

    ACTIONS = (("confirm", _("Confirm")), ("decline", _("Decline")))
    claim = forms.IntegerField(widget=forms.HiddenInput)
    action = forms.ChoiceField(choices=ACTIONS)
    reason = forms.CharField(
        label=_("Reason (sent to the person)"), required=False, max_length=2000
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("action") == "decline" and not cleaned.get("reason", "").strip():
            self.add_error("reason", _("Give the reason for declining: it is sent to the person."))
        return cleaned


class SuspensionForm(forms.Form):
    email = forms.EmailField(label=_("E-mail address of the member"))
    reason = forms.CharField(label=_("Reason (sent to the member)"), max_length=2000)


class ProfileForm(forms.ModelForm):
    """Name, and the notification preferences table (one channel per kind)."""

    first_name = forms.CharField(label=_("First name"), max_length=150)
    last_name = forms.CharField(label=_("Last name"), max_length=150)

    class Meta:
        model = MemberProfile
        fields = []

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["first_name"].initial = user.first_name
        self.fields["last_name"].initial = user.last_name
        notification_forms.add_preference_fields(self, user)

    def name_fields(self):
        return [self["first_name"], self["last_name"]]

    def preference_rows(self):
        return notification_forms.preference_rows(self)

    def channel_labels(self):
        return notification_forms.channel_labels()

    def save(self, commit=True):
        self.user.first_name = self.cleaned_data["first_name"]
        self.user.last_name = self.cleaned_data["last_name"]
        self.user.save(update_fields=["first_name", "last_name"])
        notification_forms.save_preferences(self, self.user)
        return super().save(commit)
