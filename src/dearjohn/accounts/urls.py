from django.urls import path

from . import keys, views
from .middleware import mfa_exempt

app_name = "accounts"

urlpatterns = [
    path("verify/", views.verify, name="verify"),
    path("enrol/", views.enrol, name="enrol"),
    path("verify/key/begin/", mfa_exempt(keys.VerifyKeyBegin.as_view()), name="key_verify_begin"),
    path("verify/key/complete/", mfa_exempt(keys.VerifyKeyComplete.as_view()), name="key_verify_complete"),
    path("security/", views.recovery_codes, name="recovery_codes"),
    path("security/keys/", views.security_keys, name="security_keys"),
    path("security/keys/add/begin/", keys.AddKeyBegin.as_view(), name="key_add_begin"),
    path("security/keys/add/complete/", keys.AddKeyComplete.as_view(), name="key_add_complete"),
    path("keepalive/", views.keepalive, name="keepalive"),
    path("staff/", views.staff, name="staff"),
    path("staff/action/", views.staff_action, name="staff_action"),
]
