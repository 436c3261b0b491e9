from django.apps import AppConfig


class CredentialsConfig(AppConfig):
    name = "cmc.credentials"
    label = "credentials"
    verbose_name = "Credentials, endorsement and stackable pathways"
