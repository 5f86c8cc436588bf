from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from dearjohn.accounts.middleware import mfa_exempt

from dearjohn.oversight import views as oversight_views

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.health, name="health"),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", mfa_exempt(auth_views.LogoutView.as_view()), name="logout"),
    path("accounts/", include("dearjohn.accounts.urls")),
    path("", include("dearjohn.evidence.urls")),  # captures/, zones/, cameras/, submit/, api/
    path("audit/", include("dearjohn.oversight.urls")),
    path("policy/", oversight_views.public_policy, name="public_policy"),
    path("insights/", include("dearjohn.insights.urls")),
    path("cases/", include("dearjohn.cases.urls")),
    path("letters/", include("dearjohn.letters.urls")),
    path("r/", include("dearjohn.letters.public_urls")),  # the public response page printed on letters
    path("admin/", admin.site.urls),
]

handler400 = "dearjohn.site.errors.bad_request"
handler403 = "dearjohn.site.errors.permission_denied"
handler404 = "dearjohn.site.errors.page_not_found"
handler500 = "dearjohn.site.errors.server_error"
