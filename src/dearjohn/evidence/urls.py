from django.urls import path

from . import api, camera_views, views, zone_views

app_name = "evidence"
urlpatterns = [
    path("captures/", views.capture_list, name="capture_list"),
    path("captures/upload/", views.upload, name="upload"),
    path("captures/<int:pk>/", views.capture_detail, name="capture_detail"),
    path("captures/<int:pk>/reads.json", views.capture_reads, name="capture_reads"),
    path("captures/<int:pk>/original", views.capture_original, name="capture_original"),
    path("captures/<int:pk>/verify", views.capture_verify, name="capture_verify"),
    path("reads/<int:pk>/crop.jpg", views.read_crop, name="read_crop"),
    path("submit/", views.submit, name="submit"),
    path("zones/", zone_views.zone_list, name="zone_list"),
    path("zones/new/", zone_views.zone_create, name="zone_create"),
    path("zones/<int:pk>/", zone_views.zone_edit, name="zone_edit"),
    path("zones/import", zone_views.zone_import, name="zone_import"),
    path("zones/export.geojson", zone_views.zone_export, name="zone_export"),
    path("cameras/", camera_views.camera_list, name="camera_list"),
    path("cameras/new/", camera_views.camera_create, name="camera_create"),
    path("cameras/<int:pk>/", camera_views.camera_edit, name="camera_edit"),
    path("cameras/<int:pk>/token", camera_views.camera_token, name="camera_token"),
    path("cameras/<int:pk>/forget", camera_views.camera_forget_writing, name="camera_forget_writing"),
    path("api/cameras/<int:pk>/captures", api.camera_captures, name="api_camera_captures"),
    path("api/openapi.json", api.openapi, name="api_openapi"),
]
