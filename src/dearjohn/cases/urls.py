from django.urls import path

from . import views

app_name = "cases"
urlpatterns = [
    path("", views.case_list, name="case_list"),
    path("<int:pk>/", views.case_detail, name="case_detail"),
    path("<int:pk>/lookup", views.case_lookup, name="case_lookup"),
    path("<int:pk>/vehicle-check", views.case_vehicle_check, name="case_vehicle_check"),
    path("<int:pk>/notes", views.case_note, name="case_note"),
    path("<int:pk>/assign", views.case_assign, name="case_assign"),
    path("review/", views.review_queue, name="review_queue"),
    path("review/next", views.review_next, name="review_next"),
    path("review/<int:pk>/decide", views.review_decide, name="review_decide"),
    path("sightings/<int:pk>/image.jpg", views.sighting_image, name="sighting_image"),
    path("sightings/<int:pk>/crop.jpg", views.sighting_crop, name="sighting_crop"),
    path("observations/new", views.observation_new, name="observation_new"),
    path("policy/", views.policy_page, name="policy"),
    path("policy/new", views.policy_new, name="policy_new"),
]
