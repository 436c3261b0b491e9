from django.apps import AppConfig


class ReviewConfig(AppConfig):
    name = "cmc.review"
    label = "review"
    verbose_name = "Developing and maintaining a model"

    def ready(self) -> None:
        from . import panels

        panels.register()
