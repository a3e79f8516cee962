from django.apps import AppConfig


class SharingConfig(AppConfig):
    name = "sharing"
    label = "sharing"
    verbose_name = "Sharing"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from plans.signals import help_requested
        from sharing.tasks import queue_help_alert

        help_requested.connect(queue_help_alert, dispatch_uid="sharing.queue_help_alert")
