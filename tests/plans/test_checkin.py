"""The daily check-in: one a local day, saved or changed by a plain form or HTMX."""

import html
import re
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone

from networks import selectors as network_selectors
from networks.models import ContactLog
from plans import services
from plans.models import CheckIn, RelapseItem
from tests.factories import SupportSourceFactory

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true"}
HELP_HEADING = "You don\u2019t have to go through this alone"


def url() -> str:
    return reverse("plans:checkin")


def local_today(user):
    """The member's today: the page works in their zone, not the server's."""
    return timezone.localdate(timezone=ZoneInfo(user.time_zone))


def text(response) -> str:
    return html.unescape(response.content.decode())


def checked(body: str, name: str) -> list[str]:
    """The values of the ticked boxes and chosen radio buttons called `name`."""
    inputs = re.findall(rf'<input [^>]*name="{name}"[^>]*>', body)
    values = [re.search(r'value="([^"]*)"', tag) for tag in inputs if " checked" in tag]
    return [value[1] if value else "on" for value in values]


FORM = '<form class="card checkin-form"'


@pytest.fixture
def items(member):
    plan = services.plan_start(owner=member)
    return {
        "payday": RelapseItem.objects.create(
            plan=plan, kind="trigger", description="Payday", coping="Pay bills first"
        ),
        "restless": RelapseItem.objects.create(
            plan=plan,
            kind="warning_sign",
            area="mood",
            description="Feeling restless",
            coping="Go for a walk",
        ),
    }


@pytest.fixture
def people(member):
    return {
        "maria": SupportSourceFactory(
            owner=member, name="Maria", phone="+1 555 201 3344", crisis_contact=True
        ),
        "ray": SupportSourceFactory(owner=member, name="Ray"),
    }


@pytest.fixture
def strangers(other_member):
    """Another member's plan item and person: never offered, never accepted."""
    plan = services.plan_start(owner=other_member)
    return {
        "item": RelapseItem.objects.create(
            plan=plan, kind="trigger", description="Someone else's trigger", coping="x"
        ),
        "source": SupportSourceFactory(
            owner=other_member, name="Someone Else", phone="+1 555 999 0000", crisis_contact=True
        ),
    }


