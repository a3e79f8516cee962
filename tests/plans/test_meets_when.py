"""When a group meets, read from what the member wrote in English or in Spanish, so
step 4 offers it as a meeting with its day and time filled in (issue 16, item 3)."""

from datetime import time

import pytest
from django.urls import reverse

from plans import services
from plans.models import PlanSource
from plans.selectors import read_meets_when
from tests.factories import SupportSourceFactory
from tests.plans.test_plan_views import text


@pytest.mark.parametrize(
    ("written", "weekday", "at"),
    [
        ("Tuesdays 7pm", 1, time(19, 0)),
        ("Tue 7.30 p.m.", 1, time(19, 30)),
        ("Every Wednesday at 12 pm", 2, time(12, 0)),
        ("Saturdays 10:15", 5, time(10, 15)),
        ("Sunday mornings, 9 am, 2nd floor", 6, time(9, 0)),
        ("Fridays 12am", 4, time(0, 0)),
    ],
)
def test_it_reads_english(written, weekday, at):
    assert read_meets_when(written) == (weekday, at)


@pytest.mark.parametrize(
    ("written", "weekday", "at"),
    [
        ("martes 7 p. m.", 1, time(19, 0)),
        ("los martes a las 19:00", 1, time(19, 0)),
        ("Miércoles, 18.30 h", 2, time(18, 30)),
        ("los jueves a las 8 de la tarde", 3, time(20, 0)),
        ("viernes 19h", 4, time(19, 0)),
        ("sábados 10 a. m.", 5, time(10, 0)),
        ("Domingos, 11 de la mañana", 6, time(11, 0)),
        ("lunes 9 de la noche", 0, time(21, 0)),
        ("sáb 17h30", 5, time(17, 30)),
    ],
)
def test_it_reads_spanish(written, weekday, at):
    assert read_meets_when(written) == (weekday, at)


@pytest.mark.parametrize(
    ("written", "weekday", "at"),
    [
        # A bare number is no time; a word that only starts like a day is no day.
        ("Sala 3, los martes", 1, None),
        ("Salón Montserrat, a las 7", None, None),
        ("junto al mar, 2nd floor", None, None),
        ("cuando haga frío", None, None),
        ("", None, None),
    ],
)
def test_it_leaves_what_it_cannot_read_to_the_member(written, weekday, at):
    assert read_meets_when(written) == (weekday, at)


@pytest.mark.django_db
def test_a_spanish_groups_meeting_is_offered_with_its_day_and_time(signed_in, member):
    plan = services.plan_start(owner=member)
    group = SupportSourceFactory(
        owner=member,
        name="Grupo Esperanza",
        category="support_group",
        meets_when="los martes a las 7 p. m.",
    )
    PlanSource.objects.create(plan=plan, source=group, outcome="agreed")
    body = text(signed_in.get(reverse("plans:step", args=[4])))
    offer = body.split('id="section-activities"', 1)[1].split("</section>", 1)[0]
    assert 'name="title" value="Grupo Esperanza"' in offer
    assert 'name="weekday" value="1"' in offer and 'name="time" value="19:00"' in offer
