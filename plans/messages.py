"""The message a member can send to ask for support, drafted from their ask."""

from urllib.parse import quote

from networks.models import COMMUNITY_CATEGORIES, SupportType
from plans.models import PlanSource

ASK_WORDS = {
    SupportType.EMOTIONAL: "be someone I can talk to when things are hard",
    SupportType.PRACTICAL: "help with some practical things",
    SupportType.INFORMATIONAL: "share advice or point me to good information",
    SupportType.RELAPSE_PREVENTION: "be someone I can call when I have cravings or feel at risk",
}


def greeting_name(source) -> str:
    """ "Hi Maria", "Hi Dr. Chen", "Hi Tuesday SMART group": a first name for a person,
    the whole name for a group or a titled professional."""
    if source.category in COMMUNITY_CATEGORIES:
        return source.name
    words = source.name.split()
    if len(words) > 1 and words[0].rstrip(".").lower() in {"dr", "mr", "mrs", "ms", "mx"}:
        return " ".join(words[:2])
    return words[0] if words else "there"


def draft_message(ask: PlanSource, *, sender: str) -> str:
    wants = [ASK_WORDS[SupportType(value)] for value in ask.ask_support] or [
        "be part of my support"
    ]
    wish = wants[0] if len(wants) == 1 else ", ".join(wants[:-1]) + " and " + wants[-1]
    lines = [
        f"Hi {greeting_name(ask.source)},",
        "",
        "I'm putting together a plan to support my recovery, and you came to mind. "
        f"Would you be willing to {wish}?",
    ]
    if ask.ask_how_often:
        lines[-1] += (
            f" I was thinking {ask.get_ask_how_often_display().lower()}, if that works for you."
        )
    if ask.ask_note.strip():
        lines += ["", ask.ask_note.strip()]
    lines += [
        "",
        "It's completely fine to say no, or to tell me what would work better for you.",
        "",
        f"Thank you,\n{sender}" if sender else "Thank you",
    ]
    return "\n".join(lines)


def mailto_link(email: str, body: str) -> str:
    return (
        f"mailto:{quote(email, safe='@+')}?subject={quote('Would you support me?')}"
        f"&body={quote(body)}"
    )


def sms_link(phone: str, body: str) -> str:
    return f"sms:{quote(phone.replace(' ', ''), safe='+')}?&body={quote(body)}"
