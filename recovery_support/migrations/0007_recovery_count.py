"""The member's day count on their account (moved from the reminders schedule by
plans 0009): their start date, whether they chose not to give one, and when they
last answered "Start counting again?" after a slip."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("recovery_support", "0006_display_name_one_line"),
    ]

    operations = [
        migrations.AddField(
            model_name="user",
            name="recovery_date_skipped",
            field=models.BooleanField(default=False),
        ),
        migrations.AddField(
            model_name="user",
            name="recovery_started_on",
            field=models.DateField(blank=True, null=True, verbose_name="your recovery start date"),
        ),
        migrations.AddField(
            model_name="user",
            name="slip_answered_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
    ]
