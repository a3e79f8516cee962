"""The message a member can send to ask for support, drafted from their ask."""

from urllib.parse import quote

from networks.models import COMMUNITY_CATEGORIES, ContactEvery, SupportType
from plans.models import PlanSource

ASK_WORDS = {
    SupportType.EMOTIONAL: "be someone I can talk to when things are hard",
    SupportType.PRACTICAL: "help with some practical things",
    SupportType.INFORMATIONAL: "share advice or point me to good information",
    SupportType.RELAPSE_PREVENTION: "be someone I can call when I have cravings or feel at risk",
}


def greeting(source) -> str:
    """ "Hi Maria,", "Hi Dr. Chen,", "Hi everyone at Tuesday Night AA,": a first name
    for a person, the whole name for a titled professional, and the people of a group
    (a group is not a person to greet by its name)."""
    if source.category in COMMUNITY_CATEGORIES:
        return f"Hi everyone at {source.name},"
    words = source.name.split()
    if len(words) > 1 and words[0].rstrip(".").lower() in {"dr", "mr", "mrs", "ms", "mx"}:
        return f"Hi {' '.join(words[:2])},"
    return f"Hi {words[0] if words else 'there'},"


# The draft's words, for Python here and for static/js/app.js (which redrafts as the
# member ticks, from this same table, sent with the page as JSON): one wording.
DRAFT = {
    "wants": {value.value: words for value, words in ASK_WORDS.items()},
    "default_want": "be part of my support",
    "ask": "I'm putting together a plan to support my recovery, and you came to mind. "
    "Would you be willing to {wish}?",
    "how_often": " I was thinking {how_often}, if that works for you.",
    "how_often_words": {str(value): label.lower() for value, label in ContactEvery.choices},
    "no_pressure": "It's completely fine to say no, or to tell me what would work better for you.",
}


def draft_message(ask: PlanSource, *, sender: str) -> str:
    return draft_text(
        greeting=greeting(ask.source),
        wants=list(ask.ask_support),
        how_often=ask.ask_how_often,
        note=ask.ask_note,
        sender=sender,
    )


def draft_text(*, greeting: str, wants: list[str], how_often, note: str, sender: str) -> str:
    """The same steps as draftText in static/js/app.js."""
    words = [DRAFT["wants"][w] for w in wants if w in DRAFT["wants"]] or [DRAFT["default_want"]]
    wish = words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]
    ask = DRAFT["ask"].replace("{wish}", wish)
    if how_often and str(how_often) in DRAFT["how_often_words"]:
        ask += DRAFT["how_often"].replace("{how_often}", DRAFT["how_often_words"][str(how_often)])
    lines = [greeting, "", ask]
    if note.strip():
        lines += ["", note.strip()]
    lines += ["", DRAFT["no_pressure"], "", f"Thank you,\n{sender}" if sender else "Thank you"]
    return "\n".join(lines)


def mailto_link(email: str, body: str) -> str:
    return (
        f"mailto:{quote(email, safe='@+')}?subject={quote('Would you support me?')}"
        f"&body={quote(body)}"
    )


def sms_link(phone: str, body: str) -> str:
    return f"sms:{quote(phone.replace(' ', ''), safe='+')}?&body={quote(body)}"
