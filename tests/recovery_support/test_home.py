"""A home that fits each role: a supporter without a space of their own lands on the
people they support, a counselor on their clients; either can start their own plan
and then has the member's pages too."""

import pytest
from django.urls import reverse

from sharing.models import Grant
from tests.factories import CounselorFactory, UserFactory

pytestmark = pytest.mark.django_db


def _nav(html: str) -> str:
    return html.split('aria-label="Main"')[1].split("</nav>")[0]


MEMBER_PAGES = [">Dashboard<", ">Network<", ">Plan<", ">Check in<", ">Sharing<"]


@pytest.fixture
def sister(member):
    person = UserFactory(display_name="Ana", has_own_space=False)
    Grant.objects.create(member=member, grantee=person, role="supporter")
    return person


@pytest.fixture
def invited_counselor(member):
    person = CounselorFactory(display_name="Dr. Ade", has_own_space=False)
    Grant.objects.create(member=member, grantee=person, role="counselor")
    return person


def test_a_supporter_without_a_space_of_their_own_lands_on_people_you_support(
    client, sister, member
):
    client.force_login(sister)
    response = client.get(reverse("dashboard"), follow=True)
    assert response.redirect_chain[-1][0] == reverse("sharing:supporting-list")
    html = response.content.decode()
    assert "<h1>People you support</h1>" in html
    assert f'href="{reverse("sharing:supporting", args=[member.pk])}"' in html
    nav = _nav(html)
    assert 'aria-current="page">People you support</a>' in nav and ">Account<" in nav
    assert not [page for page in MEMBER_PAGES if page in nav]
    assert "Start my own plan" in html
    assert client.get(reverse("home")).url == reverse("dashboard")


def test_a_counselor_without_a_space_of_their_own_lands_on_clients(
    client, invited_counselor, member
):
    client.force_login(invited_counselor)
    response = client.get(reverse("dashboard"), follow=True)
    assert response.redirect_chain[-1][0] == reverse("sharing:clients")
    html = response.content.decode()
    nav = _nav(html)
    assert 'aria-current="page">Clients</a>' in nav and ">Account<" in nav
    assert not [page for page in MEMBER_PAGES if page in nav]
    assert "People you support" not in nav
    assert "Start my own plan" in html


@pytest.mark.parametrize("person", ["sister", "invited_counselor"])
def test_starting_my_own_plan_gives_the_members_pages_too(client, person, request):
    person = request.getfixturevalue(person)
    client.force_login(person)
    response = client.post(reverse("start-own-plan"))
    assert response.url == reverse("plans:home")
    person.refresh_from_db()
    assert person.has_own_space
    response = client.get(reverse("dashboard"))
    assert response.status_code == 200
    nav = _nav(response.content.decode())
    assert all(page in nav for page in MEMBER_PAGES)
    assert ("Clients" in nav) == person.is_professional
    home = "sharing:clients" if person.is_professional else "sharing:supporting-list"
    assert "Start my own plan" not in client.get(reverse(home)).content.decode()


def test_the_header_follows_the_start_of_ones_own_plan(client, sister):
    client.force_login(sister)
    assert ">Network<" not in _nav(client.get(reverse("need_help")).content.decode())
    client.post(reverse("start-own-plan"))
    assert ">Network<" in _nav(client.get(reverse("need_help")).content.decode())


def test_a_member_keeps_their_dashboard_and_sees_no_start_button(client, member, sister):
    client.force_login(member)
    response = client.get(reverse("dashboard"))
    assert response.status_code == 200
    assert "Start my own plan" not in response.content.decode()


def test_people_you_support_shows_nobody_else(client, sister, member, other_member):
    Grant.objects.create(member=other_member, grantee=UserFactory(), role="supporter")
    Grant.objects.filter(grantee=sister).update(ends_on="2000-01-01")
    client.force_login(sister)
    html = client.get(reverse("sharing:supporting-list")).content.decode()
    assert str(member) not in html and str(other_member) not in html
    assert "Nobody shares with you right now" in html


@pytest.mark.parametrize("size", [1, 8])
def test_people_you_support_runs_a_fixed_number_of_queries(
    client, sister, size, django_assert_num_queries
):
    for _ in range(size - 1):
        Grant.objects.create(member=UserFactory(), grantee=sister, role="supporter")
    client.force_login(sister)
    # session, user, the grants with their members
    with django_assert_num_queries(3):
        response = client.get(reverse("sharing:supporting-list"))
    assert response.content.decode().count("Stop supporting") == size
