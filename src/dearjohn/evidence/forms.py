from django import forms

from . import zones
from .errors import EvidenceError
from .models import Camera, Zone


class DateTimeLocalInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


class UploadForm(forms.Form):
    """What an officer adds to the files; each file's own EXIF time and place come first."""

    taken_at = forms.DateTimeField(
        label="When were they taken?", required=False, widget=DateTimeLocalInput(),
        help_text="Used only for files without a time in them (the program reads it from photos when it is there).")
    latitude = forms.FloatField(required=False, min_value=-90, max_value=90, widget=forms.NumberInput(attrs={"step": "any"}))
    longitude = forms.FloatField(required=False, min_value=-180, max_value=180, widget=forms.NumberInput(attrs={"step": "any"}))
    note = forms.CharField(required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 2}))

    def clean(self):
        data = super().clean()
        if (data.get("latitude") is None) != (data.get("longitude") is None):
            raise forms.ValidationError("Give both latitude and longitude, or neither.")
        return data


class PublicSubmissionForm(forms.Form):
    """The public page asks only what it needs: the file, when, which street, and an optional note."""

    file = forms.FileField(label="Photo or video")
    taken_at = forms.DateTimeField(label="When was it taken?", required=False, widget=DateTimeLocalInput(),
                                   help_text="Needed if your photo does not carry the time itself (videos always need it).")
    zone = forms.ModelChoiceField(label="Where?", queryset=Zone.objects.filter(is_active=True), required=False,
                                  empty_label="— choose the street —",
                                  help_text="Used if your photo does not carry its location.")
    note = forms.CharField(label="Anything else we should know? (optional)", required=False, max_length=1000,
                           widget=forms.Textarea(attrs={"rows": 3}))


class HoursField(forms.CharField):
    """One weekday's spans as people write them: "20:00-04:00, 12:00-13:00"."""

    def to_python(self, value):
        value = super().to_python(value).strip()
        if not value:
            return []
        spans = []
        for part in value.replace("–", "-").split(","):
            bits = [b.strip() for b in part.split("-")]
            if len(bits) != 2:
                raise forms.ValidationError(f"{part.strip()!r}: write a span as start-end, e.g. 20:00-04:00.")
            spans.append(bits)
        return spans


class ZoneForm(forms.ModelForm):
    boundary = forms.CharField(widget=forms.Textarea(attrs={"rows": 4, "class": "geojson"}),
                               help_text="GeoJSON Polygon (longitude, latitude). Draw it on the map or paste it here.")

    class Meta:
        model = Zone
        fields = ["name", "description", "boundary", "is_active"]
        widgets = {"description": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        import json

        hours = self.instance.active_hours if self.instance.pk else {}
        for day in zones.WEEKDAYS:
            self.fields[f"hours_{day}"] = HoursField(
                label=day.capitalize(), required=False,
                initial=", ".join(f"{a}-{b}" for a, b in hours.get(day, [])))
        if self.instance.pk:
            self.initial["boundary"] = json.dumps(self.instance.boundary)

    def hours_fields(self):
        return [self[f"hours_{day}"] for day in zones.WEEKDAYS]

    def clean_boundary(self):
        try:
            return zones.clean_boundary(self.cleaned_data["boundary"])
        except EvidenceError as e:
            raise forms.ValidationError(str(e)) from None

    def clean(self):
        data = super().clean()
        try:
            self.instance.active_hours = zones.clean_hours(
                {day: data.get(f"hours_{day}") or [] for day in zones.WEEKDAYS})
        except EvidenceError as e:
            raise forms.ValidationError(str(e)) from None
        return data


class ZoneImportForm(forms.Form):
    file = forms.FileField(label="GeoJSON file")


class CameraForm(forms.ModelForm):
    class Meta:
        model = Camera
        fields = ["name", "street", "latitude", "longitude", "facing", "zone", "is_active"]
