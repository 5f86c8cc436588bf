from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("verify/", views.verify, name="verify"),
    path("enrol/", views.enrol, name="enrol"),
    path("security/", views.recovery_codes, name="recovery_codes"),
    path("keepalive/", views.keepalive, name="keepalive"),
    path("staff/", views.staff, name="staff"),
    path("staff/action/", views.staff_action, name="staff_action"),
]
