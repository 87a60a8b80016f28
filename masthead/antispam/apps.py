from django.apps import AppConfig


class AntispamConfig(AppConfig):
    name = "masthead.antispam"
    label = "antispam"
    verbose_name = "Spam filter"
