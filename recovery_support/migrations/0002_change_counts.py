"""A count of changes per person, kept by PostgreSQL: after every statement that
inserts, updates or deletes rows of a person's, their count goes up by one (however
many of their rows it touched). The fragment cache reads the counts to tell whether
a page drawn earlier is still true (recovery_support/fragments.py).

Each table names how a changed row `r` leads to its person, and which columns do not
count: they change on their own (a sign-in, a counselor's view, the reminder sweep)
and no cached page shows them. An update that changes nothing else counts for nobody.

Each statement takes the counts' row locks in the order of the people's ids. A
transaction that counts for several people over several statements (accepting an
invitation, deleting an account) could still meet another in the opposite order;
PostgreSQL then stops one of them. Such pairs are rare enough to accept.

Gone since, with the fragment cache: migration 0009_no_change_counts drops them all.
"""

from django.db import migrations, models

from recovery_support.migrations._change_counts import create_triggers, drop_triggers

_BY_PLAN = "(SELECT p.owner_id FROM plans_plan p WHERE p.id = r.plan_id)"
_BY_GRANT = "(SELECT g.member_id FROM sharing_grant g WHERE g.id = r.grant_id)"
_BY_CHECKIN = "(SELECT c.owner_id FROM plans_checkin c WHERE c.id = r.checkin_id)"

# table: (the person a changed row `r` belongs to, columns whose changes do not count)
COUNTED = {
    "recovery_support_user": ("r.id", ["last_login"]),
    "networks_supportsource": ("r.owner_id", []),
    "networks_contactlog": (
        "(SELECT s.owner_id FROM networks_supportsource s WHERE s.id = r.source_id)",
        [],
    ),
    "plans_plan": ("r.owner_id", []),
    "plans_plansource": (_BY_PLAN, []),
    "plans_activity": (_BY_PLAN, []),
    "plans_relapseitem": (_BY_PLAN, []),
    "plans_goal": (_BY_PLAN, []),
    "plans_revision": (_BY_PLAN, []),
    # The reminder sweep moves next_due_at on; only the schedule page shows it.
    "plans_checkinschedule": ("r.owner_id", ["next_due_at"]),
    "plans_checkin": ("r.owner_id", []),
    "plans_checkin_triggers": (_BY_CHECKIN, []),
    "plans_checkin_supports_contacted": (_BY_CHECKIN, []),
    "sharing_invitation": ("r.member_id", []),
    "sharing_grant": ("r.member_id", ["last_viewed_at"]),
    "sharing_comment": (_BY_PLAN, []),
    "sharing_review": (_BY_PLAN, []),
    "sharing_encouragement": (_BY_GRANT, []),
    "sharing_counseloralert": (_BY_GRANT, []),
}

FUNCTION = """
CREATE FUNCTION count_changes() RETURNS trigger LANGUAGE plpgsql AS $$
-- TG_ARGV[0]: SQL giving the person a changed row r belongs to;
-- TG_ARGV[1:]: columns whose changes do not count.
DECLARE
    changed text;
BEGIN
    IF TG_OP = 'INSERT' THEN
        changed := 'SELECT * FROM new_rows';
    ELSIF TG_OP = 'DELETE' THEN
        changed := 'SELECT * FROM old_rows';
    ELSE
        -- Rows before and after, where anything that counts differs.
        changed := format(
            'SELECT o.* FROM old_rows o JOIN new_rows n USING (id) '
            'WHERE to_jsonb(o) - %1$L::text[] IS DISTINCT FROM to_jsonb(n) - %1$L::text[] '
            'UNION ALL SELECT n.* FROM old_rows o JOIN new_rows n USING (id) '
            'WHERE to_jsonb(o) - %1$L::text[] IS DISTINCT FROM to_jsonb(n) - %1$L::text[]',
            TG_ARGV[1:]
        );
    END IF;
    -- In the order of the people's ids, so two statements never wait on each other
    -- in opposite orders.
    EXECUTE format(
        'INSERT INTO recovery_support_changecount AS c (user_id, changes) '
        'SELECT DISTINCT person, 1 FROM (SELECT %s AS person FROM (%s) r) people '
        'WHERE person IS NOT NULL ORDER BY person '
        'ON CONFLICT (user_id) DO UPDATE SET changes = c.changes + 1',
        TG_ARGV[0], changed
    );
    RETURN NULL;
END
$$;
"""


def _drop() -> str:
    return drop_triggers(COUNTED) + "\nDROP FUNCTION IF EXISTS count_changes();"


class Migration(migrations.Migration):
    dependencies = [
        ("recovery_support", "0001_initial"),
        ("networks", "0001_initial"),
        ("plans", "0006_relapseitem_is_private"),
        ("sharing", "0002_grant_show_missed"),
    ]

    operations = [
        migrations.CreateModel(
            name="ChangeCount",
            fields=[
                ("user_id", models.BigIntegerField(primary_key=True, serialize=False)),
                ("changes", models.BigIntegerField(default=0)),
            ],
        ),
        migrations.RunSQL(FUNCTION + create_triggers(COUNTED), _drop()),
    ]
