"""The participation server on 127.0.0.1: what phones may do, and hostile clients.

Every refused request gets a clear 4xx with a short code and no detail, stores nothing
(neither in the journal nor in what the GUI receives), and the server keeps serving.
"""

from __future__ import annotations

import json

import pytest

from app.core.participation.journal import read_journal
from app.core.participation.session import Limits
from tests.core.export.xss_payloads import PAYLOADS
from tests.core.participation.conftest import Client


def journal_ids(server):
    return [a.id for a in read_journal(server.journal.path)]


def test_vote_comment_pin_propose_are_journalled_and_handed_over(server, client, received):
    client.join()
    answers = [
        client.post("action", {"kind": "vote", "site_id": "s1", "dots": 1}),
        client.post("action", {"kind": "comment", "site_id": "s2", "text": "역에서 가까워요"}),
        client.post(
            "action",
            {"kind": "pin", "x": 202_000, "y": 542_000, "category": "problem", "text": "좁은 길"},
        ),
        client.post(
            "action", {"kind": "propose", "x": 203_000, "y": 543_000, "text": "Old factory"}
        ),
    ]
    assert [status for status, _ in answers] == [200, 200, 200, 200]
    ids = [answer["action"]["id"] for _, answer in answers]
    # accepted means journalled (fsynced) and handed to the GUI, once each, in order
    assert journal_ids(server) == ids
    assert received.ids() == ids
    comment = received.actions[1]
    assert (comment.kind, comment.site_id, comment.text) == ("comment", "s2", "역에서 가까워요")
    pin = received.actions[2]
    assert (pin.category, pin.x, pin.y) == ("problem", 202_000.0, 542_000.0)
    # another phone sees them in the scene
    other = Client(server)
    other.join()
    status, body, _ = other.get("scene")
    scene = json.loads(body)
    assert status == 200 and {a["id"] for a in scene["actions"]} == set(ids)


def test_the_dot_budget_and_closed_voting_hold(make_server, received):
    server = make_server()
    client = Client(server)
    client.join()
    vote = {"kind": "vote", "site_id": "s1", "dots": 1}
    assert [client.post("action", vote)[0] for _ in range(4)] == [200, 200, 200, 409]
    assert client.post("action", vote)[1] == {"error": "no_dots_left"}
    # taking a dot back frees one; taking back where none was given is refused
    assert client.post("action", {**vote, "dots": -1})[0] == 200
    assert client.post("action", {**vote, "site_id": "s2", "dots": -1})[0] == 409
    server.configure(voting_open=False)
    client.get("scene")  # the configure call has run once the loop answers this
    assert client.post("action", vote) == (403, {"error": "voting_closed"})
    server.configure(permissions=("vote",), voting_open=True)
    client.get("scene")
    status, answer = client.post("action", {"kind": "comment", "site_id": "s1", "text": "x"})
    assert (status, answer) == (403, {"error": "not_permitted"})
    assert len(received.actions) == 4
    assert len(read_journal(server.journal.path)) == 4


def test_the_facilitator_token_is_not_the_join_token(server, client):
    session = server.session
    assert session.join_token != session.facilitator_token
    assert len(session.join_token) >= 22  # 16 random bytes, URL-safe base64
    assert client.raw("GET", f"/f/{session.join_token}/state")[0] == 403
    status, body, _ = client.raw("GET", f"/f/{session.facilitator_token}/state")
    assert status == 200 and "participants" in json.loads(body)
    # nothing a phone gets names the facilitator token
    for name in ("", "app.js", "scene"):
        assert session.facilitator_token.encode() not in client.get(name)[1]


@pytest.mark.parametrize(
    "path",
    [
        "/p/WRONGTOKEN/",
        "/p//scene",
        "/p/{token}x/scene",
        "/p/{token}/../../etc/passwd",
        "/p/{token}/%2e%2e/%2e%2e/etc/passwd",
        "/p/{token}/..%2f..%2fpyproject.toml",
        "/p/{token}/assets/app.js",
        "/p/{token}/index.html",
        "/etc/passwd",
        "/",
        "/f/{token}/state",
    ],
)
def test_wrong_tokens_and_traversal_get_4xx_without_detail(server, client, path):
    status, body, headers = client.raw("GET", path.format(token=server.session.join_token))
    assert 400 <= status < 500
    assert b"root:" not in body and b"[tool" not in body and b"Traceback" not in body
    assert len(body) < 200
    # and the server keeps serving
    assert client.get("scene")[0] == 200


