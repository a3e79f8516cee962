"""Writes for sharing. Each service is keyword-only and does one thing a person asked for."""

import hashlib
import secrets
from datetime import date, timedelta

from django.db import IntegrityError, connection, transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_noop

from plans.models import Goal, PlanSource, RelapseItem
from recovery_support.models import User
from sharing import tasks
from sharing.models import (
    AccessRecord,
    Comment,
    Encouragement,
    Grant,
    Invitation,
    Review,
    Role,
)

INVITATION_LIFETIME = timedelta(days=7)

# The field of sharing.Comment that holds what a comment is about.
ABOUT_FIELD = {Goal: "goal", RelapseItem: "relapse_item", PlanSource: "plan_source"}


class InvitationError(Exception):
    """Why an invitation can't be used, in words for the person holding it."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def invitation_create(
    *, member, email: str, role: str, ends_on: date | None, language: str = ""
) -> Invitation:
    """1. make a token of 256 random bits; 2. store only its hash;
    3. email the link (the token's only copy) once the row is committed."""
    token = secrets.token_urlsafe(32)
    invitation = Invitation.objects.create(
        member=member,
        email=email,
        role=role,
        ends_on=ends_on,
        language=language,
        token_hash=token_hash(token),
        expires_at=timezone.now() + INVITATION_LIFETIME,
    )
    # The token is not health data, and the task must have it to write the link.
    transaction.on_commit(lambda: tasks.send_invitation.delay(invitation.pk, token))
    return invitation


def invitation_cancel(*, invitation: Invitation) -> None:
    Invitation.objects.filter(pk=invitation.pk, status=Invitation.Status.PENDING).update(
        status=Invitation.Status.REVOKED, answered_at=timezone.now()
    )


def invitation_check(invitation: Invitation | None, user) -> Invitation:
    """The invitation, if `user` may answer it now; otherwise InvitationError."""
    if invitation is None:
        raise InvitationError("missing")
    if invitation.status == Invitation.Status.ACCEPTED:
        raise InvitationError("used")
    if invitation.status == Invitation.Status.DECLINED:
        raise InvitationError("declined")
    if invitation.status == Invitation.Status.REVOKED:
        raise InvitationError("revoked")
    if invitation.is_expired:
        raise InvitationError("expired")
    if user.is_authenticated:
        if user.pk == invitation.member_id:
            raise InvitationError("own")
        if user.email.casefold() != invitation.email.casefold():
            raise InvitationError("wrong-account")
    return invitation


@transaction.atomic
def invitation_accept(*, invitation_id: int, user) -> Grant:
    """Exchange a pending invitation for a grant. The row is locked, so one
    invitation gives one grant however many times it is submitted."""
    invitation = Invitation.objects.select_for_update().filter(pk=invitation_id).first()
    invitation_check(invitation, user)
    grant = Grant.objects.filter(
        member_id=invitation.member_id, grantee=user, revoked_at__isnull=True
    ).first()
    if grant is None:
        try:
            with transaction.atomic():
                grant = Grant.objects.create(
                    member_id=invitation.member_id,
                    grantee=user,
                    role=invitation.role,
                    ends_on=invitation.ends_on,
                )
        except IntegrityError:  # accepted in another tab a moment ago
            grant = Grant.objects.get(
                member_id=invitation.member_id, grantee=user, revoked_at__isnull=True
            )
    else:
        # A new invitation replaces what an earlier one gave.
        grant.role, grant.ends_on = invitation.role, invitation.ends_on
        grant.save(update_fields=["role", "ends_on"])
    if invitation.role == Role.COUNSELOR and not user.is_professional:
        # Counselors see health data: from now on they sign in with two factors.
        user.is_professional = True
        user.save(update_fields=["is_professional"])
    invitation.status = Invitation.Status.ACCEPTED
    invitation.answered_at = timezone.now()
    invitation.save(update_fields=["status", "answered_at"])
    return grant


@transaction.atomic
def invitation_decline(*, invitation_id: int, user) -> None:
    invitation = Invitation.objects.select_for_update().filter(pk=invitation_id).first()
    invitation_check(invitation, user)
    invitation.status = Invitation.Status.DECLINED
    invitation.answered_at = timezone.now()
    invitation.save(update_fields=["status", "answered_at"])


def grant_revoke(*, grant: Grant) -> None:
    Grant.objects.filter(pk=grant.pk, revoked_at__isnull=True).update(revoked_at=timezone.now())


@transaction.atomic
def grant_leave(*, grant: Grant) -> bool:
    """The counselor or supporter ends their own access:
    1. the grant is revoked, marked as ended by them (their member's Sharing page says so);
    2. the member's access log records it;
    3. the member is emailed, kindly, once committed.
    Returns False, and does nothing, if the grant had already ended."""
    now = timezone.now()
    ended = Grant.objects.filter(pk=grant.pk, revoked_at__isnull=True).update(
        revoked_at=now, ended_by_grantee=True
    )
    if not ended:
        return False
    AccessRecord.objects.create(
        member_id=grant.member_id,
        viewer=grant.grantee,
        viewer_name=str(grant.grantee),
        role=grant.role,
        what=gettext_noop("ended their access"),
        at=now,
    )
    transaction.on_commit(lambda: tasks.send_access_left.delay(grant.pk))
    return True


def grant_settings_save(*, form) -> Grant:
    return form.save()


def access_record(*, grant: Grant, what: str) -> None:
    """Write down one read of the member's data, and when the viewer last looked (as
    grants_viewed does: a grant already stamped this minute is left as it is).

    `what` is stored in English, marked with gettext_noop where it is written, and
    translated when the log is read (sharing/access_log.html): the member reads it
    in their language of the day, whoever looked."""
    now = timezone.now()
    AccessRecord.objects.create(
        member_id=grant.member_id,
        viewer=grant.grantee,
        viewer_name=str(grant.grantee),
        role=grant.role,
        what=what,
        at=now,
    )
    if grant.last_viewed_at is None or grant.last_viewed_at < _minute_of(now):
        Grant.objects.filter(pk=grant.pk).update(last_viewed_at=now)


def access_record_clients(*, viewer, grant_ids: list[int], what: str) -> bool:
    """The counselor's list reads every client it shows: one record each, made by
    PostgreSQL from the grants of `grant_ids` (those the list's rows were read from)
    in one statement of one shape, however many; nothing is built per client.

    Returns whether any of those grants is still to be stamped this minute
    (`grants_viewed`), so a view that has nothing to stamp writes nothing more."""
    now = timezone.now()
    with connection.cursor() as cursor:
        cursor.execute(
            _RECORD_CLIENTS,
            [grant_ids, viewer.pk, str(viewer), what, now, _minute_of(now)],
        )
        return cursor.fetchone()[0]


# Written out, not built by Django at each view (half a millisecond): the same text
# every time, which PostgreSQL then keeps prepared.
_RECORD_CLIENTS = f"""
    WITH shown AS (
        SELECT member_id, role, last_viewed_at FROM {Grant._meta.db_table}
        WHERE id = ANY(%s)
    ), recorded AS (
        INSERT INTO {AccessRecord._meta.db_table}
            (member_id, viewer_id, viewer_name, role, what, at)
        SELECT shown.member_id, %s, %s, shown.role, %s, %s FROM shown
    )
    SELECT COALESCE(bool_or(last_viewed_at IS NULL OR last_viewed_at < %s), false) FROM shown
"""  # noqa: S608 (the models' own tables; values are parameters)


def orphaned_records_clear() -> int:
    """Access records keep no constraint in PostgreSQL (sharing.AccessRecord), so one
    written by a view that began before its member's account was deleted outlives
    it. Beat runs this every hour: such records go, and a viewer whose account is
    gone is cleared, as deleting an account does. Returns how many records went."""
    gone, _ = AccessRecord.objects.filter(
        ~Exists(User.objects.filter(pk=OuterRef("member_id")))
    ).delete()
    AccessRecord.objects.exclude(viewer=None).filter(
        ~Exists(User.objects.filter(pk=OuterRef("viewer_id")))
    ).update(viewer=None)
    return gone


def grants_viewed(grants) -> None:
    """When the grantee last looked, for the member's Sharing page, which shows it to
    the minute: a grant already stamped this minute is left as it is, so a counselor
    going back and forth writes nothing more."""
    now = timezone.now()
    grants.filter(Q(last_viewed_at=None) | Q(last_viewed_at__lt=_minute_of(now))).update(
        last_viewed_at=now
    )


def _minute_of(moment):
    return moment.replace(second=0, microsecond=0)


def _tell_member(kind: str, pk: int) -> None:
    """Email the member that a counselor left them a note, once committed."""
    transaction.on_commit(lambda: tasks.send_counselor_note.delay(kind, pk))


@transaction.atomic
def comment_add(*, grant: Grant, plan, step: int, body: str, item=None) -> Comment:
    """A counselor's comment about a step, or one item of it (`item`: a goal, relapse
    item or plan source of this plan, as sharing.forms.CommentForm offers); the member
    is emailed."""
    about = {}
    if item is not None:
        if item.plan_id != plan.pk:
            raise ValueError("A comment is about an item of the same plan")
        about[ABOUT_FIELD[type(item)]] = item
    comment = Comment.objects.create(
        plan=plan,
        author=grant.grantee,
        author_name=str(grant.grantee),
        step=step,
        body=body,
        **about,
    )
    _tell_member("comment", comment.pk)
    return comment


@transaction.atomic
def comment_reply(*, parent: Comment, author, body: str) -> Comment:
    """A reply beneath a comment, by the member or one of their counselors (the view
    checks which). 1. a reply to a reply goes beneath the first comment; 2. the
    member replying has read the thread: what was new in it is marked read; 3. a
    counselor's reply is news to the member: they are emailed."""
    root_id = parent.parent_id or parent.pk
    by_member = author.pk == parent.plan.owner_id
    reply = Comment.objects.create(
        plan_id=parent.plan_id,
        parent_id=root_id,
        author=author,
        author_name=str(author),
        by_member=by_member,
        step=parent.step,
        body=body,
    )
    if by_member:
        Comment.objects.filter(
            Q(pk=root_id) | Q(parent_id=root_id), by_member=False, read_at=None
        ).update(read_at=reply.created_at)
    else:
        _tell_member("comment", reply.pk)
    return reply


@transaction.atomic
def review_save(*, grant: Grant, plan, status: str, note: str) -> Review:
    review = Review.objects.create(
        plan=plan,
        counselor=grant.grantee,
        counselor_name=str(grant.grantee),
        status=status,
        note=note,
    )
    Grant.objects.filter(pk=grant.pk).update(last_reviewed_at=review.created_at)
    _tell_member("review", review.pk)
    return review


def notes_mark_read(*, member, reviews, comments) -> int:
    """The member read these (their own reviews and comments, by the form's choice):
    each still new is marked read now. Returns how many were."""
    now = timezone.now()
    marked = Review.objects.filter(
        plan__owner=member, pk__in=[r.pk for r in reviews], read_at=None
    ).update(read_at=now)
    marked += Comment.objects.filter(
        plan__owner=member, by_member=False, pk__in=[c.pk for c in comments], read_at=None
    ).update(read_at=now)
    return marked


def encouragement_send(*, grant: Grant, body: str) -> Encouragement:
    return Encouragement.objects.create(grant=grant, body=body)


def encouragement_reply(*, encouragement: Encouragement, reply: str) -> Encouragement:
    """The member's short reply to a supporter's message ("Thank you"), which the
    supporter sees beneath it on their page. A second reply replaces the first."""
    encouragement.reply, encouragement.replied_at = reply, timezone.now()
    encouragement.save(update_fields=["reply", "replied_at"])
    return encouragement
