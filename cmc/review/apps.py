from django.apps import AppConfig


class ReviewConfig(AppConfig):
    name = "cmc.review"
    label = "review"
    verbose_name = "Developing and maintaining a model"

    def ready(self) -> None:
        from cmc.frameworks import panels

        from .views import surveys

        panels.register("framework", "validation", surveys.framework_panel, order=60)
        panels.register("tools", "surveys", surveys.tools_link, order=60)
