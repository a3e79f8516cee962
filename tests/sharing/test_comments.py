"""Comments on a member's plan: about a step or one item of it, with a short thread of
replies both the member and their counselors read and write; each new word from a
counselor reaches the member (dashboard, badge, email) until they read it."""

import re

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from plans.models import Goal, Plan, PlanSource, RelapseItem
from sharing import notes
from sharing.models import AccessRecord, Comment
from tests.factories import CounselorFactory, SupportSourceFactory
from tests.sharing.conftest import page_words


@pytest.fixture
def plan(member):
    plan = Plan.objects.create(owner=member, status="active", activated_at=timezone.now())
    RelapseItem.objects.create(
        plan=plan, kind="trigger", description="Payday evenings", coping="Call Sam"
    )
    Goal.objects.create(plan=plan, title="Walk every day", progress=40)
    source = SupportSourceFactory(owner=member, name="Aunt May")
    PlanSource.objects.create(plan=plan, source=source, outcome="agreed")
    return plan


def comment(counselor_client, member, capture, about, body="How is this going?", **headers):
    with capture(execute=True):
        return counselor_client.post(
            reverse("sharing:comment-add", args=[member.pk]),
            {"about": about, "body": body},
            headers=headers,
        )


def test_a_comment_about_one_goal_reaches_the_member(
    counselor_client, signed_in, member, plan, django_capture_on_commit_callbacks
):
    goal = plan.goals.get()
    form = counselor_client.get(reverse("sharing:client", args=[member.pk])).content.decode()
    assert re.search(
        f'<optgroup label="A goal">\\s*<option value="goal:{goal.pk}">Walk every day', form
    )
    assert '<optgroup label="A person">' in form

    response = comment(
        counselor_client, member, django_capture_on_commit_callbacks, f"goal:{goal.pk}"
    )

    assert response.status_code == 302
    saved = Comment.objects.get()
    assert (saved.goal, saved.step, saved.relapse_item, saved.plan_source) == (goal, 4, None, None)
    dashboard = page_words(signed_in.get(reverse("dashboard")))
    assert "Dr. Ade commented on step 4, about your goal “Walk every day”" in dashboard
    assert "How is this going?" in dashboard
    step = page_words(signed_in.get(reverse("plans:step", args=[4])))
    assert "New from your counselor 1" in step
    assert "Step 4, about your goal “Walk every day” Dr. Ade" in step
    [email] = mail.outbox
    assert "Your counselor left you a note." in email.body
    assert "How is this going" not in email.body and "Walk" not in email.body
    client_page = page_words(counselor_client.get(reverse("sharing:client", args=[member.pk])))
    assert "Step 4, about their goal “Walk every day” You" in client_page


def test_a_comment_about_a_person_belongs_to_their_step(
    counselor_client, member, plan, django_capture_on_commit_callbacks
):
    plan_source = plan.plan_sources.get()
    comment(
        counselor_client, member, django_capture_on_commit_callbacks, f"source:{plan_source.pk}"
    )
    saved = Comment.objects.get()
    assert (saved.plan_source, saved.step) == (plan_source, 3)  # agreed: step 3


@pytest.mark.parametrize("kind", ["private", "other-members"])
def test_a_comment_is_only_about_what_the_counselor_sees_of_this_plan(
    counselor_client, member, plan, other_member, kind, django_capture_on_commit_callbacks
):
    if kind == "private":
        kept = SupportSourceFactory(owner=member, name="Old friend", is_private=True)
        value = f"source:{PlanSource.objects.create(plan=plan, source=kept).pk}"
    else:
        item = Goal.objects.create(plan=Plan.objects.create(owner=other_member), title="Theirs")
        value = f"goal:{item.pk}"

    response = comment(counselor_client, member, django_capture_on_commit_callbacks, value)

    assert response.status_code == 422
    assert "Select a valid choice" in page_words(response)
    assert not Comment.objects.exists() and mail.outbox == []


