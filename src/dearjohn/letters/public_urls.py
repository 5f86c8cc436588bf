from django.urls import path

from . import public_views

app_name = "respond"
urlpatterns = [
    path("", public_views.start, name="start"),
    path("letter", public_views.form, name="form"),
    path("thanks", public_views.thanks, name="thanks"),
    path("<str:code>", public_views.start, name="start_with_code"),
]