def answers(items=None, people=None, **overrides) -> dict:
    data = {
        "mood": "4",
        "craving": "3",
        "triggers": [items["payday"].pk] if items else [],
        "coping_used": "Called a friend",
        "supports_contacted": [people["maria"].pk] if people else [],
        "meeting_attended": "on",
        "note": "A steady day.",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


# --- The form -------------------------------------------------------------------


def test_it_offers_only_the_members_own_items_and_people(signed_in, items, people, strangers):
    response = signed_in.get(url())
    assert response.status_code == 200
    body = text(response)
    for word in ("Very low", "Low", "Okay", "Good", "Very good", "0 (none)", "10 (overwhelming)"):
        assert re.search(rf">\s*{re.escape(word)}</label>", body)
    assert "Payday" in body and "Feeling restless" in body
    assert "Maria" in body and "Ray" in body
    assert "Someone else's trigger" not in body and "Someone Else" not in body
    assert "I need help now" in body
    assert HELP_HEADING not in body  # only once asked for


def test_it_points_to_the_plan_and_network_when_there_is_nothing_to_choose(signed_in):
    body = text(signed_in.get(url()))
    assert reverse("plans:step", args=[4]) in body
    assert reverse("networks:network") in body
    assert 'name="triggers"' not in body and 'name="supports_contacted"' not in body


def caution_of(body: str, name: str) -> str | None:
    """The caution drawn beside `name` in "Who were you in touch with today?"."""
    supports = body.split('id="id_supports_contacted"', 1)[1].split("</fieldset>", 1)[0]
    row = supports.split(f" {name}</label>", 1)[1].split("</div>", 1)[0]
    caution = re.search(r'<p class="caution"([^>]*)>(.*?)</p>', row, re.S)
    return caution and (caution[1], caution[2])


def test_someone_marked_a_risk_gets_the_plans_caution_once_ticked(signed_in, member, people):
    tony = SupportSourceFactory(owner=member, name="Tony", influence="risk")
    body = text(signed_in.get(url()))
    attrs, words = caution_of(body, "Tony")
    # Beside Tony, hidden until ticked (static/js/plan.js shows it at once).
    assert "hidden" in attrs and "data-when-ticked" in attrs
    assert "You marked Tony as a risk to your recovery." in words
    assert f'href="{reverse("networks:source-edit", args=[tony.pk])}"' in words
    assert caution_of(body, "Ray") is None and caution_of(body, "Maria") is None

    # Ticked and saved, the caution shows (also without JavaScript).
    response = signed_in.post(url(), answers(supports_contacted=[tony.pk]), headers=HTMX)
    attrs, words = caution_of(text(response), "Tony")
    assert "hidden" not in attrs
    assert "Your boundaries with Tony" in words
    attrs, _ = caution_of(text(signed_in.get(url())), "Tony")
    assert "hidden" not in attrs


def test_it_asks_anonymous_visitors_to_sign_in(client):
    for response in (client.get(url()), client.post(url(), answers())):
        assert response.status_code == 302
        assert response.url.startswith(reverse("account_login"))
    assert not CheckIn.objects.exists()


# --- Saving ---------------------------------------------------------------------


def test_it_saves_todays_checkin_and_goes_to_the_history(signed_in, member, items, people):
    response = signed_in.post(url(), answers(items, people), follow=True)
    assert response.redirect_chain == [(reverse("plans:history"), 302)]
    assert "Thank you for checking in." in text(response)
    checkin = CheckIn.objects.get(owner=member)
    assert checkin.day == local_today(member)
    assert (checkin.mood, checkin.craving) == (4, 3)
    assert checkin.coping_used == "Called a friend"
    assert checkin.meeting_attended is True
    assert checkin.needed_help is False
    assert checkin.note == "A steady day."
    assert list(checkin.triggers.all()) == [items["payday"]]
    assert list(checkin.supports_contacted.all()) == [people["maria"]]


def test_with_htmx_it_returns_the_form_with_thanks(signed_in, member, items, people):
    response = signed_in.post(url(), answers(items, people), headers=HTMX)
    assert response.status_code == 200
    body = text(response)
    assert "<h1>" not in body  # the fragment, not the page
    assert '<div id="checkin-status" hx-swap-oob="innerHTML">Thank you for checking in.' in body
    assert checked(body, "mood") == ["4"]
    assert checked(body, "triggers") == [str(items["payday"].pk)]
    assert "Save today\u2019s check-in" in body
    assert response["HX-Reswap"] == "outerHTML show:#checkin-status:top"
    assert CheckIn.objects.filter(owner=member).count() == 1


def test_a_second_checkin_the_same_day_changes_the_first(signed_in, member, items, people):
    signed_in.post(url(), answers(items, people))
    changed = answers(
        items,
        people,
        mood="2",
        craving="8",
        triggers=[items["restless"].pk],
        supports_contacted=[people["ray"].pk],
        meeting_attended=None,
        note="Harder this evening.",
    )
    signed_in.post(url(), changed, headers=HTMX)
    checkin = CheckIn.objects.get(owner=member)
    assert (checkin.mood, checkin.craving, checkin.meeting_attended) == (2, 8, False)
    assert checkin.note == "Harder this evening."
    assert list(checkin.triggers.all()) == [items["restless"]]
    assert list(checkin.supports_contacted.all()) == [people["ray"]]


def test_the_page_shows_todays_answers_to_change(signed_in, member, items, people):
    signed_in.post(url(), answers(items, people))
    body = text(signed_in.get(url()))
    assert checked(body, "mood") == ["4"]
    assert checked(body, "craving") == ["3"]
    assert checked(body, "triggers") == [str(items["payday"].pk)]
    assert checked(body, "supports_contacted") == [str(people["maria"].pk)]
    assert checked(body, "meeting_attended") == ["on"]
    assert "A steady day." in body
    assert "Save today\u2019s check-in" in body


def test_yesterdays_checkin_leaves_today_open(signed_in, member):
    yesterday = local_today(member) - timedelta(days=1)
    CheckIn.objects.create(owner=member, day=yesterday, mood=1, craving=9, note="Rough night")
    body = text(signed_in.get(url()))
    assert "Rough night" not in body
    assert checked(body, "mood") == [] and checked(body, "craving") == []
    assert ">Check in</button>" in body
    signed_in.post(url(), answers())
    assert sorted(CheckIn.objects.values_list("day", flat=True)) == [
        yesterday,
        local_today(member),
    ]


def test_the_day_is_the_members_local_day(signed_in, member):
    member.time_zone = "Pacific/Kiritimati"  # UTC+14: often a day ahead of UTC
    member.save()
    signed_in.post(url(), answers())
    assert CheckIn.objects.get().day == local_today(member)


def test_supports_contacted_are_logged_as_contacts(signed_in, member, people):
    today = local_today(member)
    signed_in.post(url(), answers(people=people))
    signed_in.post(url(), answers(people=people, mood="5"))  # changed later: still one log
    assert list(ContactLog.objects.values_list("source__name", "contacted_on")) == [
        ("Maria", today)
    ]
    network = network_selectors.network_for(member)
    assert {s.name: s.last_contact for s in network.sources} == {"Maria": today, "Ray": None}


# --- Bad input ------------------------------------------------------------------

BAD = {
    "mood 0": ({"mood": "0"}, "mood", "Select a valid choice. 0 is not one of the available"),
    "mood 6": ({"mood": "6"}, "mood", "Select a valid choice. 6 is not one of the available"),
    "no mood": ({"mood": None}, "mood", "Choose the word closest to how you feel today."),
    "craving 11": ({"craving": "11"}, "craving", "Select a valid choice. 11 is not one"),
    "craving -1": ({"craving": "-1"}, "craving", "Select a valid choice. -1 is not one"),
    "no craving": ({"craving": None}, "craving", "Choose a number from 0 (none) to 10"),
    "a word for a number": ({"mood": "great"}, "mood", "Select a valid choice."),
    "another member's trigger": (
        {"triggers": "STRANGER_ITEM"},
        "triggers",
        "Select a valid choice.",
    ),
    "another member's person": (
        {"supports_contacted": "STRANGER_SOURCE"},
        "supports_contacted",
        "Select a valid choice.",
    ),
    "a removed person": ({"supports_contacted": "REMOVED"}, "supports_contacted", "Select a valid"),
    "not an id": ({"triggers": "abc"}, "triggers", "“abc” is not a valid value."),
    "a long note": ({"note": "n" * 2001}, "note", "at most 2000 characters (it has 2001)"),
    "a long coping": ({"coping_used": "c" * 301}, "coping_used", "at most 300 characters"),
}


def _bad_data(case, items, people, strangers, member) -> dict:
    removed = SupportSourceFactory(owner=member, name="Gone", deleted_at=timezone.now())
    ids = {
        "STRANGER_ITEM": strangers["item"].pk,
        "STRANGER_SOURCE": strangers["source"].pk,
        "REMOVED": removed.pk,
    }
    data = answers(items, people, note="Keep these words")
    for key, value in BAD[case][0].items():
        if value is None:
            del data[key]
        else:
            data[key] = ids.get(value, value)
    return data


@pytest.mark.parametrize("htmx", [False, True], ids=["plain", "htmx"])
@pytest.mark.parametrize("case", list(BAD))
def test_bad_input_is_refused_with_the_answers_kept(
    signed_in, member, items, people, strangers, case, htmx
):
    data = _bad_data(case, items, people, strangers, member)
    response = signed_in.post(url(), data, headers=HTMX if htmx else {})
    assert response.status_code == 422
    _, field, message = BAD[case]
    body = text(response)
    assert f'id="id_{field}_error"' in body
    assert message in body
    assert "Please check the highlighted answers below." in body
    if field != "coping_used":
        assert 'value="Called a friend"' in body
    if field != "note":
        assert "Keep these words" in body
    assert ("<h1>" in body) is not htmx
    assert not CheckIn.objects.exists()
    assert not ContactLog.objects.exists()


def test_bad_input_loses_nothing_already_saved(signed_in, member, items, people):
    signed_in.post(url(), answers(items, people))
    response = signed_in.post(url(), answers(items, people, mood="9", note="changed"))
    assert response.status_code == 422
    checkin = CheckIn.objects.get(owner=member)
    assert (checkin.mood, checkin.note) == (4, "A steady day.")
    assert "Save today\u2019s check-in" in text(response)


def test_only_get_and_post_are_allowed(signed_in):
    assert signed_in.put(url()).status_code == 405


# --- "I need help now" ----------------------------------------------------------


def _help_shown_first(body: str) -> bool:
    return HELP_HEADING in body and body.index(HELP_HEADING) < body.index(FORM)


@pytest.mark.parametrize("htmx", [False, True], ids=["plain", "htmx"])
def test_needing_help_shows_crisis_contacts_and_lines_at_once(
    signed_in, member, people, strangers, htmx
):
    response = signed_in.post(
        url(), answers(people=people, needed_help="on"), headers=HTMX if htmx else {}
    )
    assert response.status_code == 200  # shown in this response, not after a redirect
    body = text(response)
    assert _help_shown_first(body)
    assert 'href="tel:+1 555 201 3344">Call Maria</a>' in body
    assert 'href="tel:988"' in body and 'href="tel:911"' in body
    assert "Someone Else" not in body
    assert "Ray" not in body[: body.index(FORM)]  # not a crisis contact
    assert "Thank you for checking in." in body
    assert CheckIn.objects.get(owner=member).needed_help is True


@pytest.mark.parametrize("htmx", [False, True], ids=["plain", "htmx"])
def test_asking_for_help_alone_shows_help_and_no_error(signed_in, member, people, htmx):
    response = signed_in.post(
        url(), answers(people=people, mood=None, needed_help="on"), headers=HTMX if htmx else {}
    )
    assert response.status_code == 200
    body = text(response)
    assert _help_shown_first(body)
    assert 'href="tel:+1 555 201 3344">Call Maria</a>' in body
    assert "Choose the word closest to how you feel today." not in body  # no red marks
    assert "When you feel able, you can finish your check-in below." in body
    assert not CheckIn.objects.exists()
    if htmx:  # scrolled to the help, not only to the answer to fix
        assert response["HX-Reswap"] == "outerHTML show:#checkin-status:top"


def test_needing_help_without_crisis_contacts_offers_to_choose_them(signed_in):
    body = text(signed_in.post(url(), answers(needed_help="on")))
    assert _help_shown_first(body)
    assert "You have not marked anyone as a crisis contact yet." in body
    assert 'href="tel:988"' in body


# --- Queries --------------------------------------------------------------------


def _history(member, size: int, items, people) -> None:
    """`size` check-ins: today's (with triggers and people) and the days before it."""
    today = local_today(member)
    CheckIn.objects.bulk_create(
        CheckIn(owner=member, day=today - timedelta(days=n), mood=1 + n % 5, craving=n % 11)
        for n in range(1, size)
    )
    todays = CheckIn.objects.create(owner=member, day=today, mood=3, craving=2)
    todays.triggers.set(items.values())
    todays.supports_contacted.set(people.values())


@pytest.mark.parametrize("size", [5, 90])
def test_the_page_runs_a_fixed_number_of_queries(
    signed_in, member, items, people, size, django_assert_num_queries
):
    _history(member, size, items, people)
    # session, user, the latest check-in (today's), its triggers, its people; then the member's
    # plan items and people to choose from (each listed once).
    with django_assert_num_queries(7):
        response = signed_in.get(url())
    assert response.status_code == 200
    body = text(response)
    assert checked(body, "mood") == ["3"]
    assert len(checked(body, "triggers")) == len(items)
    assert len(checked(body, "supports_contacted")) == len(people)


@pytest.mark.parametrize("size", [5, 90])
def test_saving_runs_a_fixed_number_of_queries(
    signed_in, member, items, people, size, django_assert_num_queries
):
    _history(member, size, items, people)
    data = answers(
        items, people, supports_contacted=[p.pk for p in people.values()], needed_help="on"
    )
    # session, user; the latest check-in (which day today is, plans/days.py);
    # "I need help now" saved first (looked for, then made: savepoint,
    # insert, release); the chosen triggers and people checked (2); in a transaction
    # (savepoint ... release): the day's row locked and updated (savepoint, select, update,
    # release); the triggers read and the one untied removed; the people read (both
    # already tied); the contacts logged in one insert; then crisis contacts and the
    # two lists to choose from.
    with django_assert_num_queries(22):
        response = signed_in.post(url(), data, headers=HTMX)
    assert response.status_code == 200
    assert ContactLog.objects.count() == 2
