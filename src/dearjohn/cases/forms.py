from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q

from dearjohn.vehicles.models import US_STATES, OwnerLookup

from .models import Case, EvidencePolicy, Observation

STATE_CHOICES = [("", "State")] + [(s, s) for s in sorted(US_STATES)]


class EvidencePolicyForm(forms.ModelForm):
    class Meta:
        model = EvidencePolicy
        fields = ["min_sightings", "min_days", "window_days", "observation_suffices", "rental_handling",
                  "fleet_handling", "government_handling", "cooldown_days", "note"]

    def clean(self):
        data = super().clean()
        sightings, days, window = data.get("min_sightings"), data.get("min_days"), data.get("window_days")
        if sightings is not None and sightings < 1:
            self.add_error("min_sightings", "At least one confirmed sighting is always needed.")
        if None not in (sightings, days) and days > sightings:
            self.add_error("min_days", "Cannot need more different days than sightings.")
        elif None not in (days, window) and days > window:
            self.add_error("min_days", "Cannot need more different days than the window has.")
        return data


class LookupForm(forms.Form):
    purpose = forms.ChoiceField(choices=[("", "Choose a purpose")] + list(OwnerLookup.Purpose.choices))
    case_number = forms.CharField(max_length=30, help_text="The case this lookup is for.")


class VehicleCheckForm(forms.Form):
    result = forms.ChoiceField(choices=[(v, label) for v, label in Case.VehicleCheck.choices if v != Case.VehicleCheck.UNCHECKED],
                               widget=forms.RadioSelect)
    reason = forms.CharField(max_length=300, required=False, label="Reason (needed for 'cannot tell' and 'does not match')")

    def clean(self):
        data = super().clean()
        if data.get("result") in (Case.VehicleCheck.CANNOT_TELL, Case.VehicleCheck.MISMATCH) and not data.get("reason", "").strip():
            self.add_error("reason", "Say what could not be seen, or what does not match.")
        return data


class NoteForm(forms.Form):
    text = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), max_length=5000, label="Add a note")


def assignable_users():
    """People who may work a case: they can change cases."""
    perm = Q(groups__permissions__codename="change_case", groups__permissions__content_type__app_label="cases")
    return get_user_model().objects.filter(is_active=True).filter(perm | Q(is_superuser=True)).distinct().order_by("username")


class AssignForm(forms.Form):
    assigned_to = forms.ModelChoiceField(queryset=None, required=False, empty_label="Nobody", label="Assigned to")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assigned_to"].queryset = assignable_users()


class ObservationForm(forms.ModelForm):
    plate = forms.CharField(max_length=12)
    state = forms.ChoiceField(choices=STATE_CHOICES)

    class Meta:
        model = Observation
        fields = ["observed_at", "text", "solicitation_observed"]
        widgets = {"observed_at": forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
                   "text": forms.Textarea(attrs={"rows": 4})}
        labels = {"observed_at": "When"}

    field_order = ["plate", "state", "observed_at", "text", "solicitation_observed"]
