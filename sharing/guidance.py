""" "How to help": short lessons for the family and friends who support a member, and
beside them what the member's plan asks of this supporter (only with the member's
consent, per grant). Which lessons a supporter has read is theirs alone.

The lessons draw on Community Reinforcement and Family Training (CRAFT) and on the
articles the product began from; every sentence is our own.
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from plans.models import PlanSource, visible
from sharing.models import Grant, LessonRead, Role


@dataclass(frozen=True)
class Lesson:
    slug: str
    # Marked for translation (lazy): each reader gets them in their own language.
    title: str
    paragraphs: tuple[str, ...]
    try_this: str  # one small thing for this week


LESSONS = (
    Lesson(
        "talking",
        _("How to talk so it helps"),
        (
            _(
                "How you say a thing matters as much as what you say. People take in more "
                "when they feel safe, and less when they feel blamed."
            ),
            _(
                "Be positive: ask for what you would like to see, not only for what should "
                "stop. “I love our walks after dinner” is easier to hear than “You never do "
                "anything.”"
            ),
            _("Be specific. Talk about one thing that happened, not about “always” or “never”."),
            _(
                "Stay calm, and pick your moment: a time when you are both rested and sober, "
                "not the middle of a row. Start with “I”: “I worry when you come home late.” "
                "Then listen more than you speak."
            ),
        ),
        _(
            "Pick one thing you would like to see more of. Say it once, calmly, in one "
            "sentence that starts with “I”."
        ),
    ),
    Lesson(
        "noticing",
        _("Notice the good steps"),
        (
            _(
                "Recovery is built from small steps, and a step that gets noticed is more "
                "likely to happen again."
            ),
            _(
                "When the person you support does something that helps their recovery, let "
                "them know you saw it. Going to a meeting, calling their counselor, saying no "
                "to a drink, coming home when they said they would: each one counts."
            ),
            _(
                "A reward does not need to cost money. A thank-you, a meal they like, or an "
                "hour together doing something you both enjoy will do."
            ),
            _(
                "Keep it soon after the step, and keep it about them, not about you being "
                "right. Noticing helps you too: on a hard week it shows you the progress that "
                "is easy to miss."
            ),
        ),
        _(
            "Each day this week, notice one step, however small, and tell them in one "
            "sentence what you saw."
        ),
    ),
    Lesson(
        "consequences",
        _("Let the results of using land"),
        (
            _(
                "When we love someone, we want to spare them pain. But covering for them can "
                "make it easier to keep using. Paying their debts, calling in sick for them "
                "and cleaning up after a bad night all soften what using costs."
            ),
            _(
                "You can step back from the fallout of using and still be warm. That is not "
                "a punishment. It lets life give honest feedback."
            ),
            _(
                "Decide ahead of time what you will and will not do. Tell them once, calmly, "
                "then do what you said."
            ),
            _(
                "Safety comes first. If anyone is in danger, get help at once: stepping back "
                "never means leaving someone at risk of harm."
            ),
        ),
        _(
            "Think of one thing you do that makes using easier, such as lending money or "
            "making excuses. Plan how you will stop, and what you will say."
        ),
    ),
    Lesson(
        "after-a-slip",
        _("After a slip"),
        (
            _(
                "Slips are common in recovery. They do not wipe out the progress made "
                "before, and they are not the end of the road."
            ),
            _(
                "Take a breath before you speak. Anger and shame in the first hours make it "
                "harder to get back to the plan."
            ),
            _(
                "Say something short and steady, such as “Thank you for telling me. What "
                "would help right now?” Then listen."
            ),
            _(
                "Point them back to their plan and their people: their counselor, a meeting, "
                "the first steps they wrote down. Keep to the boundaries you agreed. You can "
                "be kind and firm at the same time."
            ),
            _(
                "Later, when things are calm, you can talk about what led up to it and what "
                "might help next time."
            ),
        ),
        _(
            "Write down the one sentence you would want to say after a slip, so it is ready "
            "if you need it."
        ),
    ),
    Lesson(
        "yourself",
        _("Look after yourself"),
        (
            _(
                "Supporting someone in recovery is tiring, and worry wears you down. You help "
                "most when you are not running on empty."
            ),
            _(
                "Keep up what keeps you well: sleep, meals, moving your body, friends, and "
                "the things you enjoy."
            ),
            _(
                "You did not cause their addiction, and you cannot cure it or control it. "
                "What you can choose is how you respond."
            ),
            _("It is fine to say no, to take a break, and to ask for help yourself."),
        ),
        _("Put one hour of something just for you in your calendar this week, and keep it."),
    ),
    Lesson(
        "your-support",
        _("Support for you"),
        (
            _(
                "You do not have to do this alone. Many people who love someone with an "
                "addiction find it helps to talk with others who understand."
            ),
            _(
                "Family groups such as Al-Anon and Nar-Anon meet in many towns and online. "
                "SMART Recovery Family & Friends runs meetings built on the ideas of CRAFT."
            ),
            _(
                "A counselor or family therapist can help with your own feelings and with how "
                "you talk at home. Some treatment programs hold sessions for families too."
            ),
            _(
                "Learning about addiction and recovery helps as well: the ups and downs are "
                "easier to bear when you know they are part of the road."
            ),
        ),
        _(
            "Look up one family group or counselor, near you or online, and note when they "
            "next meet."
        ),
    ),
)
LESSON_SLUGS = frozenset(lesson.slug for lesson in LESSONS)

SOURCES = (
    # Translators: titles of published works: keep each title as it was published.
    _(
        "Community Reinforcement and Family Training (CRAFT), by Robert J. Meyers and "
        "colleagues, and the book Get Your Loved One Sober by Robert J. Meyers and "
        "Brenda L. Wolfe"
    ),
    _(
        "Beyond Addiction: How Science and Kindness Help People Change, by Jeffrey Foote, "
        "Carrie Wilkens and Nicole Kosanke"
    ),
    _("The Importance of Support Systems in Addiction Rehabilitation (PainAssist)"),
    _("The Role of Support Systems in Drug Recovery: Family, Friends, and Community"),
    _("Al-Anon Family Groups, Nar-Anon Family Groups, and SMART Recovery Family & Friends"),
)


@dataclass
class LessonRow:
    lesson: Lesson
    read: bool


def lessons_for(reader) -> list[LessonRow]:
    """The lessons, each with whether this reader marked it read: one query (none
    for no reader: the member's preview of a supporter's page shows none read)."""
    rows = LessonRead.objects.filter(reader=reader) if reader else LessonRead.objects.none()
    read = set(rows.values_list("lesson", flat=True))
    return [LessonRow(lesson, lesson.slug in read) for lesson in LESSONS]


def lesson_mark_read(*, reader, slug: str) -> None:
    LessonRead.objects.bulk_create([LessonRead(reader=reader, lesson=slug)], ignore_conflicts=True)


def agreement_for(grant: Grant) -> PlanSource | None:
    """What the member's plan asks of this supporter and the boundaries they agreed
    (steps 2 and 3), only when the member said who they are in their network and chose
    to show it; the boundaries only where the member shows them to supporters
    (PlanSource.boundaries_visibility). One query, or none."""
    if not grant.share_agreement or grant.source_id is None:
        return None
    agreement = (
        PlanSource.objects.filter(
            plan__owner_id=grant.member_id,
            source_id=grant.source_id,
            source__deleted_at__isnull=True,
        )
        .order_by("plan_id")
        .first()
    )
    if agreement and not visible(agreement.boundaries_visibility, Role.SUPPORTER):
        agreement.my_boundaries = agreement.their_boundaries = ""
    return agreement
