from django.apps import AppConfig


class AnalysisConfig(AppConfig):
    name = "cmc.analysis"
    label = "analysis"
    verbose_name = "Analysis: worksheets, gaps and crosswalks"
