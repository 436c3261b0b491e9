from django.apps import AppConfig


class FrameworksConfig(AppConfig):
    name = "cmc.frameworks"
    label = "frameworks"
