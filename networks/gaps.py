"""What the network is missing, in plain words, each with something to do about it.

Sources marked as a risk never count as cover: a network is not "covered for
crises" by someone who may pull the member back towards using.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from django.utils import timezone
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from networks.models import (
    COMMUNITY_CATEGORIES,
    PROFESSIONAL_CATEGORIES,
    Influence,
    SupportSource,
    SupportType,
)

# Where nobody gives a kind of support: what is missing, and the link to add someone.
NOBODY_GIVES = {
    SupportType.EMOTIONAL: (
        _("Nobody gives you emotional support yet."),
        _("Add someone for emotional support"),
    ),
    SupportType.PRACTICAL: (
        _("Nobody gives you practical support yet."),
        _("Add someone for practical support"),
    ),
    SupportType.INFORMATIONAL: (
        _("Nobody gives you information and advice support yet."),
        _("Add someone for information and advice support"),
    ),
    SupportType.RELAPSE_PREVENTION: (
        _("Nobody gives you relapse prevention support yet."),
        _("Add someone for relapse prevention support"),
    ),
}

# One source giving more than this share of all the support marked is "carrying" it.
CARRYING_SHARE = 0.5


@dataclass(frozen=True)
class Gap:
    code: str
    message: str
    action: str  # the link text
    add_category: str = ""  # prefill the add form with this category
    add_support: str = ""  # prefill the add form with this kind of support
    source: SupportSource | None = None  # or act on this source


def find_gaps(sources: Sequence[SupportSource], today: date) -> list[Gap]:
    gaps: list[Gap] = []
    cover = [s for s in sources if s.influence != Influence.RISK]

    if not any(s.category in PROFESSIONAL_CATEGORIES for s in cover):
        gaps.append(
            Gap(
                "no_professional",
                gettext(
                    "No professional support yet: "
                    "a counselor, doctor or therapist can help you plan."
                ),
                gettext("Add a professional"),
                add_category="counselor",
            )
        )
    if not any(s.category in COMMUNITY_CATEGORIES for s in cover):
        gaps.append(
            Gap(
                "no_group",
                gettext("No support group or community yet. People who have been there can help."),
                gettext("Add a group or community"),
                add_category="support_group",
            )
        )
    carrier = _carrier(cover)
    if carrier is not None:
        gaps.append(
            Gap(
                "one_person_carries",
                gettext(
                    "Most of your support rests on %(name)s. Spreading it out protects you both."
                )
                % {"name": carrier.name},
                gettext("Add someone else"),
            )
        )
    if not any(s.crisis_contact for s in cover):
        gaps.append(
            Gap(
                "no_crisis_contact",
                gettext("Nobody you can safely reach in a crisis is marked yet."),
                gettext("Add a crisis contact"),
            )
        )
    given = {t for s in cover for t in s.support_types}
    for support in SupportType:
        if support not in given:
            missing, action = NOBODY_GIVES[support]
            gaps.append(
                Gap(f"no_{support.value}", str(missing), str(action), add_support=support.value)
            )
    for source in sources:
        overdue = days_overdue(source, today)
        if overdue is not None:
            gaps.append(
                Gap(
                    "overdue_contact",
                    ngettext(
                        "You planned to be in touch with %(name)s %(how_often)s; "
                        "it has been %(days)d day.",
                        "You planned to be in touch with %(name)s %(how_often)s; "
                        "it has been %(days)d days.",
                        overdue,
                    )
                    % {
                        "name": source.name,
                        "how_often": source.get_contact_every_days_display().lower(),
                        "days": overdue,
                    },
                    gettext("Find %(name)s in your list") % {"name": source.name},
                    source=source,
                )
            )
    for source in sources:
        if source.influence == Influence.RISK and not source.boundaries_note.strip():
            gaps.append(
                Gap(
                    "risk_without_boundaries",
                    gettext(
                        "You marked %(name)s as a risk. Writing down your boundaries "
                        "makes them easier to keep."
                    )
                    % {"name": source.name},
                    gettext("Add boundaries for %(name)s") % {"name": source.name},
                    source=source,
                )
            )
    return gaps


def _carrier(sources: Sequence[SupportSource]) -> SupportSource | None:
    total = sum(len(s.support_types) for s in sources)
    if not total:
        return None
    heaviest = max(sources, key=lambda s: len(s.support_types))
    return heaviest if len(heaviest.support_types) / total > CARRYING_SHARE else None


def days_since_contact(source: SupportSource, today: date) -> int:
    """Days since the last logged contact, or since the source was added."""
    last = source.last_contact or timezone.localdate(source.created_at)
    return (today - last).days


def days_overdue(source: SupportSource, today: date) -> int | None:
    """Days since the last contact, if that is longer than planned; else None."""
    if not source.contact_every_days:
        return None
    days = days_since_contact(source, today)
    return days if days > source.contact_every_days else None
