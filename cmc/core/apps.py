from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "cmc.core"
    label = "core"