def test_hostile_actions_get_4xx_and_store_nothing(make_server, received):
    server = make_server(Limits(max_body=2048))
    client = Client(server)
    # no participant key, a made-up one
    assert client.post("action", {"kind": "comment", "site_id": "s1", "text": "x"})[0] == 403
    assert client.post("action", {"kind": "vote"}, key="made-up")[0] == 403
    client.join()
    hostile = [
        (b"{not json", 400),
        (b"\xff\xfe\x00", 400),
        (b"[" * 900 + b"]" * 900, 400),
        (json.dumps([1, 2]).encode(), 400),
        (json.dumps({"kind": "delete_everything"}).encode(), 400),
        (json.dumps({"kind": "vote", "site_id": "s1", "dots": 5}).encode(), 400),
        (json.dumps({"kind": "vote", "site_id": "s1", "dots": True}).encode(), 400),
        (json.dumps({"kind": "vote", "site_id": "../../etc", "dots": 1}).encode(), 404),
        (json.dumps({"kind": "comment", "site_id": "s1", "text": "x" * 281}).encode(), 400),
        (json.dumps({"kind": "comment", "site_id": "s1", "text": ["a"]}).encode(), 400),
        (json.dumps({"kind": "comment", "site_id": "s1", "text": "  "}).encode(), 400),
        (json.dumps({"kind": "pin", "x": "NaN", "y": 1, "category": "idea"}).encode(), 400),
        (b'{"kind": "pin", "x": NaN, "y": 1, "category": "idea"}', 400),
        (json.dumps({"kind": "pin", "x": 0, "y": 0, "category": "idea"}).encode(), 400),
        (json.dumps({"kind": "pin", "x": 201000, "y": 541000, "category": "x"}).encode(), 400),
        (b'{"kind": "comment", "site_id": "s1", "text": "' + b"a" * 3000 + b'"}', 413),
    ]
    for body, expected in hostile:
        status, answer = client.post("action", body)
        assert status == expected, (body[:60], answer)
        assert isinstance(answer, dict) and set(answer) == {"error"}
    # a body bigger than the limit, announced or not
    status, _, _ = client.raw(
        "POST",
        f"/p/{client.token}/join",
        b"x" * 100_000,
        {"Content-Type": "application/json"},
    )
    assert status == 413
    assert received.actions == []
    assert read_journal(server.journal.path) == []
    assert client.post("action", {"kind": "vote", "site_id": "s1", "dots": 1})[0] == 200


def test_a_flood_is_cut_at_the_rate_limit_and_others_still_get_in(make_server, received):
    server = make_server(Limits(rate_count=5, rate_seconds=60, max_pins=100))
    flooder, calm = Client(server), Client(server)
    flooder.join()
    calm.join()
    pin = {"kind": "pin", "x": 201_500, "y": 541_500, "category": "idea"}
    statuses = [flooder.post("action", pin)[0] for _ in range(30)]
    assert statuses[:5] == [200] * 5 and set(statuses[5:]) == {429}
    assert len(received.actions) == 5
    assert calm.post("action", pin)[0] == 200
    # joins per address are limited too
    statuses = [Client(server).post("join", {})[0] for _ in range(40)]
    assert 429 in statuses and statuses[0] == 200


def test_xss_payloads_are_stored_as_plain_text_and_served_as_json(server, client, received):
    client.join()
    for payload in PAYLOADS[:8]:
        status, answer = client.post(
            "action", {"kind": "comment", "site_id": "s1", "text": payload[:280]}
        )
        assert status == 200
        assert answer["action"]["text"] == payload[:280].strip()
    status, body, headers = client.get("scene")
    assert headers["Content-Type"].startswith("application/json")
    # every response forbids inline scripts and other origins
    for name in ("", "scene", "app.js"):
        _, _, headers = client.get(name)
        assert "script-src 'self'" in headers["Content-Security-Policy"]
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["Referrer-Policy"] == "no-referrer"


def test_the_page_script_never_uses_innerhtml_or_eval():
    from app.core.participation.page import asset

    script = asset("app.js").decode()
    for word in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval("):
        assert word not in script


def test_the_page_speaks_the_projects_language_and_serves_its_hangul_font(make_server):
    from app.core.participation.page import FontCache

    server = make_server(language="ko")
    client = Client(server)
    status, body, _ = client.get("")
    assert status == 200 and b'<html lang="ko">' in body
    scene = json.loads(client.get("scene")[1])
    assert scene["strings"]["give_dot"] == "점 주기"
    assert scene["strings"]["dots_left"] == "남은 점: {count}"
    FontCache.build(json.dumps(scene, ensure_ascii=False))  # what the server started
    status, font, headers = client.get("font-400.woff")
    assert status == 200 and font[:4] == b"wOFF" and headers["Content-Type"] == "font/woff"
    css = client.get("app.css")[1].decode()
    assert 'url("font-400.woff")' in css and "InnoAtlas Gothic" in css
    assert b"Nanum" not in font  # the subset is renamed (OFL Reserved Font Name)


def test_per_participant_limits_and_control_characters(make_server, received):
    server = make_server(Limits(max_pins=2, max_proposals=1, max_comments=1))
    client = Client(server)
    client.join()
    pin = {"kind": "pin", "x": 201_500, "y": 541_500, "category": "good"}
    assert [client.post("action", pin)[0] for _ in range(3)] == [200, 200, 429]
    propose = {"kind": "propose", "x": 201_500, "y": 541_500, "text": "공장 부지"}
    assert [client.post("action", propose)[0] for _ in range(2)] == [200, 429]
    # controls, escape sequences and bidi overrides are taken out; newlines stay
    text = "a\x00b\x1b[31mc\u202eevil\u202c\nline"
    status, answer = client.post("action", {"kind": "comment", "site_id": "s1", "text": text})
    assert status == 200 and answer["action"]["text"] == "ab[31mcevil\nline"
    assert client.post("action", {"kind": "comment", "site_id": "s1", "text": "x"})[0] == 429
    assert len(received.actions) == 4
