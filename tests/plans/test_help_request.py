"""Asking for help: "I need help now" on its own (the help screen, the dashboard, the
check-in's tick) and "I had a slip". Saved at once, whatever else was answered; the
member sees right there who is told and who is not. The alerts themselves are in
tests/sharing/test_alerts.py."""

import html
import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from networks.models import SupportSource
from plans.models import CheckIn, HelpCall, Plan, RelapseItem
from sharing.models import Grant
from tests.factories import CounselorFactory, SupportSourceFactory, UserFactory

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true"}
SLIP_WORDS = (
    "A slip is part of many people\N{RIGHT SINGLE QUOTATION MARK}s recovery. "
    "You reached out, and that matters."
)


def text(response) -> str:
    return html.unescape(response.content.decode())


def told_line(body: str, name: str) -> str:
    """The line of the "who is told" list about `name`, in one line of text."""
    told = body.split('id="told"')[1].split("</section>")[0]
    for item in re.findall(r"<li>(.*?)</li>", told, re.S):
        if f"<strong>{name}</strong>" in item:
            return " ".join(item.split())
    raise AssertionError(f"{name} is not in the list")


def plan_for(member, size: int = 1) -> Plan:
    """A plan with `size` warning signs (each with someone to call) and one trigger,
    `size` crisis contacts, and a plan for the first 24 hours."""
    plan = Plan.objects.create(owner=member, first_day_after_slip="Call Maria.\nGo to the 7pm.")
    for n in range(size):
        person = SupportSourceFactory(
            owner=member, name=f"Maria {n}", phone=f"+1 555 201 {3300 + n}", crisis_contact=True
        )
        RelapseItem.objects.create(
            plan=plan,
            kind="warning_sign",
            area="mood",
            description=f"Skipping meals {n}",
            coping="Eat something small",
            contact=person,
        )
    RelapseItem.objects.create(plan=plan, kind="trigger", description="Payday", coping="Pay bills")
    return plan


# --- Help, alone ------------------------------------------------------------------


def test_help_alone_is_saved_at_once(signed_in, member):
    response = signed_in.post(reverse("help-ask"))
    call = HelpCall.objects.get(owner=member)
    assert (call.kind, call.checkin_day) == ("help", None)
    assert response.status_code == 302
    assert response["Location"] == reverse("help-asked", args=[call.pk])


@pytest.mark.parametrize("page", ["need_help", "dashboard"])
def test_the_help_screen_and_the_dashboard_have_the_button(signed_in, page):
    body = text(signed_in.get(reverse(page)))
    assert f'<form method="post" action="{reverse("help-ask")}">' in body
    assert ">I need help now</button>" in body
    assert f'href="{reverse("help-slip")}">I had a slip</a>' in body


def test_the_button_is_only_for_people_signed_in(client):
    body = text(client.get(reverse("need_help")))
    assert reverse("help-ask") not in body
    assert 'href="tel:988"' in body


def test_the_check_in_tick_alone_saves_a_help_call(signed_in, member):
    """Found by testers: "I need help now" ticked on its own recorded nothing."""
    response = signed_in.post(reverse("plans:checkin"), {"needed_help": "on"})
    call = HelpCall.objects.get(owner=member)
    assert call.checkin_day is not None
    assert not CheckIn.objects.exists(), "the rest can wait"
    # Who is told is loaded in place from the help screen (plans knows no grants).
    assert f'hx-get="{reverse("help-asked", args=[call.pk])}"' in text(response)


def test_the_check_in_tick_asks_once_a_day(signed_in, member):
    url = reverse("plans:checkin")
    signed_in.post(url, {"needed_help": "on"})
    signed_in.post(url, {"mood": "2", "craving": "7", "needed_help": "on"})  # finished later
    signed_in.post(url, {"mood": "2", "craving": "6", "needed_help": "on"})  # changed again
    assert HelpCall.objects.filter(owner=member).count() == 1
    assert CheckIn.objects.get(owner=member).needed_help


