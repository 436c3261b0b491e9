from django.apps import AppConfig


class FrameworksConfig(AppConfig):
    name = "cmc.frameworks"
    label = "frameworks"

    def ready(self):
        from .search import register_collection

        register_collection()
