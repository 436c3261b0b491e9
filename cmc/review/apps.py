from django.apps import AppConfig


class ReviewConfig(AppConfig):
    name = "cmc.review"
    label = "review"
    verbose_name = "Developing and maintaining a model"

    def ready(self) -> None:
        from . import panels

        panels.register()

        from cmc.frameworks import panels as framework_panels
        from cmc.frameworks import publishing

        from .services.process import check_approvals, record_publication
        from .views import surveys

        publishing.register_check("approvals", check_approvals, order=10)
        publishing.register_after("publication", record_publication, order=10)

        framework_panels.register("framework", "validation", surveys.framework_panel, order=60)
        framework_panels.register("tools", "surveys", surveys.tools_link, order=60)
