"""What a counselor sees and may do, and what they never see."""

import time
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format, time_format

from plans.models import CheckIn, Goal, HelpCall, Plan, PlanSource, RelapseItem, Revision
from recovery_support.models import User
from sharing.models import AccessRecord, Comment, Grant, Review
from tests.factories import CounselorFactory, SupportSourceFactory, UserFactory
from tests.sharing.conftest import page_words


@pytest.fixture
def plan(member):
    plan = Plan.objects.create(owner=member, status="active", activated_at=timezone.now())
    RelapseItem.objects.create(
        plan=plan, kind="trigger", description="Payday evenings", coping="Call Sam"
    )
    RelapseItem.objects.create(
        plan=plan,
        kind="trigger",
        description="My brother's visits",
        coping="Leave early",
        visibility="only_me",
    )
    Goal.objects.create(plan=plan, title="Walk every day", progress=40)
    return plan


def test_it_shows_the_plan_network_and_check_ins_without_private_items(
    counselor_client, member, plan
):
    SupportSourceFactory(owner=member, name="Aunt May")
    SupportSourceFactory(owner=member, name="Old friend Lee", is_private=True, notes="secret")
    today = member.local_today()
    CheckIn.objects.create(owner=member, day=today, mood=2, craving=7, note="Private diary line")

    response = counselor_client.get(reverse("sharing:client", args=[member.pk]))

    assert response.status_code == 200
    html = response.content.decode()
    assert "Payday evenings" in html
    assert "Aunt May" in html
    assert "Walk every day" in html
    assert "Cravings" in html
    for private in ("My brother", "Old friend Lee", "secret", "Private diary line"):
        assert private not in html, private


def test_private_changes_never_show_in_what_changed(signed_in, counselor_client, member, plan):
    item = RelapseItem.objects.get(visibility="only_me")
    signed_in.post(
        reverse("plans:item-edit", args=["relapse", item.pk]),
        {
            "kind": "trigger",
            "description": "Brother's birthday",
            "coping": "Stay home",
            "visibility": "only_me",
        },
    )
    shared = RelapseItem.objects.get(visibility="counselor")
    signed_in.post(
        reverse("plans:item-edit", args=["relapse", shared.pk]),
        {"kind": "trigger", "description": "Friday nights", "coping": "Call Sam"},
    )
    html = counselor_client.get(reverse("sharing:client", args=[member.pk])).content.decode()
    assert "Friday nights" in html
    assert "Brother" not in html and "Stay home" not in html


