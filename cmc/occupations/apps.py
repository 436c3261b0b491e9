from django.apps import AppConfig


class OccupationsConfig(AppConfig):
    name = "cmc.occupations"
    label = "occupations"
    verbose_name = "Occupations: O*NET, SOC and wages"

    def ready(self):
        from . import search

        search.register_collection()
