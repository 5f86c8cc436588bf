import json

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from dearjohn.oversight.audit import record as audit

from . import zones
from .errors import EvidenceError
from .forms import ZoneForm, ZoneImportForm
from .models import Camera, Zone


@permission_required("evidence.view_zone", raise_exception=True)
def zone_list(request):
    rows = [(z, zones.hours_text(z)) for z in Zone.objects.all()]
    return render(request, "evidence/zone_list.html", {"rows": rows, "import_form": ZoneImportForm(),
                                                       "map_data": _map_data(), "time_zone": settings.TIME_ZONE})


def _map_data(editing=None):
    """Every zone and camera for the map; the zone being edited is drawn by the editor instead."""
    return {
        "zones": [{"name": z.name, "boundary": z.boundary, "active": z.is_active}
                  for z in Zone.objects.all() if editing is None or z.pk != editing.pk],
        "cameras": [{"name": c.name, "lat": c.latitude, "lon": c.longitude} for c in Camera.objects.all()],
    }


def _edit(request, zone):
    form = ZoneForm(request.POST or None, instance=zone)
    if request.method == "POST" and form.is_valid():
        created = zone.pk is None
        zone = form.save()
        audit("zone.created" if created else "zone.changed", request=request, obj=zone,
              boundary=zone.boundary, active_hours=zone.active_hours, is_active=zone.is_active)
        messages.success(request, f"Zone “{zone.name}” saved.")
        return redirect("evidence:zone_list")
    return render(request, "evidence/zone_form.html", {"form": form, "zone": zone, "map_data": _map_data(zone)},
                  status=400 if form.errors else 200)


@permission_required("evidence.add_zone", raise_exception=True)
def zone_create(request):
    return _edit(request, Zone())


@permission_required("evidence.change_zone", raise_exception=True)
def zone_edit(request, pk):
    return _edit(request, get_object_or_404(Zone, pk=pk))


@require_POST
@permission_required("evidence.add_zone", raise_exception=True)
@permission_required("evidence.change_zone", raise_exception=True)
def zone_import(request):
    form = ZoneImportForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, "Choose a GeoJSON file to import.")
        return redirect("evidence:zone_list")
    try:
        created, updated = zones.import_geojson(form.cleaned_data["file"].read())
    except EvidenceError as e:
        messages.error(request, f"Nothing imported: {e}")
    else:
        audit("zone.imported", request=request, created=created, updated=updated, filename=form.cleaned_data["file"].name)
        messages.success(request, f"Imported zones: {created} new, {updated} updated.")
    return redirect("evidence:zone_list")


@permission_required("evidence.view_zone", raise_exception=True)
def zone_export(request):
    response = HttpResponse(json.dumps(zones.export_geojson(), indent=2), content_type="application/geo+json")
    response["Content-Disposition"] = 'attachment; filename="zones.geojson"'
    return response
