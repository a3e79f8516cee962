"""Pages are drawn in the signed-in person's zone, and only their own request is."""

from django.urls import reverse
from django.utils import timezone


def test_it_draws_the_page_in_the_members_zone_and_leaves_none_behind(client, member):
    member.time_zone = "Pacific/Honolulu"
    member.save(update_fields=["time_zone"])
    client.force_login(member)
    seen = {}

    from django.test.signals import template_rendered

    def note_zone(sender, **kwargs):
        seen.setdefault("zone", timezone.get_current_timezone_name())

    template_rendered.connect(note_zone)
    try:
        assert client.get(reverse("dashboard")).status_code == 200
    finally:
        template_rendered.disconnect(note_zone)
    assert seen["zone"] == "Pacific/Honolulu"
    # Whatever this thread draws next (an email, a task run eagerly) is not in her zone.
    assert timezone.get_current_timezone_name() == "UTC"
