from allauth.account.models import EmailAddress
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from networks.demo import load_demo_network
from plans.demo import load_demo_plan
from recovery_support.demo import DEMO_ACCOUNTS, DEMO_PASSWORD
from recovery_support.models import User
from sharing.demo import load_demo_sharing


class Command(BaseCommand):
    help = "Create the demo accounts and their data. Safe to run again: nothing is duplicated."

    @transaction.atomic
    def handle(self, *args, **options) -> None:
        if settings.PRODUCTION:
            raise CommandError("Demo accounts have a published password: not in production.")
        users = {}
        for role, account in DEMO_ACCOUNTS.items():
            user, created = User.objects.get_or_create(
                email=account["email"],
                defaults={
                    "display_name": account["display_name"],
                    "is_professional": account["is_professional"],
                    "has_own_space": account["has_own_space"],
                    "time_zone": settings.DEFAULT_MEMBER_TIME_ZONE,
                },
            )
            if created:
                user.set_password(DEMO_PASSWORD)
                user.save(update_fields=["password"])
            EmailAddress.objects.update_or_create(
                user=user, email=user.email, defaults={"verified": True, "primary": True}
            )
            users[role] = user
            if role == "member":
                load_demo_network(user)
                load_demo_plan(user)
        load_demo_sharing(users["member"], users["counselor"], users["supporter"])
        self.stdout.write("Demo data is ready.")
