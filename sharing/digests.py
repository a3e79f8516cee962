"""A counselor's daily news: at most one email a day, telling which clients answered
a comment or changed their plan since the last one, and nothing more (what they
wrote or changed is on the client's page, behind the sign-in).

Beat sweeps every hour; a counselor's email goes with the first sweep after
DIGEST_HOUR where they are, if there is news. Each is a CounselorDigest row for the
counselor and their day, made and then locked while the email goes: one a day,
however many sweeps or workers. Each email is written in each client's access log."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.db import transaction
from django.db.models import Exists, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce, Greatest
from django.utils import timezone
from django.utils.translation import gettext_noop

from plans.models import Revision
from sharing import emails
from sharing.models import AccessRecord, Comment, CounselorDigest, Grant, Role

DIGEST_HOUR = 8  # in the morning, where the counselor is
FIRST_LOOK_BACK = timedelta(days=1)  # for a counselor's first digest


@dataclass
class News:
    grant: Grant
    answered: bool
    changed: bool

    @property
    def member(self):
        return self.grant.member

    @property
    def told(self) -> str:
        """For the member's access log: stored in English, translated when the log is
        read (the email itself words each line in sharing/email/digest.txt)."""
        if self.answered and self.changed:
            return gettext_noop("an email: you answered a comment and changed your plan")
        if self.answered:
            return gettext_noop("an email: you answered a comment")
        return gettext_noop("an email: you changed your plan")


def news_for(now: datetime) -> dict[int, list[News]]:
    """{counselor id: the news of each client}, of every counselor with a client who
    answered a comment (on any counselor's thread) or changed what the counselor may
    see of the plan since the counselor's last digest (or the last day, or since the
    access began). One query."""
    last = CounselorDigest.objects.filter(
        counselor_id=OuterRef("grantee_id"), sent_at__isnull=False
    ).order_by("-day")
    since = Greatest(
        Coalesce(Subquery(last.values("until")[:1]), Value(now - FIRST_LOOK_BACK)),
        "created_at",
    )
    window = {"created_at__gt": OuterRef("since"), "created_at__lte": now}
    grants = (
        Grant.objects.active()
        .filter(role=Role.COUNSELOR)
        .annotate(since=since)
        .annotate(
            answered=Exists(
                Comment.objects.filter(plan__owner=OuterRef("member_id"), by_member=True, **window)
            ),
            changed=Exists(
                Revision.objects.visible_to("counselor").filter(
                    plan__owner=OuterRef("member_id"), **window
                )
            ),
        )
        .filter(Q(answered=True) | Q(changed=True))
        .select_related("member", "grantee")
        .order_by("grantee_id", "member__display_name", "pk")
    )
    found: dict[int, list[News]] = {}
    for grant in grants:
        found.setdefault(grant.grantee_id, []).append(
            News(grant, answered=grant.answered, changed=grant.changed)
        )
    return found


def counselor_digests_send(*, now: datetime | None = None) -> int:
    """Every counselor with news whose morning has come and who has had no digest
    today: one email each. Returns how many went."""
    now = now or timezone.now()
    sent = 0
    for news in news_for(now).values():
        counselor = news[0].grant.grantee
        local = now.astimezone(ZoneInfo(counselor.time_zone))
        if local.hour >= DIGEST_HOUR:
            sent += _send_once(counselor, local.date(), news, now)
    return sent


def _send_once(counselor, day: date, news: list[News], now: datetime) -> bool:
    """1. make the day's row, once; 2. lock it; 3. send, mark it sent with the news
    it told up to `now`, and write it in each client's access log; or do nothing if
    it went already."""
    CounselorDigest.objects.get_or_create(counselor=counselor, day=day, defaults={"until": now})
    with transaction.atomic():
        digest = CounselorDigest.objects.select_for_update().get(counselor=counselor, day=day)
        if digest.sent_at is not None:
            return False
        emails.digest_send(counselor=counselor, news=news)
        digest.sent_at = digest.until = now
        digest.save(update_fields=["sent_at", "until"])
        AccessRecord.objects.bulk_create(
            AccessRecord(
                member_id=item.grant.member_id,
                viewer=counselor,
                viewer_name=str(counselor),
                role=Role.COUNSELOR,
                what=item.told,
                at=now,
            )
            for item in news
        )
    return True
