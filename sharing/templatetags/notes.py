"""What counselors wrote, for the member's plan pages: plans' templates show it, but
plans may not read sharing (the dependencies run the other way), so they ask here."""

from django import template

from sharing import notes

register = template.Library()


@register.filter
def threads(comments) -> list[notes.Thread]:
    """A step's comments (first comments and replies, as its view read them) as the
    member's threads."""
    found = notes.threads(comments)
    for thread in found:
        thread.about = notes.about(thread.comment)
    return found


@register.simple_tag(takes_context=True)
def unread_notes(context) -> notes.Unread | None:
    """The signed-in member's notes still new to them; nothing is read until the
    page asks how many (one query)."""
    request = context.get("request")
    if request is None or not request.user.is_authenticated:
        return None
    return notes.unread_for(request.user)
