"""Reviews and comments the member reads (issue 15 item 2): when the member read each
(`read_at`), comments about one item of the plan, and replies beneath a comment by
the member or a counselor (`parent`); the member's one answer a comment could have
becomes their reply. Whether the member wants an email when a counselor leaves a
note (Grant.email_notes), and the counselor's daily digest, one row a day."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def answers_to_replies(apps, schema_editor):
    """Each answer becomes the member's reply, at the time they answered; the comment
    it answered was read then."""
    Comment = apps.get_model("sharing", "Comment")
    answered = Comment.objects.exclude(answer="").select_related("plan__owner")
    for comment in answered:
        owner = comment.plan.owner
        at = comment.answered_at or comment.created_at
        reply = Comment.objects.create(
            plan_id=comment.plan_id,
            parent_id=comment.pk,
            author_id=owner.pk,
            author_name=owner.display_name,
            by_member=True,
            step=comment.step,
            body=comment.answer,
        )
        Comment.objects.filter(pk=reply.pk).update(created_at=at)
        Comment.objects.filter(pk=comment.pk).update(read_at=at)


def replies_to_answers(apps, schema_editor):
    """Back: the member's first reply to each comment is its answer again."""
    Comment = apps.get_model("sharing", "Comment")
    for reply in Comment.objects.filter(by_member=True).order_by("-created_at"):
        Comment.objects.filter(pk=reply.parent_id).update(
            answer=reply.body, answered_at=reply.created_at
        )
    Comment.objects.exclude(parent=None).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("plans", "0008_help_calls"),
        ("sharing", "0006_alerts_per_help_call"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="CounselorDigest",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("day", models.DateField()),
                ("until", models.DateTimeField()),
                ("sent_at", models.DateTimeField(blank=True, null=True)),
            ],
        ),
        migrations.AddField(
            model_name="comment",
            name="by_member",
            field=models.BooleanField(default=False),
        ),
        migrations.AddField(
            model_name="comment",
            name="goal",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to="plans.goal",
            ),
        ),
        migrations.AddField(
            model_name="comment",
            name="parent",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="replies",
                to="sharing.comment",
            ),
        ),
        migrations.AddField(
            model_name="comment",
            name="plan_source",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to="plans.plansource",
            ),
        ),
        migrations.AddField(
            model_name="comment",
            name="read_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="comment",
            name="relapse_item",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to="plans.relapseitem",
            ),
        ),
        migrations.AddField(
            model_name="grant",
            name="email_notes",
            field=models.BooleanField(
                default=True, verbose_name="email me when they leave me a note"
            ),
        ),
        migrations.AddField(
            model_name="review",
            name="read_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.RunPython(answers_to_replies, replies_to_answers),
        migrations.RemoveField(
            model_name="comment",
            name="answer",
        ),
        migrations.RemoveField(
            model_name="comment",
            name="answered_at",
        ),
        migrations.AddIndex(
            model_name="comment",
            index=models.Index(
                condition=models.Q(("by_member", False), ("read_at__isnull", True)),
                fields=["plan"],
                name="comment_unread_idx",
            ),
        ),
        migrations.AddIndex(
            model_name="review",
            index=models.Index(
                condition=models.Q(("read_at__isnull", True)),
                fields=["plan"],
                name="review_unread_idx",
            ),
        ),
        migrations.AddConstraint(
            model_name="comment",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("goal__isnull", True), ("relapse_item__isnull", True)),
                    models.Q(("goal__isnull", True), ("plan_source__isnull", True)),
                    models.Q(("plan_source__isnull", True), ("relapse_item__isnull", True)),
                    _connector="OR",
                ),
                name="comment_about_one_item",
            ),
        ),
        migrations.AddConstraint(
            model_name="comment",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("by_member", False), ("parent__isnull", False), _connector="OR"
                ),
                name="comment_member_replies",
            ),
        ),
        migrations.AddField(
            model_name="counselordigest",
            name="counselor",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AddConstraint(
            model_name="counselordigest",
            constraint=models.UniqueConstraint(
                fields=("counselor", "day"), name="one_digest_a_day"
            ),
        ),
    ]
