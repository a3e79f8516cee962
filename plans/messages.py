"""The message a member can send to ask for support, drafted from their ask."""

from urllib.parse import quote

from networks.models import SupportType
from plans.models import PlanSource

ASK_WORDS = {
    SupportType.EMOTIONAL: "be someone I can talk to when things are hard",
    SupportType.PRACTICAL: "help with some practical things",
    SupportType.INFORMATIONAL: "share advice or point me to good information",
    SupportType.RELAPSE_PREVENTION: "be someone I can call when I have cravings or feel at risk",
}


def draft_message(ask: PlanSource, *, sender: str) -> str:
    name = ask.source.name
    wants = [ASK_WORDS[SupportType(value)] for value in ask.ask_support] or [
        "be part of my support"
    ]
    wish = wants[0] if len(wants) == 1 else ", ".join(wants[:-1]) + " and " + wants[-1]
    how_often = f" {ask.get_ask_how_often_display().lower()}" if ask.ask_how_often else ""
    lines = [
        f"Hi {name},",
        "",
        "I'm putting together a plan to support my recovery, and you came to mind. "
        f"Would you be willing to {wish}{how_often}?",
    ]
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
