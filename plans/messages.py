"""The message a member can send to ask for support, drafted from their ask."""

from urllib.parse import quote

from django.utils.translation import gettext, pgettext
from django.utils.translation import gettext_lazy as _

from networks.models import COMMUNITY_CATEGORIES, ContactEvery, SupportType
from plans.models import PlanSource

# What the member asks each kind of support for, finishing "Would you be willing to …?".
ASK_WORDS = {
    SupportType.EMOTIONAL: _("be someone I can talk to when things are hard"),
    SupportType.PRACTICAL: _("help with some practical things"),
    SupportType.INFORMATIONAL: _("share advice or point me to good information"),
    SupportType.RELAPSE_PREVENTION: _("be someone I can call when I have cravings or feel at risk"),
}
TITLES = {"dr", "mr", "mrs", "ms", "mx"}


def greeting(source) -> str:
    """ "Hi Maria,", "Hi Dr. Chen,", "Hi everyone at Tuesday Night AA,": a first name
    for a person, the whole name for a titled professional, and the people of a group
    (a group is not a person to greet by its name)."""
    if source.category in COMMUNITY_CATEGORIES:
        return gettext("Hi everyone at %(group)s,") % {"group": source.name}
    words = source.name.split()
    if len(words) > 1 and words[0].rstrip(".").lower() in TITLES:
        return gettext("Hi %(name)s,") % {"name": " ".join(words[:2])}
    if not words:
        return gettext("Hi there,")
    return gettext("Hi %(name)s,") % {"name": words[0]}


def draft_words() -> dict:
    """The draft's words in the active language, for Python here and for
    static/js/plan.js (which redrafts as the member ticks, from this same table, sent
    with the page as JSON): one wording. "{wish}", "{how_often}" and "{sender}" are
    filled in by both."""
    return {
        "wants": {value.value: str(words) for value, words in ASK_WORDS.items()},
        "default_want": gettext("be part of my support"),
        "ask": gettext(
            "I'm putting together a plan to support my recovery, and you came to mind. "
            "Would you be willing to {wish}?"
        ),
        # Translators: follows the ask, after a space; {how_often} is "every week" and the like.
        "how_often": gettext(" I was thinking {how_often}, if that works for you."),
        "how_often_words": {
            str(value): str(label).lower() for value, label in ContactEvery.choices
        },
        # Translators: joins the last two of several wishes ("a, b and c").
        "and": gettext(" and "),
        "no_pressure": gettext(
            "It's completely fine to say no, or to tell me what would work better for you."
        ),
        # To a group, the same words: English says "you" to one or many; Spanish
        # does not ("¿Podrías…?" to one, "¿Podrían…?" to a group).
        "to_group": {
            "ask": pgettext(
                "the message to a group",
                "I'm putting together a plan to support my recovery, and you came to mind. "
                "Would you be willing to {wish}?",
            ),
            "how_often": pgettext(
                "the message to a group", " I was thinking {how_often}, if that works for you."
            ),
            "no_pressure": pgettext(
                "the message to a group",
                "It's completely fine to say no, or to tell me what would work better for you.",
            ),
        },
        "thanks": gettext("Thank you"),
        # Translators: the end of the message; {sender} is the member's name.
        "thanks_from": gettext("Thank you,\n{sender}"),
    }


def draft_message(ask: PlanSource, *, sender: str) -> str:
    return draft_text(
        greeting=greeting(ask.source),
        group=ask.source.category in COMMUNITY_CATEGORIES,
        wants=list(ask.ask_support),
        how_often=ask.ask_how_often,
        note=ask.ask_note,
        sender=sender,
    )


def draft_text(
    *, greeting: str, wants: list[str], how_often, note: str, sender: str, group: bool = False
) -> str:
    """The same steps as redraft in static/js/plan.js."""
    draft = draft_words()
    if group:
        draft.update(draft["to_group"])
    words = [draft["wants"][w] for w in wants if w in draft["wants"]] or [draft["default_want"]]
    wish = words[0] if len(words) == 1 else ", ".join(words[:-1]) + draft["and"] + words[-1]
    ask = draft["ask"].replace("{wish}", wish)
    if how_often and str(how_often) in draft["how_often_words"]:
        ask += draft["how_often"].replace("{how_often}", draft["how_often_words"][str(how_often)])
    lines = [greeting, "", ask]
    if note.strip():
        lines += ["", note.strip()]
    thanks = draft["thanks_from"].replace("{sender}", sender) if sender else draft["thanks"]
    lines += ["", draft["no_pressure"], "", thanks]
    return "\n".join(lines)


def mailto_link(email: str, body: str) -> str:
    return (
        f"mailto:{quote(email, safe='@+')}?subject={quote(gettext('Would you support me?'))}"
        f"&body={quote(body)}"
    )


def sms_link(phone: str, body: str) -> str:
    return f"sms:{quote(phone.replace(' ', ''), safe='+')}?&body={quote(body)}"
