"""Reads of what counselors write on a member's plan (reviews, and comments with their
short threads of replies) and of what is still new to the member. Writes are in
sharing/services.py; the email telling the member in sharing/emails.py."""

from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property

from django.db.models import Q
from django.utils.translation import gettext

from plans.models import Goal, Outcome, PlanSource, RelapseItem
from recovery_support.sql_once import STAND_IN_ID, SqlOnce
from sharing.models import Comment, Review

# Replies a thread takes: it is a short exchange, not a chat.
MAX_REPLIES = 20


@dataclass
class Thread:
    """A comment and the replies beneath it, oldest first."""

    comment: Comment
    replies: list[Comment] = field(default_factory=list)
    about: str = ""  # what it is about, in words for whoever reads it (`about`)

    @property
    def pk(self) -> int:
        return self.comment.pk

    @property
    def all(self) -> list[Comment]:
        return [self.comment, *self.replies]

    @property
    def unread(self) -> list[Comment]:
        """What the member has not read yet: their counselors' words since."""
        return [c for c in self.all if not c.by_member and c.read_at is None]

    @property
    def is_full(self) -> bool:
        return len(self.replies) >= MAX_REPLIES


def threads(comments: Iterable[Comment]) -> list[Thread]:
    """Comments (first comments and replies, in any order) as threads, in the order
    they were started."""
    found: dict[int, Thread] = {}
    replies = []
    for comment in sorted(comments, key=lambda c: (c.created_at, c.pk)):
        if comment.parent_id is None:
            found[comment.pk] = Thread(comment)
        else:
            replies.append(comment)
    for reply in replies:
        if reply.parent_id in found:
            found[reply.parent_id].replies.append(reply)
    return list(found.values())


def _words(item, *, member: bool) -> str:
    """`member`: worded for the member ("your goal"), else for a counselor ("their")."""
    if isinstance(item, Goal):
        if member:
            return gettext("your goal “%(title)s”") % {"title": item.title}
        return gettext("their goal “%(title)s”") % {"title": item.title}
    if isinstance(item, RelapseItem):
        return gettext("%(kind)s: “%(description)s”") % {
            "kind": item.get_kind_display().lower(),
            "description": item.description,
        }
    if isinstance(item, PlanSource):
        return item.source.name
    return ""


def about(comment: Comment) -> str:
    """What the comment is about, in words for the member ("your goal “Walk”")."""
    return _words(comment.item, member=True)


# The prefix of an item's choice in comment_items.
ITEM_KINDS = {Goal: "goal", RelapseItem: "relapse", PlanSource: "source"}


def about_for_counselor(comment: Comment, items: dict) -> str:
    """What the comment is about, for a counselor, only if they may see that item now
    (`items`: comment_items, of what they see): the member may have made it private
    since, and then only the step shows."""
    item = comment.item
    if item is None or f"{ITEM_KINDS[type(item)]}:{item.pk}" not in items:
        return ""
    return _words(item, member=False)


# --- The member --------------------------------------------------------------------


def _unread_reviews(member_id):
    return Review.objects.filter(plan__owner_id=member_id, read_at=None)


def _unread_comments(member_id):
    return Comment.objects.filter(plan__owner_id=member_id, by_member=False, read_at=None)


# Read on every page of the member's (the plan's badge, the dashboard's card): their
# SQL built once (recovery_support/sql_once.py).
_UNREAD_REVIEWS = SqlOnce(_unread_reviews, member_id=STAND_IN_ID)
_UNREAD_COMMENTS = SqlOnce(
    lambda member_id: (
        _unread_comments(member_id)
        .select_related("goal", "relapse_item", "plan_source__source")
        .order_by("-created_at", "-pk")
    ),
    member_id=STAND_IN_ID,
)
_UNREAD_IDS = SqlOnce(
    lambda member_id: (
        _unread_reviews(member_id)
        .values("pk")
        .union(_unread_comments(member_id).values("pk"), all=True)
        .order_by()
    ),
    member_id=STAND_IN_ID,
)


