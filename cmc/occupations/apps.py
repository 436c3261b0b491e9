from django.apps import AppConfig


class OccupationsConfig(AppConfig):
    name = "cmc.occupations"
    label = "occupations"
    verbose_name = "Occupations: O*NET, SOC and wages"

    def ready(self):
        from . import panels, reference, search, statements

        search.register_collection()
        panels.register()
        statements.register_source()
        reference.register_loader()
