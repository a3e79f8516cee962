"""A counselor's review reaches the member: the card on their dashboard, a badge on
their plan until they mark it read, an email (which they can turn off), and the
history of reviews on the counselor's page."""

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from plans.models import Goal, Plan, RelapseItem
from sharing.models import Review
from tests.factories import CounselorFactory
from tests.sharing.conftest import page_words

NOTE = "Add who you will call on payday evenings."


@pytest.fixture
def plan(member):
    plan = Plan.objects.create(owner=member, status="active", activated_at=timezone.now())
    RelapseItem.objects.create(
        plan=plan, kind="trigger", description="Payday evenings", coping="Call Sam"
    )
    Goal.objects.create(plan=plan, title="Walk every day", progress=40)
    return plan


def ask_for_changes(counselor_client, member, capture, note=NOTE):
    with capture(execute=True):
        response = counselor_client.post(
            reverse("sharing:review", args=[member.pk]), {"status": "changes", "note": note}
        )
    assert response.status_code == 302, response.content.decode()[:2000]


def test_asking_for_changes_reaches_the_member_and_stays_on_the_counselors_page(
    counselor_client, signed_in, member, plan, django_capture_on_commit_callbacks
):
    ask_for_changes(counselor_client, member, django_capture_on_commit_callbacks)

    dashboard = page_words(signed_in.get(reverse("dashboard")))
    assert NOTE in dashboard
    assert "Dr. Ade asked for changes" in dashboard
    [email] = mail.outbox
    assert email.to == [member.email]
    assert "Your counselor left you a note. Sign in to read it." in email.body
    assert NOTE not in email.body and "Payday" not in email.body
    client_page = counselor_client.get(reverse("sharing:client", args=[member.pk]))
    assert NOTE in client_page.content.decode()


def test_the_note_shows_on_the_plan_as_a_badge_until_marked_read(
    counselor_client, signed_in, member, plan, django_capture_on_commit_callbacks
):
    ask_for_changes(counselor_client, member, django_capture_on_commit_callbacks)
    for step in (1, 4):
        page = page_words(signed_in.get(reverse("plans:step", args=[step])))
        assert "New from your counselor 1 unread" in page
    notes_page = signed_in.get(reverse("sharing:notes"))
    assert NOTE in page_words(notes_page) and "New" in page_words(notes_page)
    review = Review.objects.get()
    assert review.read_at is None  # opening the page marks nothing

    response = signed_in.post(
        reverse("sharing:notes-read"), {"review": [review.pk], "next": reverse("dashboard")}
    )

    assert response.status_code == 302 and response["Location"] == reverse("dashboard")
    review.refresh_from_db()
    assert review.read_at is not None
    assert NOTE not in page_words(signed_in.get(reverse("dashboard")))
    step = page_words(signed_in.get(reverse("plans:step", args=[4])))
    assert "New from your counselor" not in step
    # Still there to read again, no longer new.
    notes_page = page_words(signed_in.get(reverse("sharing:notes")))
    assert NOTE in notes_page and "New" not in notes_page.split("Reviews of your plan")[1]


def test_a_note_that_came_in_meanwhile_stays_new(
    counselor_client, signed_in, member, plan, django_capture_on_commit_callbacks
):
    ask_for_changes(counselor_client, member, django_capture_on_commit_callbacks)
    shown = Review.objects.get()
    ask_for_changes(counselor_client, member, django_capture_on_commit_callbacks, note="And Sam?")
    signed_in.post(reverse("sharing:notes-read"), {"review": [shown.pk]})
    assert list(Review.objects.filter(read_at=None).values_list("note", flat=True)) == ["And Sam?"]
    dashboard = page_words(signed_in.get(reverse("dashboard")))
    assert "And Sam?" in dashboard and NOTE not in dashboard


def test_nobody_marks_another_members_notes_read(
    counselor_client, member, plan, other_member, django_capture_on_commit_callbacks
):
    ask_for_changes(counselor_client, member, django_capture_on_commit_callbacks)
    review = Review.objects.get()
    other = Client()
    other.force_login(other_member)
    response = other.post(reverse("sharing:notes-read"), {"review": [review.pk]})
    assert response.status_code == 422
    review.refresh_from_db()
    assert review.read_at is None


def test_a_note_read_by_any_path_leaves_the_dashboard_at_once(
    counselor_client, member, plan, django_capture_on_commit_callbacks
):
    """The card shows until the note is read, whichever way that happened."""
    ask_for_changes(counselor_client, member, django_capture_on_commit_callbacks)
    browser = Client()
    browser.force_login(member)
    for _ in range(2):
        assert NOTE in page_words(browser.get(reverse("dashboard")))
    Review.objects.update(read_at=timezone.now())  # by any path
    assert NOTE not in page_words(browser.get(reverse("dashboard")))


