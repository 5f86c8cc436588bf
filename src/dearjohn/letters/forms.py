from django import forms
from django.conf import settings

from . import languages
from .models import Letter, Response, Suppression


def language_choices():
    return languages.choices(settings.DEARJOHN["LETTERS"]["LANGUAGES"])


class AddressForm(forms.Form):
    name = forms.CharField(label="Owner's name", max_length=200)
    line1 = forms.CharField(label="Street address", max_length=200)
    line2 = forms.CharField(label="Apartment, suite", max_length=200, required=False)
    city = forms.CharField(max_length=100)
    state = forms.CharField(label="State (two letters)", max_length=2)
    zip_code = forms.CharField(label="ZIP code", max_length=10)


class LanguageForm(forms.Form):
    language = forms.ChoiceField(choices=language_choices)


class CancelForm(forms.Form):
    reason = forms.CharField(max_length=300, required=False)


class PrintForm(forms.Form):
    name = forms.SlugField(label="Batch name", max_length=50)


class MailLogForm(forms.Form):
    reference = forms.CharField(label="Reference (type it or scan the QR code)", max_length=200)
    outcome = forms.ChoiceField(choices=[(Letter.Status.RETURNED, "Returned to sender"), (Letter.Status.DELIVERED, "Delivered")],
                                widget=forms.RadioSelect, initial=Letter.Status.RETURNED)


class TemplateForm(forms.Form):
    html = forms.CharField(label="Letter (HTML with {{ variables }})", widget=forms.Textarea(attrs={"rows": 30, "spellcheck": "true"}))
    note = forms.CharField(label="What changed", max_length=300, required=False)


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(choices=[(Response.Decision.UPHELD, "Uphold the letter"),
                                          (Response.Decision.WITHDRAWN, "Withdraw the letter")], widget=forms.RadioSelect)
    note = forms.CharField(label="Note (why)", widget=forms.Textarea(attrs={"rows": 3}), required=False)
    send_apology = forms.BooleanField(label="Send an apology letter (when withdrawing)", required=False, initial=True)


class SuppressionForm(forms.ModelForm):
    class Meta:
        model = Suppression
        fields = ["state", "plate_key", "owner_name", "reason"]
        labels = {"plate_key": "Plate (blank: every vehicle of this owner)",
                  "owner_name": "Owner's name (blank: whoever owns the vehicle)"}

    def clean(self):
        data = super().clean()
        from dearjohn.evidence.models import plate_key

        from .drafting import owner_key

        data["plate_key"] = plate_key(data.get("plate_key") or "")
        data["owner_name"] = owner_key(data.get("owner_name"))
        data["state"] = (data.get("state") or "").upper()
        if not data["plate_key"] and not data["owner_name"]:
            raise forms.ValidationError("Name a plate, an owner, or both.")
        if data["plate_key"] and not data["state"]:
            raise forms.ValidationError("Give the plate's state.")
        return data


class LookupForm(forms.Form):
    """The public response page's first step."""

    reference = forms.CharField(label="Reference code (on your letter, e.g. K7QW2-XR9MD-4HPZT)", max_length=40)
    zip_code = forms.CharField(label="ZIP code the letter was mailed to", max_length=10)


class ResponseForm(forms.Form):
    reason = forms.ChoiceField(label="What would you like to tell us?", choices=Response.Reason.choices, widget=forms.RadioSelect)
    message = forms.CharField(label="Anything else (optional)", widget=forms.Textarea(attrs={"rows": 4}), required=False, max_length=4000)
    contact = forms.CharField(label="How we can reach you (optional: phone or email)", required=False, max_length=300)
