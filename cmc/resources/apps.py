from django.apps import AppConfig


class ResourcesConfig(AppConfig):
    name = "cmc.resources"
    label = "resources"
    verbose_name = "Resources: the clearinghouse's competency-based resources"

    def ready(self):
        from cmc.core import reference as shipped

        from . import panels, reference
        from .search import register_collection

        register_collection()
        panels.register_panels()
        # After the frameworks (order 10): the case studies are aligned to them.
        shipped.register("resources", reference.load, order=40)
