"""Demo sharing for `make run`: the demo counselor has three clients in different
states, and the demo supporter follows the demo member."""

from datetime import timedelta

from django.utils import timezone

from plans.models import CheckIn, Plan
from recovery_support.models import User
from sharing import services
from sharing.models import Grant, Role

OTHER_CLIENTS = [
    # (email, name, days of check-ins ago with (mood, craving, asked for help))
    (
        "demo-client-robin@example.org",
        "Robin",
        [(6, 3, 3, False), (5, 3, 4, False), (3, 2, 6, False), (1, 2, 8, True), (0, 2, 7, False)],
    ),
    ("demo-client-taylor@example.org", "Taylor", [(15, 4, 2, False), (12, 4, 2, False)]),
]


def load_demo_sharing(member, counselor, supporter) -> bool:
    if Grant.objects.filter(member=member, grantee=counselor).exists():
        return False
    today = timezone.localdate()
    Grant.objects.create(
        member=member,
        grantee=counselor,
        role=Role.COUNSELOR,
        show_missed=True,
        alert_on_help=True,
        alert_after_missed=3,
    )
    alex = Grant.objects.create(
        member=member, grantee=supporter, role=Role.SUPPORTER, show_streak=True
    )
    services.encouragement_send(
        grant=alex, body="Proud of you for every single day. Coffee on Saturday?"
    )
    plan = Plan.objects.filter(owner=member).first()
    counselor_grant = Grant.objects.get(member=member, grantee=counselor)
    if plan:
        comment = services.comment_add(
            grant=counselor_grant,
            plan=plan,
            step=4,
            body="Good list of warning signs. Could you add what you'll do on Friday evenings?",
        )
        services.comment_reply(
            parent=comment, author=member, body="Yes, I'll add the Friday meeting."
        )
        services.review_save(grant=counselor_grant, plan=plan, status="reviewed", note="")
    for email, name, checkins in OTHER_CLIENTS:
        client, _ = User.objects.get_or_create(
            email=email, defaults={"display_name": name, "time_zone": member.time_zone}
        )
        client.set_unusable_password()
        client.save(update_fields=["password"])
        Plan.objects.get_or_create(owner=client)
        CheckIn.objects.bulk_create(
            CheckIn(
                owner=client,
                day=today - timedelta(days=days),
                mood=mood,
                craving=craving,
                needed_help=helped,
            )
            for days, mood, craving, helped in checkins
        )
        Grant.objects.get_or_create(
            member=client, grantee=counselor, role=Role.COUNSELOR, defaults={"show_missed": True}
        )
    return True
