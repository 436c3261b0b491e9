from django.apps import AppConfig


class LaddersConfig(AppConfig):
    name = "cmc.ladders"
    label = "ladders"
    verbose_name = "Career ladders and lattices"

    def ready(self):
        from . import reference, search

        search.register_collection()
        reference.register_loader()
