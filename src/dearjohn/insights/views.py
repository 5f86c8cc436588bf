from django.conf import settings
from django.contrib.auth.decorators import permission_required
from django.core.cache import cache
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from dearjohn.evidence.models import Zone
from dearjohn.letters.models import Letter
from dearjohn.oversight import audit

from . import charts, deterrence, measure, zonemap

VIEW = "insights.view_dashboard"

CHARTS = {
    "weekly": ("Sightings per week, by zone",
               lambda w: charts.weekly_chart(measure.weekly_sightings(w))),
    "heatmap": ("Sightings by weekday and hour",
                lambda w: charts.heatmap_chart(measure.weekday_hour(w))),
    "review": ("Review backlog and time to review",
               lambda w: charts.review_chart(measure.review_backlog(w), measure.review_speed(w))),
    "letters": ("Letters drafted, approved, mailed and returned",
                lambda w: charts.monthly_chart(measure.monthly_letters(w), "No letters in this period.")),
    "responses": ("Responses from recipients, and their outcome",
                  lambda w: charts.monthly_chart(measure.monthly_responses(w), "No responses in this period.")),
}


def cached(key, make):
    """Keep an expensive result for INSIGHTS["CACHE_SECONDS"]: figures a few minutes old are fine here."""
    seconds = settings.DEARJOHN["INSIGHTS"]["CACHE_SECONDS"]
    if not seconds:
        return make()
    key = f"insights:{key}"
    value = cache.get(key)
    if value is None:
        value = make()
        cache.set(key, value, seconds)
    return value


@require_GET
@permission_required(VIEW, raise_exception=True)
def dashboard(request):
    window = measure.Window.recent()
    totals = cached("totals", lambda: measure.totals(window))
    return render(request, "insights/dashboard.html", {"window": window, "totals": totals, "charts": CHARTS,
                                                        "time_zone": settings.TIME_ZONE,
                                                        "weeks": settings.DEARJOHN["INSIGHTS"]["DASHBOARD_WEEKS"]})


@require_GET
@permission_required(VIEW, raise_exception=True)
def chart(request, name):
    if name not in CHARTS:
        raise Http404("No such chart.")
    svg = cached(f"chart:{name}", lambda: charts.render(CHARTS[name][1](measure.Window.recent())))
    return HttpResponse(svg, content_type="image/svg+xml")


def _zone_map():
    return cached("map", lambda: zonemap.draw(measure.Window.recent()))


@require_GET
@permission_required(VIEW, raise_exception=True)
def zone_map(request):
    drawn = _zone_map()
    config = settings.DEARJOHN["INSIGHTS"]
    return render(request, "insights/map.html", {"map": drawn, "grid_metres": config["MAP_GRID_METRES"],
                                                 "tiles": bool(config["MAP_TILE_URL"]), "window": measure.Window.recent(),
                                                 "busiest": sorted(drawn.cells, key=lambda c: -c.count)[:10]})


@require_GET
@permission_required(VIEW, raise_exception=True)
def zone_map_svg(request):
    return HttpResponse(_zone_map().svg, content_type="image/svg+xml")


def _report():
    return cached("deterrence", deterrence.analyse)


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
    report = _report()
    zone_ids = dict(Zone.objects.values_list("name", "pk"))
    kinds = {kind.label: kind.value for kind in Letter.Kind}
    slices = ([("all", report.overall)] + [(f"zone-{zone_ids.get(c.label)}", c) for c in report.by_zone]
              + [(f"kind-{kinds[c.label]}", c) for c in report.by_kind])
    slices = [(key, comparison, [comparison.lettered, comparison.comparison]) for key, comparison in slices]
    return render(request, "insights/deterrence.html", {"report": report, "slices": slices,
                                                         "gap_hours": settings.DEARJOHN["INSIGHTS"]["RETURN_GAP_HOURS"]})


@require_GET
@permission_required(VIEW, raise_exception=True)
def deterrence_chart(request, fmt):
    name = request.GET.get("slice", "all")
    comparison = _slice(_report(), name)
    content_type = {"svg": "image/svg+xml", "png": "image/png"}[fmt]
    body = cached(f"deterrence-chart:{name}:{fmt}", lambda: charts.render(charts.return_curve_chart(comparison), fmt))
    response = HttpResponse(body, content_type=content_type)
    if request.GET.get("download"):
        audit.record("insights.deterrence_export", request=request, format=fmt, slice=name)
        response["Content-Disposition"] = f'attachment; filename="deterrence-{name}.{fmt}"'
    return response


@require_GET
@permission_required(VIEW, raise_exception=True)
def deterrence_csv(request):
    report = _report()
    audit.record("insights.deterrence_export", request=request, format="csv")
    response = HttpResponse(deterrence.to_csv(report), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="deterrence.csv"'
    return response
