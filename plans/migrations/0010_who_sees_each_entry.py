"""One choice of who sees each entry of the plan (issue 15 item 6): "Only me", "Me
and my counselor", "My counselor and supporters", for goals, activities, relapse
items, a person's boundaries and the first 24 hours after a slip.

Nothing newly shows or hides: a goal shared with supporters is seen by the counselor
and supporters, any other goal by the counselor (as before); a relapse item kept
private (never shown to the counselor) is "Only me", any other the counselor's; every
activity and the first 24 hours stay the counselor's; boundaries, which the counselor
saw and the person they are agreed with saw where the member showed them, keep both.
A revision kept private stays the member's alone, any other the counselor's; what it
named is found again, where its words name a goal, activity, boundary or the first
24 hours of its plan."""

import django.contrib.postgres.fields
from django.db import migrations, models

CHOICES = [
    ("only_me", "Only me"),
    ("counselor", "Me and my counselor"),
    ("supporters", "My counselor and supporters"),
]
VALUES = ["only_me", "counselor", "supporters"]


def choice(default="counselor"):
    return models.CharField(
        choices=CHOICES, default=default, max_length=10, verbose_name="who sees this"
    )


def ids():
    return django.contrib.postgres.fields.ArrayField(
        base_field=models.BigIntegerField(), blank=True, default=list
    )


def valid(model, field, name):
    return migrations.AddConstraint(
        model_name=model,
        constraint=models.CheckConstraint(condition=models.Q((f"{field}__in", VALUES)), name=name),
    )


# Foreign keys checked at once, not at commit: a check still pending would stop the
# columns being dropped below ("pending trigger events").
FORWARD = """
SET CONSTRAINTS ALL IMMEDIATE;
UPDATE plans_goal SET visibility = 'supporters' WHERE shared;
UPDATE plans_relapseitem SET visibility = 'only_me' WHERE is_private;
UPDATE plans_revision AS r SET
  visibility = CASE WHEN r.is_private THEN 'only_me' ELSE 'counselor' END,
  goal_ids = ARRAY(
    SELECT DISTINCT g.id FROM plans_goal AS g, jsonb_array_elements(r.changes) AS c
    WHERE g.plan_id = r.plan_id AND c->>'what' = 'Goal “' || g.title || '”'),
  activity_ids = ARRAY(
    SELECT DISTINCT a.id FROM plans_activity AS a, jsonb_array_elements(r.changes) AS c
    WHERE a.plan_id = r.plan_id AND c->>'what' = 'Activity “' || a.title || '”'),
  boundary_ids = ARRAY(
    SELECT DISTINCT ps.id
    FROM plans_plansource AS ps
    JOIN networks_supportsource AS s ON s.id = ps.source_id,
    jsonb_array_elements(r.changes) AS c
    WHERE ps.plan_id = r.plan_id AND c->>'what' = 'Expectations of ' || s.name
      AND c->>'field' IN ('My boundaries', 'Their boundaries')),
  first_day = r.changes @> '[{"what": "The first 24 hours after a slip"}]';
"""
BACKWARD = """
SET CONSTRAINTS ALL IMMEDIATE;
UPDATE plans_goal SET shared = (visibility = 'supporters');
UPDATE plans_relapseitem SET is_private = (visibility = 'only_me');
UPDATE plans_revision SET is_private = (visibility = 'only_me');
"""


class Migration(migrations.Migration):
    dependencies = [
        ("networks", "0001_initial"),
        ("plans", "0009_days_where_they_were_made"),
    ]

    operations = [
        migrations.AddField("activity", "visibility", choice()),
        migrations.AddField("goal", "visibility", choice()),
        migrations.AddField("relapseitem", "visibility", choice()),
        migrations.AddField("plan", "first_day_visibility", choice()),
        migrations.AddField("plansource", "boundaries_visibility", choice("supporters")),
        migrations.AddField("revision", "visibility", choice()),
        migrations.AddField("revision", "goal_ids", ids()),
        migrations.AddField("revision", "activity_ids", ids()),
        migrations.AddField("revision", "boundary_ids", ids()),
        migrations.AddField("revision", "first_day", models.BooleanField(default=False)),
        migrations.RunSQL(FORWARD, BACKWARD),
        migrations.RemoveField("goal", "shared"),
        migrations.RemoveField("relapseitem", "is_private"),
        migrations.RemoveField("revision", "is_private"),
        valid("activity", "visibility", "activity_visibility_valid"),
        valid("goal", "visibility", "goal_visibility_valid"),
        valid("relapseitem", "visibility", "relapse_item_visibility_valid"),
        valid("plan", "first_day_visibility", "plan_first_day_visibility_valid"),
        valid("plansource", "boundaries_visibility", "plan_source_boundaries_visibility_valid"),
        valid("revision", "visibility", "revision_visibility_valid"),
    ]
