"""The recovery start date moves to the member's account (their day count no longer
waits for reminders to be set up); a check-in keeps the zone it was made in
(plans/days.py), known for those before as the member's zone now; a reminder not
sent because the member had already checked in says so."""

from django.db import migrations, models

TO_ACCOUNT = """
UPDATE recovery_support_user AS u SET recovery_started_on = s.recovery_started_on
FROM plans_checkinschedule AS s
WHERE s.owner_id = u.id AND s.recovery_started_on IS NOT NULL
"""
BACK_TO_SCHEDULE = """
UPDATE plans_checkinschedule AS s SET recovery_started_on = u.recovery_started_on
FROM recovery_support_user AS u WHERE s.owner_id = u.id
"""
ZONE_OF_NOW = """
UPDATE plans_checkin AS c SET time_zone = u.time_zone
FROM recovery_support_user AS u WHERE c.owner_id = u.id
"""


class Migration(migrations.Migration):
    dependencies = [
        ("plans", "0008_help_calls"),
        ("recovery_support", "0007_recovery_count"),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name="reminder",
            name="reminder_status_valid",
        ),
        migrations.RunSQL(TO_ACCOUNT, BACK_TO_SCHEDULE),
        migrations.RemoveField(
            model_name="checkinschedule",
            name="recovery_started_on",
        ),
        migrations.AddField(
            model_name="checkin",
            name="time_zone",
            field=models.CharField(blank=True, editable=False, max_length=64),
        ),
        migrations.RunSQL(ZONE_OF_NOW, migrations.RunSQL.noop),
        migrations.AlterField(
            model_name="reminder",
            name="status",
            field=models.CharField(
                choices=[
                    ("pending", "Pending"),
                    ("sent", "Sent"),
                    ("skipped", "Skipped (too late)"),
                    ("checked_in", "Not sent (already checked in)"),
                ],
                default="pending",
                max_length=10,
            ),
        ),
        migrations.AddConstraint(
            model_name="reminder",
            constraint=models.CheckConstraint(
                condition=models.Q(("status__in", ["pending", "sent", "skipped", "checked_in"])),
                name="reminder_status_valid",
            ),
        ),
    ]
