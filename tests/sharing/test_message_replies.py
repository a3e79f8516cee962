"""The member answers a supporter's message from their dashboard ("Thank you", or a
few words of their own); the supporter reads it beneath what they sent."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from sharing import services
from sharing.models import Encouragement, Grant

HTMX = {"HX-Request": "true"}


@pytest.fixture
def message(their_supporter):
    grant = Grant.objects.get(grantee=their_supporter)
    return services.encouragement_send(grant=grant, body="Proud of you this week")


def reply_url(message) -> str:
    return reverse("sharing:message-reply", args=[message.pk])


def test_saying_thank_you_reaches_the_supporter(signed_in, member, message, supporter_client):
    dashboard = signed_in.get(reverse("dashboard")).content.decode()
    assert "Proud of you this week" in dashboard and "Say thank you" in dashboard

    response = signed_in.post(reply_url(message), {"reply": "Thank you"})

    assert response.status_code == 302
    assert "You replied:</span> Thank you" in signed_in.get(reverse("dashboard")).content.decode()
    page = supporter_client.get(reverse("sharing:supporting", args=[member.pk])).content.decode()
    assert f"{member} replied:</span> Thank you" in page


def test_a_reply_in_their_own_words_comes_back_in_place(signed_in, message):
    response = signed_in.post(reply_url(message), {"reply": "It helped <3"}, headers=HTMX)
    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith(f'<li id="message-{message.pk}"')
    assert "You replied:</span> It helped &lt;3" in html
    message.refresh_from_db()
    assert message.reply == "It helped <3" and message.replied_at is not None


def test_an_empty_reply_is_refused_with_the_form(signed_in, message):
    response = signed_in.post(reply_url(message), {"reply": "  "}, headers=HTMX)
    assert response.status_code == 422
    assert "This field is required" in response.content.decode()
    assert Encouragement.objects.get().replied_at is None


def test_a_reply_that_is_too_long_keeps_what_was_typed(signed_in, message):
    words = "x" * 281
    response = signed_in.post(reply_url(message), {"reply": words})
    assert response.status_code == 422
    assert words in response.content.decode()


@pytest.mark.parametrize(
    "change",
    [
        {"hide_messages": True},
        {"revoked_at": timezone.now()},
        {"ends_on": timezone.localdate() - timedelta(days=2)},
    ],
    ids=["hidden", "revoked", "ended"],
)
def test_only_a_message_on_the_dashboard_can_be_answered(
    change, signed_in, message, their_supporter
):
    Grant.objects.filter(grantee=their_supporter).update(**change)
    assert signed_in.post(reply_url(message), {"reply": "Thanks"}).status_code == 404
    assert Encouragement.objects.get().replied_at is None


def test_the_twenty_first_reply_in_an_hour_is_refused(signed_in, message):
    for n in range(20):
        assert signed_in.post(reply_url(message), {"reply": f"Thanks {n}"}).status_code == 302
    response = signed_in.post(reply_url(message), {"reply": "One more"}, headers=HTMX)
    assert response.status_code == 429
    html = response.content.decode()
    assert "sent a lot of replies" in html and "One more" in html
    assert Encouragement.objects.get().reply == "Thanks 19"
