from django.apps import AppConfig


class SharingConfig(AppConfig):
    name = "sharing"
    label = "sharing"
    verbose_name = "Sharing"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from plans.signals import help_requested
        from recovery_support.push import notices
        from sharing import emails, help_emails
        from sharing.tasks import queue_help_alert

        help_requested.connect(queue_help_alert, dispatch_uid="sharing.queue_help_alert")
        # What the notices of sharing say by email, and when they are no longer wanted.
        notices.register(
            "counselor_note", email=emails.counselor_note_email, wanted=emails.counselor_note_wanted
        )
        notices.register(
            "help_request", email=help_emails.announce_email, wanted=help_emails.announce_wanted
        )
