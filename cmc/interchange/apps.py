from django.apps import AppConfig


class InterchangeConfig(AppConfig):
    name = "cmc.interchange"
    label = "interchange"
    verbose_name = "Interchange: file formats, imports and exports"

    def ready(self) -> None:
        from .esco import finding

        finding.register()