def test_the_counselor_comments_and_the_member_answers(counselor_client, signed_in, member, plan):
    response = counselor_client.post(
        reverse("sharing:comment-add", args=[member.pk]),
        {"about": "step:4", "body": "Who will you call on payday?"},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    assert "Who will you call on payday?" in response.content.decode()
    comment = Comment.objects.get()

    step = signed_in.get(reverse("plans:step", args=[4])).content.decode()
    assert "Comments from your counselor" in step
    assert "Who will you call on payday?" in step

    response = signed_in.post(
        reverse("sharing:comment-answer", args=[comment.pk]),
        {"body": "Sam, at six."},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    assert comment.replies.get().body == "Sam, at six."
    html = counselor_client.get(reverse("sharing:client", args=[member.pk])).content.decode()
    assert "Sam, at six." in html


def test_an_empty_comment_is_refused_and_saves_nothing(counselor_client, member, plan):
    response = counselor_client.post(
        reverse("sharing:comment-add", args=[member.pk]), {"about": "step:9", "body": ""}
    )
    assert response.status_code == 422
    assert "This field is required" in response.content.decode()
    assert not Comment.objects.exists()


def test_marking_reviewed_resets_what_changed(counselor_client, member, plan, their_counselor):
    response = counselor_client.post(
        reverse("sharing:review", args=[member.pk]), {"status": "reviewed", "note": ""}
    )
    assert response.status_code == 302
    assert Review.objects.get().status == "reviewed"
    assert Grant.objects.get(grantee=their_counselor).last_reviewed_at is not None


def test_asking_for_changes_needs_a_note(counselor_client, member, plan):
    response = counselor_client.post(
        reverse("sharing:review", args=[member.pk]), {"status": "changes", "note": " "}
    )
    assert response.status_code == 422
    assert "Say what you would like them to change" in response.content.decode()
    assert not Review.objects.exists()


def test_a_counselor_never_changes_the_members_data(counselor_client, member, plan):
    item = RelapseItem.objects.filter(visibility="counselor").first()
    before = RelapseItem.objects.filter(pk=item.pk).values().get()
    response = counselor_client.post(
        reverse("plans:item-edit", args=["relapse", item.pk]),
        {"kind": "trigger", "description": "changed", "coping": "changed"},
    )
    assert response.status_code == 404
    assert RelapseItem.objects.filter(pk=item.pk).values().get() == before


def test_the_client_list_puts_who_needs_attention_first(client, db):
    counselor = CounselorFactory()
    calm, struggling = UserFactory(display_name="Avery"), UserFactory(display_name="Zoe")
    today = calm.local_today()  # both in the same zone
    for person in (calm, struggling):
        Grant.objects.create(member=person, grantee=counselor, role="counselor", show_missed=True)
    for days in range(0, 14):
        CheckIn.objects.create(owner=calm, day=today - timedelta(days=days), mood=4, craving=2)
    CheckIn.objects.create(owner=struggling, day=today, mood=1, craving=9, needed_help=True)
    CheckIn.objects.create(owner=struggling, day=today - timedelta(days=9), mood=3, craving=3)
    HelpCall.objects.create(owner=struggling, checkin_day=today)
    Grant.objects.filter(member=struggling).update(alert_on_help=True)
    client.force_login(counselor)

    response = client.get(reverse("sharing:clients"))

    rows = response.context["rows"]
    assert [r.member_id for r in rows] == [struggling.pk, calm.pk]
    assert "asked for help this week" in rows[0].reasons
    assert "cravings rising" in rows[0].reasons
    assert rows[1].reasons == []
    html = response.content.decode()
    assert html.index("Zoe") < html.index("Avery")
    assert "<strong>Needs attention:</strong> asked for help this week, " in html
    assert html.count("client--attention") == 1
    assert AccessRecord.objects.filter(viewer=counselor).count() == 2


def test_the_client_list_escapes_a_clients_name(client, db):
    counselor = CounselorFactory()
    person = UserFactory(display_name='<img src=x onerror=alert(1)>"Zo')
    Grant.objects.create(member=person, grantee=counselor, role="counselor")
    client.force_login(counselor)

    html = client.get(reverse("sharing:clients")).content.decode()

    assert "<img src=x" not in html
    assert "&lt;img src=x onerror=alert(1)&gt;&#34;Zo" in html


def test_the_client_list_runs_a_fixed_number_of_queries(client, db, django_assert_num_queries):
    counselor = CounselorFactory()
    client.force_login(counselor)
    today = timezone.localdate()

    def add_clients(n):
        start = User.objects.count()
        people = User.objects.bulk_create(
            User(email=f"client{start + i}@example.org", password="!") for i in range(n)
        )
        Grant.objects.bulk_create(
            Grant(member=person, grantee=counselor, role="counselor") for person in people
        )
        Plan.objects.bulk_create(Plan(owner=person) for person in people)
        CheckIn.objects.bulk_create(
            CheckIn(owner=person, day=today - timedelta(days=d), mood=3, craving=4)
            for person in people
            for d in range(0, 20, 2)
        )

    add_clients(3)
    # A counselor at work has a live session: its idle-timeout stamp is written at most
    # once a minute (recovery_support/middleware.py), not on this request.
    session = client.session
    session["last_active_at"] = time.time()
    session.save()
    # session, user, two-factor check, the clients with all their figures, the access
    # records of those shown (one insert, which tells whether any grant is still to be
    # stamped this minute), the grants' last-viewed time
    with django_assert_num_queries(6):
        assert len(client.get(reverse("sharing:clients")).context["rows"]) == 3
    add_clients(97)
    # The first screen: the 25 who may need the counselor first.
    with django_assert_num_queries(6):
        assert len(client.get(reverse("sharing:clients")).context["rows"]) == 25
    # Every view was recorded for each client shown, and stamped on their grants.
    assert AccessRecord.objects.filter(viewer=counselor, viewer_name=str(counselor)).count() == 28
    assert Grant.objects.filter(grantee=counselor, last_viewed_at=None).count() == 75
    with django_assert_num_queries(6):
        body = client.get(reverse("sharing:clients") + "?all=1").content.decode()
    assert body.count('<article class="card client') == 100
    assert AccessRecord.objects.filter(viewer=counselor).count() == 128
    assert not Grant.objects.filter(grantee=counselor, last_viewed_at=None).exists()
    # Stamped this minute (a minute ahead here, so that the clock turning a minute
    # cannot change the count): nothing is stamped again.
    ahead = timezone.now() + timedelta(minutes=1)
    Grant.objects.filter(grantee=counselor).update(last_viewed_at=ahead)
    with django_assert_num_queries(5):
        body = client.get(reverse("sharing:clients") + "?all=1").content.decode()
    assert body.count('<article class="card client') == 100
    assert AccessRecord.objects.filter(viewer=counselor).count() == 228
    assert Grant.objects.filter(grantee=counselor, last_viewed_at=ahead).count() == 100


def test_a_long_client_list_shows_who_needs_attention_first_and_the_rest_on_asking(client, db):
    """A caseload longer than a screen: the 25 who may need the counselor first, the
    three needing attention ahead of everyone else whatever their names, then a link to
    the rest, which opens the whole list at the first of them. Only the clients drawn
    are recorded as read, and the link says nothing about those not drawn."""
    counselor = CounselorFactory()
    people = [UserFactory(display_name=f"Client {n:02}") for n in range(30)]
    for person in people:
        Grant.objects.create(member=person, grantee=counselor, role="counselor")
    for person in people[27:]:  # plans changed since the last review
        plan = Plan.objects.create(owner=person, status="active")
        Revision.objects.create(plan=plan, author=person, visibility="counselor")
    client.force_login(counselor)

    response = client.get(reverse("sharing:clients"))

    shown = [row.name for row in response.context["rows"]]
    assert shown == [f"Client {n:02}" for n in [27, 28, 29, *range(22)]]
    html = response.content.decode()
    assert "Client 22" not in html and "Client 26" not in html
    link = '<a class="button" href="?all=1#more-clients">Show the other 5 clients</a>'
    assert link in html
    drawn = {p.pk for p in people[:22] + people[27:]}
    assert set(AccessRecord.objects.values_list("member", flat=True)) == drawn

    html = client.get(reverse("sharing:clients") + "?all=1").content.decode()
    assert html.count('<article class="card client') == 30
    assert "Show the other" not in html
    rest = html[html.index('<div id="more-clients">') :]
    assert [f"Client {n}" in rest for n in range(20, 27)] == [False, False] + [True] * 5
    assert AccessRecord.objects.filter(member=people[26]).count() == 1
    assert AccessRecord.objects.filter(member=people[0]).count() == 2


def test_the_list_stamps_when_the_counselor_last_looked_to_the_minute(
    counselor_client, member, their_counselor
):
    """The member's Sharing page shows the time to the minute; a stamp already made in
    this minute is not written again, one from an earlier minute is. (The first stamp
    is a minute ahead, so the test holds whenever the clock turns a minute.)"""
    grant = Grant.objects.get(member=member, grantee=their_counselor)
    this_minute = timezone.now().replace(second=0, microsecond=0)
    ahead, before = this_minute + timedelta(minutes=1), this_minute - timedelta(seconds=1)
    for stamped, kept in [(ahead, True), (before, False)]:
        Grant.objects.filter(pk=grant.pk).update(last_viewed_at=stamped)
        counselor_client.get(reverse("sharing:clients"))
        grant.refresh_from_db()
        assert (grant.last_viewed_at == stamped) is kept
        assert grant.last_viewed_at >= this_minute


@pytest.mark.parametrize("page", ["sharing:client", "sharing:supporting"])
def test_a_members_page_stamps_when_its_viewer_last_looked_to_the_minute(
    page, member, their_counselor, their_supporter
):
    """As the client list: each view is recorded, and the grant's stamp, which the
    member's Sharing page shows to the minute, is written only when its minute is over."""
    viewer = their_counselor if page == "sharing:client" else their_supporter
    grant = Grant.objects.get(member=member, grantee=viewer)
    client = Client()
    client.force_login(viewer)
    this_minute = timezone.now().replace(second=0, microsecond=0)
    ahead, before = this_minute + timedelta(minutes=1), this_minute - timedelta(seconds=1)
    for n, (stamped, kept) in enumerate([(ahead, True), (before, False), (None, False)], 1):
        Grant.objects.filter(pk=grant.pk).update(last_viewed_at=stamped)
        assert client.get(reverse(page, args=[member.pk])).status_code == 200
        grant.refresh_from_db()
        assert (grant.last_viewed_at == stamped) is kept
        assert grant.last_viewed_at >= this_minute
        assert AccessRecord.objects.filter(member=member, viewer=viewer).count() == n


def test_the_client_list_records_a_read_only_of_the_clients_it_shows(member, their_counselor):
    Plan.objects.create(owner=member, status="active")
    counselor = Client()
    counselor.force_login(their_counselor)
    assert str(member) in counselor.get(reverse("sharing:clients")).content.decode()
    assert AccessRecord.objects.filter(member=member, what="client overview").count() == 1
    Grant.objects.filter(member=member).update(revoked_at=timezone.now())
    body = counselor.get(reverse("sharing:clients")).content.decode()
    assert str(member) not in body and "Nobody shares with you yet" in body
    assert AccessRecord.objects.filter(member=member).count() == 1  # not shown, not read


def test_a_member_who_is_not_a_counselor_has_no_client_list(signed_in):
    assert signed_in.get(reverse("sharing:clients")).status_code == 404


def test_missed_check_ins_are_shown_only_with_consent(counselor_client, member, their_counselor):
    today = member.local_today()
    CheckIn.objects.create(owner=member, day=today - timedelta(days=5), mood=3, craving=3)
    url = reverse("sharing:client", args=[member.pk])
    html = counselor_client.get(url).content.decode()
    assert "keeps missed days to themselves" in html
    rows = counselor_client.get(reverse("sharing:clients")).context["rows"]
    assert rows[0].missed == []

    Grant.objects.filter(grantee=their_counselor).update(show_missed=True)
    html = counselor_client.get(url).content.decode()
    assert "4 planned days without a check-in" in html
    rows = counselor_client.get(reverse("sharing:clients")).context["rows"]
    assert len(rows[0].missed) == 4


def test_each_review_is_put_to_the_counselor_who_made_it(counselor_client, member, plan):
    """A member may have two counselors: one's review is never called the other's."""
    colleague = CounselorFactory(display_name="Dr. Lin")
    Grant.objects.create(member=member, grantee=colleague, role="counselor")
    other = Client()
    other.force_login(colleague)
    url = reverse("sharing:client", args=[member.pk])
    other.post(reverse("sharing:review", args=[member.pk]), {"status": "reviewed", "note": ""})

    html = counselor_client.get(url).content.decode()
    assert "Your last review" not in html
    assert "Last review: reviewed" in html and "by Dr. Lin" in html

    counselor_client.post(reverse("sharing:review", args=[member.pk]), {"status": "reviewed"})
    html = counselor_client.get(url).content.decode()
    assert "Last review: reviewed" in html and "by you" in html
    # The colleague's own review is "by you" in the history below the last one.
    last = other.get(url).content.decode().split("Last review:")[1].split("</p>")[0]
    assert "by Dr. Ade" in last and "by you" not in last


def test_the_client_page_puts_what_needs_attention_first_then_the_plan_then_the_review(
    counselor_client, member, plan, their_counselor
):
    Grant.objects.filter(grantee=their_counselor).update(alert_on_help=True)
    call = HelpCall.objects.create(owner=member)
    asked = timezone.localtime(call.created_at, ZoneInfo(member.time_zone))

    page = page_words(counselor_client.get(reverse("sharing:client", args=[member.pk])))

    assert page.index("What needs your attention") < page.index("Their plan")
    assert page.index("Their plan") < page.index("Your review")
    when = f"{date_format(asked, 'l j F')}, {time_format(asked)} their time"
    assert f"Asked for help: {when}" in page
    assert page.index("Asked for help") < page.index("Their plan")


@pytest.mark.parametrize("alert_on_help", [False, True])
def test_help_calls_show_only_if_the_member_lets_this_counselor_hear_of_them(
    counselor_client, member, plan, their_counselor, alert_on_help
):
    Grant.objects.filter(grantee=their_counselor).update(alert_on_help=alert_on_help)
    HelpCall.objects.create(owner=member)
    CheckIn.objects.create(owner=member, day=timezone.localdate(), mood=1, craving=9)

    page = page_words(counselor_client.get(reverse("sharing:client", args=[member.pk])))
    rows = counselor_client.get(reverse("sharing:clients")).context["rows"]

    assert ("Asked for help:" in page) is alert_on_help
    assert ("asked for help this week" in rows[0].reasons) is alert_on_help
    if not alert_on_help:
        assert "has not chosen to let you know when they ask for help" in page


def test_the_check_in_tick_without_a_help_call_is_not_asking_for_help(
    counselor_client, member, their_counselor
):
    """The list reads help calls (plans.HelpCall), which the tick makes: a check-in row
    saying so alone (made before help calls were) tells nothing."""
    Grant.objects.filter(grantee=their_counselor).update(alert_on_help=True)
    CheckIn.objects.create(
        owner=member, day=timezone.localdate(), mood=2, craving=5, needed_help=True
    )
    rows = counselor_client.get(reverse("sharing:clients")).context["rows"]
    assert not rows[0].asked_for_help


def test_a_slip_shows_only_to_whom_the_member_told(counselor_client, member, their_counselor):
    slip = HelpCall.objects.create(owner=member, kind="slip", note="After the party")
    url = reverse("sharing:client", args=[member.pk])
    assert "Told you of a slip" not in page_words(counselor_client.get(url))
    slip.tell.set([their_counselor])
    page = page_words(counselor_client.get(url))
    assert "Told you of a slip" in page and "After the party" not in page


@pytest.mark.parametrize("show_missed", [False, True])
def test_missed_days_need_attention_only_with_consent_and_never_by_date_without(
    counselor_client, member, their_counselor, show_missed
):
    today = member.local_today()
    CheckIn.objects.create(owner=member, day=today - timedelta(days=3), mood=3, craving=3)
    Grant.objects.filter(grantee=their_counselor).update(show_missed=show_missed)
    page = page_words(counselor_client.get(reverse("sharing:client", args=[member.pk])))
    attention = page.split("What needs your attention")[1].split("Their plan")[0]
    missed = today - timedelta(days=1)
    assert (f"{missed:%a} {missed.day} {missed:%b}" in attention) is show_missed
    assert ("without a check-in" in attention) is show_missed


def test_the_plan_shows_step_2s_asks_and_outcomes(counselor_client, member, plan):
    sam = SupportSourceFactory(owner=member, name="Sam")
    PlanSource.objects.create(
        plan=plan, source=sam, ask_support=["practical"], outcome="agreed", answered_on="2026-11-02"
    )
    page = page_words(counselor_client.get(reverse("sharing:client", args=[member.pk])))
    asks = page.split("Step 2: who they asked, and the answers")[1]
    assert "Sam Practical" in asks and "Agreed, 2 Nov" in asks


@pytest.mark.parametrize("show_missed", [False, True])
def test_check_ins_show_triggers_met_meetings_attended_and_the_trend(
    counselor_client, member, plan, their_counselor, show_missed
):
    Grant.objects.filter(grantee=their_counselor).update(show_missed=show_missed)
    payday = RelapseItem.objects.get(description="Payday evenings")
    today = member.local_today()
    last_week = today - timedelta(days=today.weekday() + 3)  # in the last finished week
    for n, craving in enumerate([6, 2]):
        checkin = CheckIn.objects.create(
            owner=member,
            day=last_week - timedelta(days=7 * n),
            mood=3,
            craving=craving,
            meeting_attended=True,
        )
        checkin.triggers.set([payday, RelapseItem.objects.exclude(pk=payday.pk).get()])

    page = counselor_client.get(reverse("sharing:client", args=[member.pk])).content.decode()

    words = page_words(page)
    assert "2 check-ins with a meeting attended" in words
    assert "Payday evenings: 2 times" in words
    assert "My brother" not in words  # met too, but private
    assert page.count('class="chart__line"') == 2  # mood and cravings, joined up


def _cravings_card(html: str) -> str:
    return page_words(html.split("<dt>Cravings</dt>")[1].split("</dd>")[0])


# Cravings in the two weeks the card compares, and its words. With the days shared a
# week is the last seven days and the seven before; without, the last two finished
# weeks (Monday to Sunday), which no check-in moves until the week is over.
CRAVING_CASES = [
    ([], [], "no check-ins {week}"),
    ([], [5], "no check-ins {week}"),
    ([6, 7], [], "about 6 of 10 {week}"),  # 6.5, to the even figure as Python rounds
    ([7], [2], "rising: about 7 of 10 {week}, up from 2"),
    ([2, 3], [7], "easing: about 2 of 10 {week}, down from 7"),  # 2.5
    ([5], [5, 4], "steady at about 5 of 10 {week}"),
]


@pytest.mark.parametrize("shared", [True, False], ids=["days shared", "days not shared"])
@pytest.mark.parametrize(("now", "before", "words"), CRAVING_CASES)
def test_the_client_list_says_how_cravings_go(
    counselor_client, member, their_counselor, shared, now, before, words
):
    Grant.objects.filter(grantee=their_counselor).update(show_missed=shared)
    today = timezone.localdate()
    if shared:
        this_week, week_before = today - timedelta(days=1), today - timedelta(days=8)
    else:
        sunday = today - timedelta(days=today.weekday() + 1)
        this_week, week_before = sunday - timedelta(days=1), sunday - timedelta(days=8)
    for start, cravings in ((this_week, now), (week_before, before)):
        for n, craving in enumerate(cravings):
            CheckIn.objects.create(
                owner=member, day=start - timedelta(days=n), mood=3, craving=craving
            )

    html = counselor_client.get(reverse("sharing:clients")).content.decode()

    assert _cravings_card(html) == words.format(week="this week" if shared else "last week")


def test_the_client_list_says_how_cravings_go_in_the_counselors_language(
    counselor_client, member, their_counselor
):
    Grant.objects.filter(grantee=their_counselor).update(show_missed=True)
    today = timezone.localdate()
    CheckIn.objects.create(owner=member, day=today, mood=3, craving=8)
    CheckIn.objects.create(owner=member, day=today - timedelta(days=8), mood=3, craving=3)
    their_counselor.language = "es"
    their_counselor.save(update_fields=["language"])

    html = counselor_client.get(reverse("sharing:clients")).content.decode()

    assert "en aumento: alrededor de 8 de 10 esta semana, frente a 3" in page_words(html)
