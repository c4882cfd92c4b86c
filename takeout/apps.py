from django.apps import AppConfig


class TakeoutConfig(AppConfig):
    name = "takeout"
    verbose_name = "exports and calendar feed"
