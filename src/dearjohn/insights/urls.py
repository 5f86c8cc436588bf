from django.urls import path, re_path

from . import views

app_name = "insights"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("charts/<slug:name>.svg", views.chart, name="chart"),
    path("map/", views.zone_map, name="map"),
    path("map.svg", views.zone_map_svg, name="map_svg"),
    path("deterrence/", views.deterrence_page, name="deterrence"),
    path("deterrence.csv", views.deterrence_csv, name="deterrence_csv"),
    re_path(r"^deterrence\.(?P<fmt>svg|png)$", views.deterrence_chart, name="deterrence_chart"),
]
