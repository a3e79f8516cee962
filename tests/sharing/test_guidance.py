""" "How to help" on a supporter's home: six short lessons in plain words, each with one
thing to try this week, sources named at the foot; lessons marked read privately; and
what the member's plan asks of this supporter only where the member allows it."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from plans.models import Plan, PlanSource
from sharing.guidance import LESSONS
from sharing.models import AccessRecord, Grant, LessonRead
from tests.factories import SupportSourceFactory


@pytest.fixture
def supporter_client(their_supporter):
    client = Client()
    client.force_login(their_supporter)
    return client


def home(client, member) -> str:
    return client.get(reverse("sharing:supporting", args=[member.pk])).content.decode()


def words(text: str) -> list[str]:
    return re.findall(r"[A-Za-z\u2019'-]+", text)


def syllables(word: str) -> int:
    """Vowel groups, less a silent final e: the usual estimate."""
    word = word.lower().strip("\u2019'-")
    groups = len(re.findall(r"[aeiouy]+", word))
    if word.endswith("e") and not word.endswith(("le", "ee")) and groups > 1:
        groups -= 1
    return max(groups, 1)


def grade(text: str) -> float:
    """Flesch-Kincaid grade level."""
    sentences = max(len(re.findall(r"[.!?](?:[”\"]|\s|$)", text)), 1)
    found = words(text)
    return (
        0.39 * len(found) / sentences + 11.8 * sum(syllables(w) for w in found) / len(found) - 15.59
    )


def lesson_text(lesson) -> str:
    return " ".join(str(part) for part in [*lesson.paragraphs, lesson.try_this])


def test_the_lessons_are_short_and_plain():
    assert len(LESSONS) == 6
    for lesson in LESSONS:
        text = lesson_text(lesson)
        assert len(words(text)) <= 170, lesson.slug
        assert grade(text) <= 7.5, (lesson.slug, grade(text))


def test_a_supporter_reads_every_lesson_with_a_thing_to_try_and_the_sources(
    supporter_client, member
):
    html = home(supporter_client, member)
    assert html.count("Try this week:") == 6
    for title in ("How to talk so it helps", "After a slip", "Support for you"):
        assert title in html
    assert "Community Reinforcement and Family Training (CRAFT)" in html
    assert "Al-Anon" in html


def test_marking_a_lesson_read_shows_only_to_the_supporter(
    supporter_client, signed_in, member, their_supporter
):
    url = reverse("sharing:lesson-read", args=[member.pk, "after-a-slip"])
    response = supporter_client.post(url, headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert "You marked this read" in response.content.decode()
    supporter_client.post(url)  # twice: still one
    assert list(LessonRead.objects.values_list("reader", "lesson")) == [
        (their_supporter.pk, "after-a-slip")
    ]
    assert "You marked this read" in home(supporter_client, member)
    for page in ("dashboard", "sharing:sharing", "sharing:access-log"):
        assert "marked this read" not in signed_in.get(reverse(page)).content.decode()
    unknown = reverse("sharing:lesson-read", args=[member.pk, "no-such-lesson"])
    assert supporter_client.post(unknown).status_code == 404


@pytest.fixture
def agreed(member, their_supporter):
    source = SupportSourceFactory(owner=member, name="Robin")
    plan = Plan.objects.create(owner=member)
    PlanSource.objects.create(
        plan=plan,
        source=source,
        ask_support=["practical"],
        ask_note="Drive me to Tuesday meetings",
        can_give="Rides on Tuesdays",
        my_boundaries="Don't ask about my drinking",
        their_boundaries="No calls after 10pm",
        outcome="agreed",
    )
    return source


def test_what_the_plan_asks_of_them_shows_only_with_the_members_consent(
    signed_in, supporter_client, member, their_supporter, agreed
):
    grant = Grant.objects.get(grantee=their_supporter)
    settings_url = reverse("sharing:grant-settings", args=[grant.pk])
    signed_in.post(settings_url, {"source": agreed.pk})
    assert "Drive me to Tuesday meetings" not in home(supporter_client, member), "off by default"

    signed_in.post(settings_url, {"source": agreed.pk, "share_agreement": "on"})
    html = home(supporter_client, member)
    for shown in ("Drive me to Tuesday meetings", "Rides on Tuesdays", "No calls after 10pm"):
        assert shown in html
    assert "Don&#x27;t ask about my drinking" in html
    record = AccessRecord.objects.filter(member=member).first()
    assert record.what.endswith(", and what your plan asks of them")


def test_a_member_cannot_link_a_supporter_to_someone_elses_source(
    signed_in, member, their_supporter, other_member
):
    grant = Grant.objects.get(grantee=their_supporter)
    theirs = SupportSourceFactory(owner=other_member)
    response = signed_in.post(
        reverse("sharing:grant-settings", args=[grant.pk]), {"source": theirs.pk}
    )
    assert response.status_code == 422
    grant.refresh_from_db()
    assert grant.source_id is None
