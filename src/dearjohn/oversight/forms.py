from datetime import datetime, time, timedelta

from django import forms
from django.utils import timezone

from dearjohn.vehicles.models import OwnerLookup

from .access_log import Filters
from .models import Agency, Disclosure


class AccessLogFilterForm(forms.Form):
    user = forms.CharField(required=False, label="User")
    since = forms.DateField(required=False, label="From", widget=forms.DateInput(attrs={"type": "date"}))
    until = forms.DateField(required=False, label="To (inclusive)", widget=forms.DateInput(attrs={"type": "date"}))
    plate = forms.CharField(required=False, label="Plate", max_length=12)
    purpose = forms.ChoiceField(required=False, label="Lookup purpose", choices=[("", "Any")] + list(OwnerLookup.Purpose.choices))
    kind = forms.ChoiceField(required=False, label="Kind", choices=[("", "Lookups and views"), ("lookup", "Owner lookups"), ("view", "Record views")])
    flagged = forms.BooleanField(required=False, label="Flagged only")

    def clean(self):
        data = super().clean()
        if data.get("since") and data.get("until") and data["since"] > data["until"]:
            raise forms.ValidationError("The start date is after the end date.")
        return data

    def filters(self):
        """The report's filters; dates are whole local days."""
        data = self.cleaned_data if self.is_valid() else {}

        def start_of(day):
            return timezone.make_aware(datetime.combine(day, time.min)) if day else None

        return Filters(
            user=data.get("user", "").strip(),
            since=start_of(data.get("since")),
            until=start_of(data["until"] + timedelta(days=1)) if data.get("until") else None,
            plate=data.get("plate", "").strip(),
            purpose=data.get("purpose", ""),
            kind=data.get("kind", ""),
            flagged_only=bool(data.get("flagged")),
        )


class AgencyForm(forms.ModelForm):
    class Meta:
        model = Agency
        fields = ["name", "jurisdiction", "state", "level", "california_public_agency", "contact", "is_active"]


class ExportForm(forms.Form):
    case_number = forms.CharField(max_length=30)
    agency = forms.ModelChoiceField(queryset=Agency.objects.filter(is_active=True), empty_label=None)
    legal_standard = forms.ChoiceField(choices=Disclosure.LegalStandard.choices)
    legal_reference = forms.CharField(max_length=200, label="Reference (warrant, order or request number)")
    purpose = forms.CharField(max_length=300)
