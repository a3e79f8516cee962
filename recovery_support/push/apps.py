from django.apps import AppConfig


class PushConfig(AppConfig):
    name = "recovery_support.push"
    label = "push"
    verbose_name = "Notifications on people's devices"
