from django.apps import AppConfig


class LaddersConfig(AppConfig):
    name = "cmc.ladders"
    label = "ladders"
    verbose_name = "Career ladders and lattices"

    def ready(self):
        from . import reference

        reference.register_loader()
