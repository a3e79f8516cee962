from django.apps import AppConfig


class RecoverySupportConfig(AppConfig):
    name = "recovery_support"
    verbose_name = "Recovery Support"
