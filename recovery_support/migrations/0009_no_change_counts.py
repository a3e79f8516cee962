"""The fragment cache is gone, and with it the change counts it read: every
count_changes trigger, the function they call, and the counts' table.

The triggers are those the earlier migrations made, on the tables they list
(`COUNTED`): recovery_support 0002, sharing 0005, plans 0008, push 0001 and 0002.
The function is dropped without CASCADE, so a trigger missed here stops the
migration instead of outliving it. Backwards, the counts start again from nothing.
"""

from importlib import import_module

from django.db import migrations

from recovery_support.migrations._change_counts import create_triggers, drop_triggers

MADE_BY = [
    "recovery_support.migrations.0002_change_counts",
    "sharing.migrations.0005_help_requests_calendar_guidance",
    "plans.migrations.0008_help_calls",
    "recovery_support.push.migrations.0001_push_subscriptions",
    "recovery_support.push.migrations.0002_channels_and_quiet_hours",
]
COUNTED = {table: how for module in MADE_BY for table, how in import_module(module).COUNTED.items()}
FUNCTION = import_module(MADE_BY[0]).FUNCTION


class Migration(migrations.Migration):
    # The latest migration of every app whose tables carry the triggers.
    dependencies = [
        ("recovery_support", "0008_member_country"),
        ("networks", "0001_initial"),
        ("plans", "0010_who_sees_each_entry"),
        ("sharing", "0008_what_supporters_see_and_replies"),
        ("push", "0003_notices_and_meeting_lead"),
    ]

    operations = [
        migrations.RunSQL(
            drop_triggers(COUNTED) + "\nDROP FUNCTION count_changes();",
            FUNCTION + create_triggers(COUNTED),
        ),
        migrations.DeleteModel(name="ChangeCount"),
    ]
