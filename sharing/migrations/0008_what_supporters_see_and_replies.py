"""What a member shows each supporter from their plan, on as before for the goals
they share, and their day count, off until they turn it on (issue 15 item 5); and the
member's reply to a supporter's message."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("sharing", "0007_reviews_read_comment_threads_digests"),
    ]

    operations = [
        migrations.AddField(
            model_name="grant",
            name="show_plan",
            field=models.BooleanField(
                default=True, verbose_name="show them what I share with supporters from my plan"
            ),
        ),
        migrations.AddField(
            model_name="grant",
            name="show_days",
            field=models.BooleanField(
                default=False, verbose_name="show my day count and milestones"
            ),
        ),
        migrations.AddField(
            model_name="encouragement",
            name="reply",
            field=models.CharField(blank=True, max_length=280, verbose_name="your reply"),
        ),
        migrations.AddField(
            model_name="encouragement",
            name="replied_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
    ]
