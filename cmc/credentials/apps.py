from django.apps import AppConfig


class CredentialsConfig(AppConfig):
    name = "cmc.credentials"
    label = "credentials"
    verbose_name = "Credentials, endorsement and stackable pathways"

    def ready(self):
        from cmc.core import reference as shipped
        from cmc.frameworks import panels as framework_panels

        from . import panels
        from .reference import load
        from .search import register_collections

        register_collections()
        shipped.register("credentials", load, order=40)
        framework_panels.register("competency", "credentials", panels.competency_panel, order=30)
        framework_panels.register("framework", "endorsed", panels.framework_panel, order=30)
        framework_panels.register("tools", "pathways", panels.tools_link, order=30)
