"""The phone page in headless Chromium (the system browser, 390×844) on a real server:
a participant votes, comments and drops a pin, and what the server hands to the desktop
shows it; hostile text from other participants shows as text and never runs."""

from __future__ import annotations

import os

import pytest

from tests.core.export.xss_payloads import PAYLOADS
from tests.core.participation.conftest import Client

CHROMIUM = "/usr/bin/chromium"
pytestmark = pytest.mark.skipif(
    not os.path.exists(CHROMIUM), reason="the system Chromium (/usr/bin/chromium) is absent"
)
PHONE = {"width": 390, "height": 844}


sync_api = pytest.importorskip("playwright.sync_api")
expect = sync_api.expect


@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        yield browser
        browser.close()


@pytest.fixture
def phone(browser):
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    context.set_default_timeout(10_000)
    page = context.new_page()
    page.dialogs = []
    page.on("dialog", lambda d: (page.dialogs.append(d.message), d.dismiss()))
    page.errors = []
    page.on("pageerror", lambda e: page.errors.append(str(e)))
    yield page
    context.close()


def wait_for(received, count):
    received.event.clear()
    for _ in range(50):
        if len(received.actions) >= count:
            return
        received.event.wait(0.1)
    raise AssertionError(f"the desktop got {len(received.actions)} actions, not {count}")


def test_a_phone_votes_comments_and_pins(server, phone, received):
    phone.goto(server.url())
    phone.wait_for_selector("#site-list li")
    assert phone.locator("#site-list li").count() == 2
    assert phone.locator("#dots").text_content() == "Dots left: 3"
    # tap the first site on the map: its card with readable indicator names
    phone.locator('#map g.site[data-site="s1"]').tap()
    assert phone.locator("#card-title").text_content() == "가산 혁신센터"
    assert phone.locator("#card-indicators dt").first.text_content() == "Startups nearby"
    phone.locator("#give").tap()
    expect(phone.locator("#dots")).to_have_text("Dots left: 2")
    phone.locator("#nickname").fill("민지")
    phone.locator("#comment-text").fill("주차가 걱정돼요")
    phone.locator("#comment-send").tap()
    phone.wait_for_selector("#card-comments li")
    # drop a pin: mode, tap the map, category, text, send
    phone.locator("#pin-button").tap()
    phone.locator("#map").scroll_into_view_if_needed()
    box = phone.locator("#map").bounding_box()
    phone.mouse.click(box["x"] + box["width"] * 0.5, box["y"] + box["height"] * 0.5)
    phone.locator('#categories button[data-category="problem"]').tap()
    phone.locator("#pin-text").fill("횡단보도 없음")
    phone.locator("#pin-send").tap()
    wait_for(received, 3)
    vote, comment, pin = received.actions
    assert (vote.kind, vote.site_id, vote.dots) == ("vote", "s1", 1)
    assert (comment.text, comment.nickname) == ("주차가 걱정돼요", "민지")
    assert (pin.kind, pin.category, pin.text) == ("pin", "problem", "횡단보도 없음")
    xmin, ymin, xmax, ymax = server.session.bounds
    assert xmin < pin.x < xmax and ymin < pin.y < ymax
    expect(phone.locator("#map path.pin-problem")).to_have_count(1)  # drawn once the reply lands
    assert phone.errors == [] and phone.dialogs == []


def test_another_phones_action_arrives_live(server, phone, received):
    phone.goto(server.url())
    phone.wait_for_selector("#site-list li")
    other = Client(server)
    other.join()
    assert other.post("action", {"kind": "vote", "site_id": "s2", "dots": 1})[0] == 200
    expect(phone.locator('#site-list li[data-site="s2"] .tally')).to_have_text("Dots: 1")
    server.configure(voting_open=False)
    expect(phone.locator("#dots")).to_have_text("Voting is closed")


def test_hostile_text_never_runs_in_the_page(server, phone, received):
    attacker = Client(server)
    attacker.join()
    for payload in PAYLOADS:
        body = {"kind": "comment", "site_id": "s1", "text": payload[:280], "nickname": payload[:24]}
        assert attacker.post("action", body)[0] in (200, 429)
    pin = {"kind": "pin", "x": 201_500, "y": 541_500, "category": "idea", "text": PAYLOADS[0]}
    assert attacker.post("action", pin)[0] in (200, 429)
    phone.goto(server.url())
    phone.wait_for_selector("#site-list li")
    phone.locator("#site-list li").first.tap()
    phone.wait_for_selector("#card-comments li")
    # one more that arrives live through the event stream
    late = Client(server)
    late.join()
    late.post(
        "action", {"kind": "comment", "site_id": "s1", "text": "<img src=x onerror=__xss=99>"}
    )
    expect(phone.locator("#card-comments li").last).to_contain_text("onerror=__xss=99")
    texts = phone.locator("#card-comments li").all_text_contents()
    assert any("<script>__xss=2</script>" in t for t in texts)
    assert phone.evaluate("typeof window.__xss") == "undefined"
    assert (
        phone.locator("#card-comments img, #card-comments script, #card-comments svg").count() == 0
    )
    assert phone.locator("#site-list li").nth(1).text_content().startswith("#2 Guro <b>bold</b>")
    assert phone.dialogs == [] and phone.errors == []
