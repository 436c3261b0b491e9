from django.apps import AppConfig


class ResourcesConfig(AppConfig):
    name = "cmc.resources"
    label = "resources"
    verbose_name = "Resources: the clearinghouse's competency-based resources"