def test_looks_good_shows_as_such_without_a_note(
    counselor_client, signed_in, member, plan, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        counselor_client.post(reverse("sharing:review", args=[member.pk]), {"status": "reviewed"})
    dashboard = page_words(signed_in.get(reverse("dashboard")))
    assert "Dr. Ade looked over your plan: it looks good for now" in dashboard
    assert len(mail.outbox) == 1


def test_looks_good_is_refused_for_an_empty_draft(counselor_client, member):
    Plan.objects.create(owner=member)
    url = reverse("sharing:review", args=[member.pk])

    response = counselor_client.post(url, {"status": "reviewed", "note": ""})

    assert response.status_code == 422
    assert "Their plan is an empty draft" in page_words(response)
    assert not Review.objects.exists()
    response = counselor_client.post(url, {"status": "changes", "note": "Start with step 1."})
    assert response.status_code == 302 and Review.objects.get().status == "changes"
    Goal.objects.create(plan=Plan.objects.get(owner=member), title="Walk")
    assert counselor_client.post(url, {"status": "reviewed"}).status_code == 302


def test_the_member_can_turn_the_email_off_per_counselor(
    counselor_client, signed_in, member, their_counselor, plan, django_capture_on_commit_callbacks
):
    grant = member.grants_given.get(grantee=their_counselor)
    assert grant.email_notes  # on until they turn it off
    sharing = page_words(signed_in.get(reverse("sharing:sharing")))
    assert "Email me when they leave me a note" in sharing
    signed_in.post(reverse("sharing:grant-settings", args=[grant.pk]), {})  # all unticked
    grant.refresh_from_db()
    assert not grant.email_notes

    ask_for_changes(counselor_client, member, django_capture_on_commit_callbacks)

    assert mail.outbox == []
    assert NOTE in page_words(signed_in.get(reverse("dashboard")))


def test_one_email_until_the_member_has_read_what_came_before(
    counselor_client, signed_in, member, plan, django_capture_on_commit_callbacks
):
    ask_for_changes(counselor_client, member, django_capture_on_commit_callbacks)
    ask_for_changes(counselor_client, member, django_capture_on_commit_callbacks, note="Also…")
    assert len(mail.outbox) == 1
    signed_in.post(
        reverse("sharing:notes-read"), {"review": Review.objects.values_list("pk", flat=True)}
    )
    ask_for_changes(counselor_client, member, django_capture_on_commit_callbacks, note="Thanks!")
    assert len(mail.outbox) == 2


def test_the_counselor_sees_every_review_with_its_note_and_who_made_it(
    counselor_client, member, plan, django_capture_on_commit_callbacks
):
    colleague = CounselorFactory(display_name="Dr. Lin")
    member.grants_given.create(grantee=colleague, role="counselor")
    other = Client()
    other.force_login(colleague)
    ask_for_changes(counselor_client, member, django_capture_on_commit_callbacks)
    other.post(
        reverse("sharing:review", args=[member.pk]), {"status": "reviewed", "note": "Well done."}
    )

    page = page_words(counselor_client.get(reverse("sharing:client", args=[member.pk])))

    reviews = page.split("Review ")[-1]
    assert "Last review: reviewed" in reviews and "by Dr. Lin · not read yet Well done." in reviews
    assert "changes asked for" in reviews and f"by you · not read yet {NOTE}" in reviews


@pytest.mark.parametrize("size", [1, 12])
def test_the_dashboard_card_runs_a_fixed_number_of_queries(
    counselor_client, client, member, plan, size, django_assert_num_queries
):
    grant = member.grants_given.get()
    for n in range(size):
        Review.objects.create(plan=plan, counselor=grant.grantee, status="changes", note=f"N{n}")
        plan.comments.create(author=grant.grantee, step=4, body=f"C{n}", goal=plan.goals.get())
    client.force_login(member)
    # session, user, network, plan (with its relapse count), plan sources, activities,
    # goals, supporters' messages, the people who share with them, then, as the card
    # is drawn, the reviews and the comments not read yet (the day count's own are in
    # tests/recovery_support/test_dashboard.py).
    with django_assert_num_queries(11):
        response = client.get(reverse("dashboard"))
    page = page_words(response)
    assert f"N{size - 1}" in page and f"C{size - 1}" in page
    assert "about your goal “Walk every day”" in page