def test_extra_fields_cannot_change_what_is_asked(signed_in, member, other_member):
    signed_in.post(
        reverse("help-ask"), {"kind": "slip", "owner": other_member.pk, "tell": [other_member.pk]}
    )
    call = HelpCall.objects.get()
    assert (call.owner, call.kind, list(call.tell.all())) == (member, "help", [])


# --- Who is told ------------------------------------------------------------------


def test_the_member_sees_who_is_told_and_who_is_not(
    signed_in, member, their_counselor, their_supporter
):
    Grant.objects.filter(grantee=their_counselor).update(alert_on_help=True)
    # The member's own entry for the supporter, found by address; a stranger's is not.
    SupportSourceFactory(
        owner=member, name="Robin S.", email=their_supporter.email.upper(), phone="+1 555 300 4000"
    )
    SupportSourceFactory(owner=UserFactory(), email=their_supporter.email, phone="+1 555 999 9999")
    body = text(signed_in.post(reverse("help-ask"), follow=True))
    assert "You asked for help at" in body
    assert "we are emailing them now that you asked for help" in told_line(body, "Dr. Ade")
    robin = told_line(body, "Robin")
    assert "not told: help alerts are off for them" in robin
    assert 'href="tel:+1 555 300 4000">Call Robin</a>' in robin
    assert 'href="sms:+1 555 300 4000">Text Robin</a>' in robin
    assert "999 9999" not in body


def test_with_nobody_to_tell_it_says_so(signed_in):
    body = text(signed_in.post(reverse("help-ask"), follow=True))
    assert "Nobody has access to your space, so nobody was emailed." in body
    assert 'href="tel:988"' in body


def test_the_check_in_loads_only_who_is_told(signed_in, member, their_counselor):
    call = HelpCall.objects.create(owner=member)
    body = text(signed_in.get(reverse("help-asked", args=[call.pk]), headers=HTMX))
    assert body.lstrip().startswith('<section class="need-help-now" id="told"')
    assert "Dr. Ade" in body and "Crisis lines" not in body


# --- The help screen --------------------------------------------------------------


def test_the_help_screen_shows_the_members_plan_first(signed_in, member):
    plan_for(member)
    body = text(signed_in.get(reverse("need_help")))
    order = [
        "Skipping meals 0",  # warning signs first
        "Payday",
        'id="people-heading"',
        "Call Maria.<br>Go to the 7pm.",
        'id="lines-heading"',
    ]
    assert [body.index(part) for part in order] == sorted(body.index(part) for part in order)
    sign = body[body.index("Skipping meals 0") : body.index("Payday")]
    assert "What you will do:</strong> Eat something small" in sign
    assert "Who you will contact:</strong> Maria 0" in sign
    assert 'href="tel:+1 555 201 3300">Call Maria 0</a>' in sign
    assert 'href="sms:+1 555 201 3300">Text Maria 0</a>' in sign


def test_a_contact_removed_from_the_network_is_not_offered(signed_in, member):
    plan_for(member)
    SupportSource.objects.filter(name="Maria 0").update(deleted_at=timezone.now())
    body = text(signed_in.get(reverse("need_help")))
    assert "Who you will contact" not in body and "Call Maria 0" not in body


# --- A slip -----------------------------------------------------------------------


def test_a_slip_opens_the_first_24_hours_and_offers_the_people_with_access(
    signed_in, member, their_counselor, their_supporter, other_member
):
    plan_for(member)
    stranger = UserFactory(display_name="Stranger")
    Grant.objects.create(member=other_member, grantee=stranger, role="supporter")
    body = text(signed_in.get(reverse("help-slip")))
    assert SLIP_WORDS in body
    assert "Call Maria.<br>Go to the 7pm." in body
    boxes = re.findall(r'<input type="checkbox" name="tell" value="(\d+)"[^>]*>', body)
    assert sorted(map(int, boxes)) == sorted([their_counselor.pk, their_supporter.pk])
    assert " checked" not in "".join(re.findall(r'<input type="checkbox"[^>]*>', body))
    assert "Dr. Ade, your counselor" in body and "Robin, your supporter" in body
    assert "Stranger" not in body


