from django.apps import AppConfig


class VehiclesConfig(AppConfig):
    name = "dearjohn.vehicles"
    label = "vehicles"
