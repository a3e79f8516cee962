from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RecoverySupportConfig(AppConfig):
    name = "recovery_support"
    verbose_name = _("Recovery Support")

    def ready(self) -> None:
        from recovery_support import arrays

        arrays.register()
