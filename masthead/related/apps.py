from django.apps import AppConfig


class RelatedConfig(AppConfig):
    name = "masthead.related"
    label = "related"
    verbose_name = "Related stories"
