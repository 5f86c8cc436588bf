from django import forms
from django.conf import settings
from django.core.validators import MaxLengthValidator

from . import languages, public_text
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


class PublicForm(forms.Form):
    """A form on the public response page: labels, choices and error messages in the visitor's language."""

    def __init__(self, *args, lang=public_text.DEFAULT, **kwargs):
        super().__init__(*args, **kwargs)
        text = public_text.texts(lang)
        self.label_suffix = text["label_suffix"]
        for name, field in self.fields.items():
            field.label = text[f"label_{name}"]
            if field.label[-1:] in "?？:：.。!！":
                field.label_suffix = ""
            field.error_messages = {**field.error_messages, "required": text["error_required"],
                                    "invalid_choice": text["error_invalid_choice"]}
            if getattr(field, "max_length", None):
                field.validators = [v for v in field.validators if not isinstance(v, MaxLengthValidator)]
                field.validators.append(MaxLengthValidator(field.max_length, text["error_too_long"]))
            if isinstance(field, forms.ChoiceField):
                # The value sent (and stored) is always the reason code; only the words shown change.
                field.choices = [(value, text[f"{name}_{value}"]) for value, _ in field.choices]


class LookupForm(PublicForm):
    """The public response page's first step."""

    reference = forms.CharField(label="Reference code (on your letter, e.g. K7QW2-XR9MD-4HPZT)", max_length=40)
    zip_code = forms.CharField(label="ZIP code the letter was mailed to", max_length=10)


class ResponseForm(PublicForm):
    reason = forms.ChoiceField(label="What would you like to tell us?", choices=Response.Reason.choices, widget=forms.RadioSelect)
    message = forms.CharField(label="Anything else (optional)", widget=forms.Textarea(attrs={"rows": 4}), required=False, max_length=4000)
    contact = forms.CharField(label="How we can reach you (optional: phone or email)", required=False, max_length=300)
