from django.urls import path

from . import views

app_name = "evidence"
urlpatterns = [
    path("", views.capture_list, name="capture_list"),
]
