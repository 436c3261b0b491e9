from django.apps import AppConfig


class FrameworksConfig(AppConfig):
    name = "cmc.frameworks"
    label = "frameworks"

    def ready(self):
        from cmc.core import reference as shipped

        from .reference import load_for_command
        from .search import register_collection

        register_collection()
        shipped.register("frameworks", load_for_command, order=10)
