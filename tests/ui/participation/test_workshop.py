"""Workshop → Start participation in the real window: phones' votes reach the badges and
the Compare table, comments the moderation list (plain text; hide/restore are undo steps),
everything is saved in the project and comes back from the journal after a crash."""

from __future__ import annotations

import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt

from app.core.participation.journal import read_journal
from tests.core.export.xss_payloads import PAYLOADS
from tests.core.participation.conftest import Client

CHROMIUM = "/usr/bin/chromium"


def start(window, qtbot):
    """Workshop → Start participation, pick the loopback interface, click Start."""
    window.actions_by_name["actionStartParticipation"].trigger()
    panel = window.workshop.panel
    assert window.workshop.dock.isVisible()
    panel.interface.setCurrentIndex(panel.interface.findData("127.0.0.1"))
    qtbot.mouseClick(panel.start_button, Qt.MouseButton.LeftButton)
    controller = window.workshop.controller
    assert controller.running
    return controller


def site_id(window):
    return str(window.editing.layer.data["site_id"].iloc[0])


@pytest.fixture
def session(gvalley, qtbot):
    window, _cx, _cy = gvalley
    controller = start(window, qtbot)
    yield window, controller
    controller.stop()


def test_votes_and_comments_reach_the_badges_table_and_moderation(session, qtbot):
    window, controller = session
    panel = window.workshop.panel
    url = controller.server.url()
    assert url.startswith("http://127.0.0.1:") and panel.url.text() == url
    assert not panel.qr.pixmap().isNull()
    phone = Client(controller.server)
    phone.join()
    site = site_id(window)
    assert phone.post("action", {"kind": "vote", "site_id": site, "dots": 1})[0] == 200
    assert phone.post("action", {"kind": "vote", "site_id": site, "dots": 1})[0] == 200
    evil = PAYLOADS[0]
    body = {"kind": "comment", "site_id": site, "text": evil, "nickname": "<b>x</b>"}
    assert phone.post("action", body)[0] == 200
    qtbot.waitUntil(lambda: len(controller.results) == 3, timeout=5000)
    qtbot.waitUntil(lambda: panel.moderation.count() == 1, timeout=5000)  # the views are told
    # the badge and the Compare table count the dots
    overlay = next(o for o in window.canvas.overlays if hasattr(o, "dots"))
    assert any(b.text.endswith("●2") for b in overlay.label_marks())
    model = window.indicators_panel.comparison.table_model
    column = model.columns.index("participant_dots")
    assert model.headerData(column, Qt.Orientation.Horizontal) == "Dots"
    assert model.data(model.index(0, column)) == "2"
    # the moderation list shows the text as typed (a list item never renders markup)
    item = panel.moderation.item(0)
    assert item.text() == f"Comment — <b>x</b>: {evil}"
    # hide it: an undo step; phones are told; undo restores
    panel.moderation.setCurrentItem(item)
    qtbot.mouseClick(panel.hide_button, Qt.MouseButton.LeftButton)
    comment = controller.results.of_kind("comment", visible_only=False)[0]
    assert comment.id in controller.results.hidden
    assert panel.moderation.item(0).text().startswith("(hidden)")
    status, scene, _ = phone.get("scene")
    assert comment.id.encode() not in scene
    window.undo_stack.undo()
    assert comment.id not in controller.results.hidden
    # the CSV keeps the text as typed, a formula neutralised
    csv_path = window.project.recovery_file().parent / "participation.csv"
    assert panel.export_csv(csv_path)
    csv = csv_path.read_text(encoding="utf-8-sig")
    assert evil in csv.replace('""', '"') and csv.count("\nvote,") == 2
    # closing voting reaches the server
    tick = QPoint(8, panel.voting.height() // 2)  # on the box, not the empty end of the row
    qtbot.mouseClick(panel.voting, Qt.MouseButton.LeftButton, pos=tick)
    assert not controller.voting_open
    phone.get("scene")
    assert phone.post("action", {"kind": "vote", "site_id": site, "dots": 1})[0] == 403


def test_stop_ends_the_server_and_saving_writes_the_tables(session, qtbot, tmp_path):
    window, controller = session
    phone = Client(controller.server)
    phone.join()
    pin = {"kind": "pin", "category": "idea", "text": "카페", "x": 0, "y": 0}
    xmin, ymin, xmax, ymax = controller.server.session.bounds
    pin.update(x=(xmin + xmax) / 2, y=(ymin + ymax) / 2)
    assert phone.post("action", pin)[0] == 200
    qtbot.waitUntil(lambda: len(controller.results) == 1, timeout=5000)
    port = controller.server.port
    window.actions_by_name["actionStopParticipation"].trigger()
    assert not controller.running
    with pytest.raises(OSError):
        import socket

        socket.create_connection(("127.0.0.1", port), timeout=1).close()
    path = tmp_path / "workshop.gpkg"
    assert window.project.save_to(path)
    with sqlite3.connect(path) as con:
        row = con.execute("SELECT category, text FROM participation_pins").fetchone()
        kinds = {r[0] for r in con.execute("SELECT table_name FROM gpkg_contents")}
    con.close()
    assert row == ("idea", "카페")
    assert {"participation_votes", "participation_comments", "participation_proposals"} <= kinds
    # the save holds it: the journal keeps nothing
    assert read_journal(controller.journal_file()) == []


def test_accepted_actions_come_back_from_the_journal_after_a_crash(gvalley, qtbot, tmp_path):
    window, _cx, _cy = gvalley
    path = tmp_path / "crash.gpkg"
    assert window.project.save_to(path)
    controller = start(window, qtbot)
    phone = Client(controller.server)
    phone.join()
    answer = phone.post("action", {"kind": "vote", "site_id": site_id(window), "dots": 1})[1]
    # the app dies before any save: only the journal holds the vote
    controller.server.stop()
    controller.server = None
    controller.results = type(controller.results)()
    assert window.project.open_path(path, confirmed=True)
    qtbot.waitUntil(lambda: len(window.workshop.controller.results) == 1, timeout=5000)
    assert window.workshop.controller.results.actions[0].id == answer["action"]["id"]
    qtbot.waitUntil(lambda: window.project.dirty, timeout=5000)  # to be saved; autosave runs


@pytest.mark.skipif(not os.path.exists(CHROMIUM), reason="the system Chromium is absent")
def test_a_phone_in_chromium_votes_and_pins_and_the_desktop_shows_it(session, qtbot):
    sync_api = pytest.importorskip("playwright.sync_api")
    window, controller = session
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        page = browser.new_page(viewport={"width": 390, "height": 844}, is_mobile=True)
        page.set_default_timeout(10_000)
        page.goto(controller.server.url())
        page.locator("#site-list li").first.click()
        page.locator("#give").click()
        sync_api.expect(page.locator("#card-dots")).to_have_text("Dots: 1")
        page.locator("#pin-button").click()
        page.locator("#map").scroll_into_view_if_needed()
        box = page.locator("#map").bounding_box()
        page.mouse.click(box["x"] + box["width"] * 0.3, box["y"] + box["height"] * 0.4)
        page.locator("#pin-text").fill("<img src=x onerror=__xss=1>")
        page.locator("#pin-send").click()
        sync_api.expect(page.locator("#map path.pin-good")).to_have_count(1)
        assert page.evaluate("typeof window.__xss") == "undefined"
        browser.close()
    qtbot.waitUntil(lambda: len(controller.results) == 2, timeout=5000)
    assert controller.dots() == {site_id(window): 1}
    pin = controller.results.of_kind("pin")[0]
    assert pin.text == "<img src=x onerror=__xss=1>"
    qtbot.waitUntil(lambda: window.workshop.panel.moderation.count() == 1, timeout=5000)
    assert window.workshop.panel.moderation.item(0).text().endswith(pin.text)


def test_started_while_presenting_the_qr_shows_and_leaving_stops_it(gvalley, qtbot):
    window, _cx, _cy = gvalley
    interfaces = window.workshop.panel.interface
    interfaces.setCurrentIndex(interfaces.findData("127.0.0.1"))  # loopback in tests
    window.presentation.enter()
    qtbot.waitUntil(lambda: window.presentation.active, timeout=5000)
    qtbot.keyClick(
        window.canvas,
        Qt.Key.Key_W,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    controller = window.workshop.controller
    qtbot.waitUntil(lambda: controller.running, timeout=5000)
    assert controller.server.host == "127.0.0.1"
    overlay = window.workshop.overlay
    qtbot.waitUntil(lambda: overlay.panel is not None and overlay.panel.isVisible(), timeout=5000)
    # the code is on top of the map, inside it, and says the phones' URL
    assert window.canvas.rect().contains(overlay.panel.geometry())
    assert not window.workshop.dock.isVisible()
    window.presentation.leave()
    qtbot.waitUntil(lambda: not controller.running, timeout=5000)
    qtbot.waitUntil(lambda: not overlay.panel.isVisible(), timeout=5000)


def test_phones_get_only_the_view_and_autosave_keeps_their_input(session, qtbot, tmp_path):
    window, controller = session
    path = tmp_path / "secret-folder" / "workshop.gpkg"
    path.parent.mkdir()
    assert window.project.save_to(path)
    phone = Client(controller.server)
    phone.join()
    status, body, _ = phone.get("scene")
    scene = json.loads(body)
    assert set(scene) == {
        "title", "language", "caveat", "bounds", "sites", "outlines", "strings",
        "settings", "actions", "count",
    }  # fmt: skip
    text = body.decode()
    for secret in (str(tmp_path), "secret-folder", ".gpkg", "startups_n", "radius_m", "notes"):
        assert secret not in text
    assert [s["site_id"] for s in scene["sites"]] == [site_id(window)]
    assert set(scene["sites"][0]) == {"site_id", "name", "rank", "x", "y", "indicators"}
    # an autosave writes the participants' input into the recovery copy
    assert (
        phone.post("action", {"kind": "comment", "site_id": site_id(window), "text": "ok"})[0]
        == 200
    )
    qtbot.waitUntil(lambda: window.project.dirty and len(controller.results) == 1, timeout=5000)
    recovery = window.project.autosave()
    with sqlite3.connect(recovery) as con:
        assert con.execute("SELECT text FROM participation_comments").fetchall() == [("ok",)]
    con.close()


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext is absent")
def test_the_pdf_shows_pins_in_its_legend_and_their_text_as_text(session, qtbot, tmp_path):
    window, controller = session
    phone = Client(controller.server)
    phone.join()
    xmin, ymin, xmax, ymax = controller.server.session.bounds
    payload = "<script>alert(1)</script> 위험"
    pin = {"kind": "pin", "category": "problem", "text": payload, "x": (xmin + xmax) / 2}
    assert phone.post("action", {**pin, "y": (ymin + ymax) / 2})[0] == 200
    hidden = {**pin, "text": "HIDDEN-TEXT", "y": (ymin + ymax) / 2 + 100}
    assert phone.post("action", hidden)[0] == 200
    qtbot.waitUntil(lambda: len(controller.results) == 2, timeout=5000)
    controller.hide([controller.results.actions[1].id])
    window.canvas.set_view((xmin + xmax) / 2, (ymin + ymax) / 2, 2.0)  # pin labels show
    pdf = tmp_path / "map.pdf"
    assert window.export_map(pdf)
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout
    assert "Participants' pins" in text and "Problem" in text
    assert "<script>alert(1)</script>" in text  # drawn as the characters typed
    assert "HIDDEN-TEXT" not in text


APP_CHILD = """
import sys
from pathlib import Path
from PySide6.QtCore import QTimer
from app.core.project.store import open_project
from app.ui.gui import application, fit_window, wait_until_drawn
from app.ui.window.main_window import MainWindow

app = application()
path = Path(sys.argv[1])
project = open_project(path)
window = MainWindow(project.stack, path, project.settings)
fit_window(window, (1280, 800), clamp_to_screen=False)
window.show()
wait_until_drawn(window)
window.indicators.wait()
controller = window.workshop.controller
assert controller.start("127.0.0.1")
print(controller.server.url(), flush=True)
app.exec()
"""


def test_kill_9_of_the_app_loses_no_accepted_vote(gvalley, qtbot, tmp_path):
    window, _cx, _cy = gvalley
    path = tmp_path / "killed.gpkg"
    assert window.project.save_to(path)
    site = site_id(window)
    env = {
        **os.environ,
        "PYTHONPATH": str(Path(__file__).resolve().parents[3]),
        "QT_QPA_PLATFORM": "offscreen",
        "INNOATLAS_DATA_DIR": str(tmp_path / "child-data"),
    }
    child = subprocess.Popen(
        [sys.executable, "-c", APP_CHILD, str(path)], stdout=subprocess.PIPE, text=True, env=env
    )
    try:
        url = child.stdout.readline().strip()
        assert url.startswith("http://127.0.0.1:"), url
        phone = Client(url=url)
        phone.join()
        answers = [
            phone.post("action", {"kind": "vote", "site_id": site, "dots": 1}),
            phone.post("action", {"kind": "comment", "site_id": site, "text": "살아남기"}),
        ]
        assert [status for status, _ in answers] == [200, 200]
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait(10)
    assert child.returncode == -signal.SIGKILL
    assert window.project.open_path(path, confirmed=True)
    results = window.workshop.controller.results
    assert [a.id for a in results.actions] == [a["action"]["id"] for _, a in answers]
    assert results.dots() == {site: 1}


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext is absent")
def test_the_export_dialogs_handout_shows_the_pins_too(session, qtbot, tmp_path):
    """File → Export map… (Ctrl+P), every scene as a PDF handout: the pins are on its pages."""
    from PySide6.QtWidgets import QDialogButtonBox

    from app.ui.export.map_dialog import MapExportDialog

    window, controller = session
    phone = Client(controller.server)
    phone.join()
    xmin, ymin, xmax, ymax = controller.server.session.bounds
    pin = {"kind": "pin", "category": "idea", "text": "HANDOUT-PIN"}
    assert phone.post("action", {**pin, "x": (xmin + xmax) / 2, "y": (ymin + ymax) / 2})[0] == 200
    qtbot.waitUntil(lambda: len(controller.results) == 1, timeout=5000)
    window.activateWindow()
    qtbot.keyClick(window, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    dialog = window.findChild(MapExportDialog, "mapExportDialog")
    out = tmp_path / "handout.pdf"
    dialog.path_edit.setFocus()
    qtbot.keyClick(dialog.path_edit, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(dialog.path_edit, str(out))
    dialog.what_combo.setFocus()
    qtbot.keyClick(dialog.what_combo, Qt.Key.Key_Home)
    qtbot.keyClick(dialog.what_combo, Qt.Key.Key_Down)
    qtbot.keyClick(dialog.what_combo, Qt.Key.Key_Down)  # every scene
    button = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(out.exists, timeout=60_000)
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=60_000)
    text = subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True).stdout
    assert "Participants' pins" in text