class Unread:
    """The member's reviews and counselors' comments they have not read yet. The
    count alone (the plan's badge) is one query; the notes themselves two."""

    def __init__(self, member):
        self.member = member

    @cached_property
    def reviews(self) -> list[Review]:
        return _UNREAD_REVIEWS.rows(member_id=self.member.pk)

    @cached_property
    def comments(self) -> list[Comment]:
        comments = _UNREAD_COMMENTS.rows(member_id=self.member.pk)
        for comment in comments:
            comment.about = about(comment)
        return comments

    @cached_property
    def count(self) -> int:
        if "reviews" in self.__dict__ and "comments" in self.__dict__:
            return len(self.reviews) + len(self.comments)
        return len(_UNREAD_IDS.rows(member_id=self.member.pk))  # a few ids at most

    def __bool__(self) -> bool:
        return bool(self.count)


def unread_for(member, *, has_plan: bool = True) -> Unread:
    """`has_plan=False` where a page knows the member has no plan: no notes on one,
    so nothing to read."""
    unread = Unread(member)
    if not has_plan:
        unread.reviews, unread.comments = [], []
    return unread


REVIEWS_SHOWN = 20


def threads_of(member, root_id: int) -> list[Thread]:
    """One thread of the member's plan, as they see it (one query)."""
    found = threads(
        Comment.objects.threaded(plan__owner=member).filter(Q(pk=root_id) | Q(parent_id=root_id))
    )
    for thread in found:
        thread.about = about(thread.comment)
    return found


def notes_for(member) -> dict:
    """The member's notes page: their counselors' reviews, newest first, and every
    thread on their plan, the newest first. Two queries."""
    reviews = list(Review.objects.filter(plan__owner=member)[:REVIEWS_SHOWN])
    found = threads(Comment.objects.threaded(plan__owner=member))
    found.reverse()
    for thread in found:
        thread.about = about(thread.comment)
    return {"reviews": reviews, "threads": found}


# --- A counselor -------------------------------------------------------------------


def comment_items(visible: dict) -> dict:
    """What a counselor may comment on, of what they can see of the plan (`visible`:
    sharing.selectors.visible_plan): {choice value: (step, item, group, label)} for
    sharing.forms.CommentForm. A person is about step 3 once they agreed, else 2."""
    items = {}
    for plan_source in visible["asked_sources"]:
        step = 3 if plan_source.outcome == Outcome.AGREED else 2
        name = plan_source.source.name
        items[f"source:{plan_source.pk}"] = (step, plan_source, gettext("A person"), name)
    hard = gettext("When things get hard")
    for entry in visible["relapse_items"]:
        label = gettext("%(kind)s: %(description)s") % {
            "kind": entry.get_kind_display(),
            "description": entry.description,
        }
        items[f"relapse:{entry.pk}"] = (4, entry, hard, label)
    for goal in visible["goals"]:
        items[f"goal:{goal.pk}"] = (4, goal, gettext("A goal"), goal.title)
    return items


def thread_is_full(comment: Comment) -> bool:
    root = comment.parent_id or comment.pk
    return Comment.objects.filter(parent_id=root).count() >= MAX_REPLIES


# Its SQL built once (recovery_support/sql_once.py): three joins' worth of columns.
_THREADED = SqlOnce(lambda plan_id: Comment.objects.threaded(plan_id=plan_id), plan_id=STAND_IN_ID)


def client_threads(plan, items: dict) -> list[Thread]:
    """Every thread on the member's plan, as their counselors see them: oldest first,
    each saying what it is about where the counselor may see that (`items`)."""
    found = threads(_THREADED.rows(plan_id=plan.pk))
    for thread in found:
        thread.about = about_for_counselor(thread.comment, items)
    return found
