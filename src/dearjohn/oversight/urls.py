from django.urls import path

from . import views

app_name = "oversight"
urlpatterns = [
    path("", views.audit_log, name="audit_log"),
    path("access/", views.access_log, name="access_log"),
    path("access.csv", views.access_log_csv, name="access_log_csv"),
    path("annual/", views.annual, name="annual_report"),
    path("sharing/", views.sharing, name="sharing"),
    path("sharing/export/", views.export, name="export_case"),
]
