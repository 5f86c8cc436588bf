from functools import lru_cache

from django.conf import settings
from django.contrib.auth.decorators import permission_required
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from dearjohn.evidence.models import Zone
from dearjohn.letters.models import Letter
from dearjohn.oversight import audit

from . import charts, deterrence, figures, measure

VIEW = "insights.view_dashboard"
CHARTS = figures.CHARTS


@require_GET
@permission_required(VIEW, raise_exception=True)
def dashboard(request):
    totals = figures.get("totals")
    return render(request, "insights/dashboard.html", {"window": _window(totals), "totals": totals.value, "charts": CHARTS,
                                                        **_age(totals), "time_zone": settings.TIME_ZONE,
                                                        "weeks": settings.DEARJOHN["INSIGHTS"]["DASHBOARD_WEEKS"]})


@require_GET
@permission_required(VIEW, raise_exception=True)
def chart(request, name):
    if name not in CHARTS:
        raise Http404("No such chart.")
    return HttpResponse(figures.get(f"chart:{name}").value, content_type="image/svg+xml")


def _window(stored):
    """The weeks a stored figure covers: they ended when it was computed."""
    return measure.Window.recent(now=stored.computed_at)


def _age(stored):
    """What a page says about how old its figures are."""
    return {"computed_at": stored.computed_at, "refresh_minutes": figures.refresh_minutes()}


@require_GET
@permission_required(VIEW, raise_exception=True)
def zone_map(request):
    stored = figures.get("map")
    drawn = stored.value
    config = settings.DEARJOHN["INSIGHTS"]
    return render(request, "insights/map.html", {"map": drawn, "grid_metres": config["MAP_GRID_METRES"],
                                                 "tiles": bool(config["MAP_TILE_URL"]), "window": _window(stored), **_age(stored),
                                                 "busiest": sorted(drawn.cells, key=lambda c: -c.count)[:10]})


@require_GET
@permission_required(VIEW, raise_exception=True)
def zone_map_svg(request):
    return HttpResponse(figures.get("map").value.svg, content_type="image/svg+xml")


def _report():
    return figures.get("deterrence")


def _slice(report, name):
    """The comparison a chart or export is about: `all`, `zone-<id>` or `kind-<first|repeat>`."""
    if not name or name == "all":
        return report.overall
    if name.startswith("zone-"):
        zone = Zone.objects.filter(pk=name.removeprefix("zone-")).first() if name.removeprefix("zone-").isdigit() else None
        found = [c for c in report.by_zone if zone and c.label == zone.name]
    elif name.startswith("kind-"):
        labels = {kind.value: kind.label for kind in Letter.Kind}
        found = [c for c in report.by_kind if c.label == labels.get(name.removeprefix("kind-"))]
    else:
        found = []
    if not found:
        raise Http404("No such slice of the deterrence figures.")
    return found[0]


@require_GET
@permission_required(VIEW, raise_exception=True)
def deterrence_page(request):
    stored = _report()
    report = stored.value
    zone_ids = dict(Zone.objects.values_list("name", "pk"))
    kinds = {kind.label: kind.value for kind in Letter.Kind}
    slices = ([("all", report.overall)] + [(f"zone-{zone_ids.get(c.label)}", c) for c in report.by_zone]
              + [(f"kind-{kinds[c.label]}", c) for c in report.by_kind])
    slices = [(key, comparison, [comparison.lettered, comparison.comparison]) for key, comparison in slices]
    return render(request, "insights/deterrence.html", {"report": report, "slices": slices, **_age(stored),
                                                         "gap_hours": settings.DEARJOHN["INSIGHTS"]["RETURN_GAP_HOURS"]})


@require_GET
@permission_required(VIEW, raise_exception=True)
def deterrence_chart(request, fmt):
    name = request.GET.get("slice", "all")
    stored = _report()
    comparison = _slice(stored.value, name)
    content_type = {"svg": "image/svg+xml", "png": "image/png"}[fmt]
    if (name, fmt) == ("all", "svg"):
        body = figures.get("deterrence-chart:all:svg").value
    else:
        body = _curve_chart(name, fmt, stored.computed_at, comparison)
    response = HttpResponse(body, content_type=content_type)
    if request.GET.get("download"):
        audit.record("insights.deterrence_export", request=request, format=fmt, slice=name)
        response["Content-Disposition"] = f'attachment; filename="deterrence-{name}.{fmt}"'
    return response


@require_GET
@permission_required(VIEW, raise_exception=True)
def deterrence_csv(request):
    report = _report().value
    audit.record("insights.deterrence_export", request=request, format="csv")
    response = HttpResponse(deterrence.to_csv(report), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="deterrence.csv"'
    return response


@lru_cache(maxsize=32)
def _curve_chart(name, fmt, computed_at, comparison):
    """Other slices and formats, drawn once per process for each stored report."""
    return charts.render(charts.return_curve_chart(comparison), fmt)
