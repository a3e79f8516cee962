from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PushConfig(AppConfig):
    name = "recovery_support.push"
    label = "push"
    verbose_name = _("Notifications on people's devices")