def test_a_slip_is_noted_for_the_member_alone(signed_in, member, their_supporter):
    response = signed_in.post(reverse("help-slip"), {"note": "After the party."})
    call = HelpCall.objects.get(owner=member)
    assert (call.kind, call.note, list(call.tell.all())) == ("slip", "After the party.", [])
    body = text(signed_in.get(response["Location"]))
    assert SLIP_WORDS in body
    assert "Your note, for you alone: After the party." in body
    assert "not told" in told_line(body, "Robin")
    supporter = Client()
    supporter.force_login(their_supporter)
    page = text(supporter.get(reverse("sharing:supporting", args=[member.pk])))
    assert "had a slip" not in page and "After the party" not in page


@pytest.mark.parametrize(
    ("data", "error"),
    [
        ({"tell": ["stranger"]}, "is not one of the available choices"),
        ({"tell": ["not-a-number"]}, "is not one of the available choices"),
        ({"note": "x" * 501}, "at most 500 characters"),
        ({"note": "a\x00b"}, "Null characters are not allowed."),
    ],
    ids=["someone-elses-supporter", "not-a-number", "too-long", "null-character"],
)
def test_the_slip_form_refuses_hostile_input(signed_in, other_member, their_supporter, data, error):
    stranger = CounselorFactory()
    Grant.objects.create(member=other_member, grantee=stranger, role="counselor")
    if data.get("tell") == ["stranger"]:
        data = {"tell": [str(stranger.pk)]}
    response = signed_in.post(reverse("help-slip"), data)
    assert response.status_code == 422
    assert error in text(response)
    assert not HelpCall.objects.exists()


def test_words_people_typed_are_shown_as_typed(signed_in, member):
    hostile = '<script>alert(1)</script>"><img src=x onerror=alert(2)>'
    response = signed_in.post(reverse("help-slip"), {"note": hostile}, follow=True)
    body = response.content.decode()
    assert "<script>alert(1)" not in body and "<img src=x" not in body
    assert hostile in text(response)


# --- Queries ----------------------------------------------------------------------


@pytest.mark.parametrize("size", [1, 8])
def test_the_help_screen_reads_a_fixed_number_of_queries(
    signed_in, member, size, django_assert_num_queries
):
    plan_for(member, size)
    # session, user, the plan, its items with their contacts, the crisis contacts
    with django_assert_num_queries(5):
        assert signed_in.get(reverse("need_help")).status_code == 200


@pytest.mark.parametrize("size", [1, 6])
def test_who_is_told_reads_a_fixed_number_of_queries(
    signed_in, member, size, django_assert_num_queries
):
    plan_for(member, size)
    for n in range(size):
        person = UserFactory()
        Grant.objects.create(member=member, grantee=person, role="supporter", alert_on_help=n % 2)
        SupportSourceFactory(owner=member, email=person.email, phone=f"+1 555 400 {1000 + n}")
    call = HelpCall.objects.create(owner=member)
    # session, user, the help call, the people with access and whether each is
    # told, their numbers, then the help screen's three
    with django_assert_num_queries(8):
        assert signed_in.get(reverse("help-asked", args=[call.pk])).status_code == 200


@pytest.mark.parametrize("size", [1, 6])
def test_the_slip_page_reads_a_fixed_number_of_queries(
    signed_in, member, size, django_assert_num_queries
):
    plan_for(member, size)
    for _ in range(size):
        Grant.objects.create(member=member, grantee=UserFactory(), role="supporter")
    # session, user, the people with access, then the help screen's three
    with django_assert_num_queries(6):
        assert signed_in.get(reverse("help-slip")).status_code == 200