def test_a_thread_goes_both_ways(
    counselor_client, signed_in, member, plan, their_counselor, django_capture_on_commit_callbacks
):
    comment(counselor_client, member, django_capture_on_commit_callbacks, "step:2")
    first = Comment.objects.get()
    mail.outbox.clear()

    response = signed_in.post(
        reverse("sharing:comment-answer", args=[first.pk]),
        {"body": "Aunt May said yes."},
        headers={"HX-Request": "true"},
    )

    assert response.status_code == 200
    assert "Aunt May said yes." in page_words(response)
    reply = first.replies.get()
    assert (reply.by_member, reply.author, reply.step) == (True, member, 2)
    first.refresh_from_db()
    assert first.read_at is not None  # they read it to answer
    assert mail.outbox == []  # the counselor hears in the daily digest
    client_page = counselor_client.get(reverse("sharing:client", args=[member.pk]))
    assert "Jordan, " in page_words(client_page) and "Aunt May said yes." in page_words(client_page)

    records = AccessRecord.objects.count()
    with django_capture_on_commit_callbacks(execute=True):
        response = counselor_client.post(
            reverse("sharing:comment-reply", args=[member.pk, reply.pk]),  # a reply's reply
            {"body": "Wonderful. When will you meet?"},
            headers={"HX-Request": "true"},
        )
    assert response.status_code == 200
    assert AccessRecord.objects.count() == records + 1  # the thread it showed
    second = Comment.objects.get(body__startswith="Wonderful")
    assert second.parent == first and not second.by_member and second.author == their_counselor
    assert len(mail.outbox) == 1
    notes_page = page_words(signed_in.get(reverse("sharing:notes")))
    assert "You, " in notes_page and "Dr. Ade, " in notes_page
    assert notes_page.index("Aunt May said yes.") < notes_page.index("Wonderful.")
    dashboard = page_words(signed_in.get(reverse("dashboard")))
    assert "Dr. Ade replied on step 2" in dashboard and "Wonderful." in dashboard


def test_a_reply_with_nothing_in_it_is_refused_with_the_page(signed_in, member, plan):
    first = plan.comments.create(author_name="Dr. Ade", step=4, body="Hm?")
    response = signed_in.post(reverse("sharing:comment-answer", args=[first.pk]), {"body": " "})
    assert response.status_code == 422
    assert "Please check your reply below." in page_words(response)
    assert not first.replies.exists()


def test_a_thread_stays_short(counselor_client, signed_in, member, plan):
    first = plan.comments.create(author_name="Dr. Ade", step=4, body="Hm?")
    Comment.objects.bulk_create(
        Comment(plan=plan, parent=first, by_member=True, step=4, body=f"R{n}")
        for n in range(notes.MAX_REPLIES)
    )
    response = signed_in.post(
        reverse("sharing:comment-answer", args=[first.pk]), {"body": "One more"}
    )
    assert response.status_code == 422
    assert "This conversation is long enough" in page_words(response)
    response = counselor_client.post(
        reverse("sharing:comment-reply", args=[member.pk, first.pk]), {"body": "One more"}
    )
    assert response.status_code == 422
    assert first.replies.count() == notes.MAX_REPLIES


def test_a_counselor_replies_only_on_their_clients_plans(
    counselor_client, member, other_member, plan
):
    theirs = Plan.objects.create(owner=other_member)
    other = theirs.comments.create(author_name="Dr. Lin", step=1, body="Hello")
    for member_id in (member.pk, other_member.pk):
        response = counselor_client.post(
            reverse("sharing:comment-reply", args=[member_id, other.pk]), {"body": "Hi"}
        )
        assert response.status_code == 404
    assert not other.replies.exists()


def test_an_item_made_private_since_is_no_longer_named_to_the_counselor(
    counselor_client, signed_in, member, plan, django_capture_on_commit_callbacks
):
    item = plan.plan_sources.get()
    comment(counselor_client, member, django_capture_on_commit_callbacks, f"source:{item.pk}")
    page = page_words(counselor_client.get(reverse("sharing:client", args=[member.pk])))
    assert "Step 3, about Aunt May" in page
    item.source.is_private = True
    item.source.save()
    page = page_words(counselor_client.get(reverse("sharing:client", args=[member.pk])))
    assert "Aunt May" not in page and "How is this going?" in page
    assert "Step 3, about Aunt May" in page_words(signed_in.get(reverse("sharing:notes")))


def test_a_comment_about_a_relapse_item_names_it(
    counselor_client, signed_in, member, plan, django_capture_on_commit_callbacks
):
    item = plan.relapse_items.get()
    comment(counselor_client, member, django_capture_on_commit_callbacks, f"relapse:{item.pk}")
    assert Comment.objects.get().relapse_item == item
    page = page_words(counselor_client.get(reverse("sharing:client", args=[member.pk])))
    assert "Step 4, about trigger: “Payday evenings”" in page
    assert "about trigger: “Payday evenings”" in page_words(signed_in.get(reverse("sharing:notes")))


def test_another_counselors_thread_is_theirs(counselor_client, member, plan):
    colleague = CounselorFactory(display_name="Dr. Lin")
    member.grants_given.create(grantee=colleague, role="counselor")
    plan.comments.create(author=colleague, author_name="Dr. Lin", step=1, body="From Lin")
    page = page_words(counselor_client.get(reverse("sharing:client", args=[member.pk])))
    assert "Dr. Lin, " in page and "From Lin" in page
