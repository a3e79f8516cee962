"""The installable app: the manifest and its icons, the service worker served from the
root, the offline page, and the crisis card a member may keep on their device."""

import json
import struct

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders

from plans import services
from plans.models import RelapseItem
from tests.factories import SupportSourceFactory


def test_it_serves_a_manifest_with_icons_that_exist(client):
    response = client.get("/manifest.webmanifest")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/manifest+json"
    manifest = json.loads(response.content)
    assert manifest["start_url"] == "/dashboard/"
    assert manifest["scope"] == "/"
    assert manifest["display"] == "standalone"
    sizes = {}
    for icon in manifest["icons"]:
        path = finders.find(icon["src"].removeprefix(settings.STATIC_URL))
        assert path, icon["src"]
        if icon["type"] == "image/png":
            with open(path, "rb") as f:
                head = f.read(24)
            assert head[:8] == b"\x89PNG\r\n\x1a\n"
            sizes[icon["sizes"]] = struct.unpack(">II", head[16:24])
    assert sizes == {"192x192": (192, 192), "512x512": (512, 512)}


def test_it_links_the_manifest_and_the_worker_script_from_every_page(client):
    page = client.get("/help/").content.decode()
    assert '<link rel="manifest" href="/manifest.webmanifest">' in page
    assert "js/pwa.js" in page


def test_it_serves_the_service_worker_from_the_root_uncached(client):
    response = client.get("/sw.js")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    assert response["Service-Worker-Allowed"] == "/"
    assert response["Cache-Control"] == "no-cache"
    source = response.content.decode()
    assert '"/offline/"' in source and '"crisis-card"' in source


def test_it_shows_the_lines_offline_with_nobodys_data(client, member):
    SupportSourceFactory(owner=member, name="Maria", crisis_contact=True, phone="+1 555 201 3344")
    client.force_login(member)
    page = client.get("/offline/").content.decode()
    assert "You are offline" in page
    assert 'href="tel:988"' in page
    assert "Maria" not in page


def test_it_gives_the_member_their_crisis_card_never_cached_by_http(client, member):
    SupportSourceFactory(owner=member, name="Maria", crisis_contact=True, phone="+1 555 201 3344")
    SupportSourceFactory(owner=member, name="Ray", crisis_contact=False)
    plan = services.plan_start(owner=member)
    RelapseItem.objects.create(
        plan=plan, kind="warning_sign", area="mood", description="Restless", coping="Walk"
    )
    client.force_login(member)
    response = client.get("/crisis-card/")
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
    page = response.content.decode()
    assert "Maria" in page and 'href="tel:+1 555 201 3344"' in page
    assert "Ray" not in page
    assert "Restless" in page and "Walk" in page
    assert 'href="tel:988"' in page
    # The switch that keeps it on this device, and what it means.
    assert 'data-crisis-card="/crisis-card/"' in page
    assert "stored only on this device, only if you turn it on" in page


def test_it_sends_strangers_to_sign_in_for_a_crisis_card(client):
    response = client.get("/crisis-card/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_it_offers_the_card_on_the_help_page_to_people_signed_in(client, member):
    assert "data-crisis-card" not in client.get("/help/").content.decode()
    client.force_login(member)
    assert 'data-crisis-card="/crisis-card/"' in client.get("/help/").content.decode()


@pytest.mark.django_db
def test_it_tells_the_browser_to_clear_its_cache_on_sign_out(client, member):
    client.force_login(member)
    response = client.post("/accounts/logout/")
    assert response.status_code == 302
    assert response["Clear-Site-Data"] == '"cache"'
    assert "_auth_user_id" not in client.session
