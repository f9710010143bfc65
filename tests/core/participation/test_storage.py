"""Participation storage: the project's tables round-trip, the CSV neutralises formulas,
and a kill -9 of a process running a session loses no accepted action."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
import urllib.request
from pathlib import Path

import geopandas as gpd
import pyogrio
import shapely

from app.core.participation.actions import Action
from app.core.participation.journal import Journal, journal_path, read_journal
from app.core.participation.recovery import load_results
from app.core.participation.results import Results
from app.core.participation.tables import TABLES, csv_of, read_tables, write_tables

ROOT = Path(__file__).resolve().parents[3]
EVIL = '<img src=x onerror=__xss=1> =HYPERLINK("http://x") "quoted"'


def actions():
    return [
        Action("a1", "vote", "p1", "2026-12-05T07:00:00Z", site_id="s1", dots=1),
        Action("a2", "vote", "p2", "2026-12-05T07:00:01Z", site_id="s1", dots=1),
        Action("a3", "comment", "p1", "2026-12-05T07:00:02Z", site_id="s2", text=EVIL),
        Action(
            "a4", "pin", "p2", "2026-12-05T07:00:03Z", category="idea", text="주차장", x=1.5, y=2.5
        ),
        Action("a5", "propose", "p3", "2026-12-05T07:00:04Z", text="공장", x=3.0, y=4.0),
        Action("a6", "vote", "p3", "2026-12-05T07:00:05Z", site_id="s2", dots=1, nickname=EVIL),
    ]


def fresh_gpkg(path: Path) -> Path:
    frame = gpd.GeoDataFrame({"name": ["x"]}, geometry=[shapely.Point(0, 0)], crs="EPSG:5186")
    pyogrio.write_dataframe(frame, path, layer="base", driver="GPKG")
    return path


def test_tables_round_trip_with_hidden_and_geometry(tmp_path):
    path = fresh_gpkg(tmp_path / "p.gpkg")
    results = Results(actions(), hidden={"a2"})
    write_tables(path, results)
    back = read_tables(path)
    assert {a.id: a for a in back.actions} == {a.id: a for a in results.actions}
    assert back.hidden == {"a2"}
    assert back.dots() == {"s1": 1, "s2": 1}  # the hidden vote does not count
    with sqlite3.connect(path) as con:
        kinds = dict(con.execute("SELECT table_name, data_type FROM gpkg_contents").fetchall())
        geometry = dict(
            con.execute("SELECT table_name, geometry_type_name FROM gpkg_geometry_columns")
        )
        stored = con.execute("SELECT text FROM participation_comments").fetchone()[0]
    con.close()
    assert kinds["participation_votes"] == kinds["participation_comments"] == "attributes"
    assert geometry["participation_pins"] == geometry["participation_proposals"] == "POINT"
    assert stored == EVIL  # plain text, exactly as typed: consumers must treat it as data


def test_the_csv_neutralises_formulas():
    text = csv_of(Results(actions()), {"s2": "=cmd|' /C calc'!A0"})
    assert '=HYPERLINK(""http://x"")' in text  # inside the cell, not at its start
    assert "\n=cmd" not in text and ",=cmd" not in text
    assert ",'=cmd" in text


def test_the_journal_skips_a_torn_line_and_the_merge_never_duplicates(tmp_path):
    journal = journal_path(tmp_path / "p.gpkg", tmp_path)
    assert journal.name == "p.participation.jsonl"
    Journal(journal).append(actions()[:4])
    with open(journal, "ab") as f:
        f.write(b'{"id": "a9", "kind": "vo')  # a crash in the middle of a line
    project = fresh_gpkg(tmp_path / "p.gpkg")
    write_tables(project, Results(actions()[:2]))
    results, from_journal = load_results(project, journal)
    assert [a.id for a in results.actions] == ["a1", "a2", "a3", "a4"]
    assert from_journal == 2


CHILD = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    from app.core.participation.journal import Journal
    from app.core.participation.scene import SiteCard, scene_payload
    from app.core.participation.server import ParticipationServer
    from app.core.participation.session import Session

    bounds = (0.0, 0.0, 1000.0, 1000.0)
    session = Session(["s1", "s2"], bounds, ("vote", "comment", "pin"), 3)
    scene = scene_payload("t", [SiteCard("s1", "A", 1, 10, 10)], bounds, "en")
    server = ParticipationServer(session, scene, Journal(Path(sys.argv[1])), lambda a: None)
    server.start()
    print(server.url(), flush=True)
    time.sleep(600)
    """
)


def test_kill_9_loses_no_accepted_action(tmp_path):
    project = fresh_gpkg(tmp_path / "workshop.gpkg")
    journal = journal_path(project, tmp_path)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, str(journal)], stdout=subprocess.PIPE, text=True, env=env
    )
    try:
        url = child.stdout.readline().strip()
        assert url.startswith("http://127.0.0.1:")

        def post(path, body, key=""):
            request = urllib.request.Request(
                url + path,
                json.dumps(body).encode(),
                {"Content-Type": "application/json", "X-Participant": key},
            )
            with urllib.request.urlopen(request, timeout=10) as response:
                return json.loads(response.read())

        accepted = []
        for n in range(3):
            key = post("join", {})["key"]
            accepted.append(post("action", {"kind": "vote", "site_id": "s1", "dots": 1}, key))
            accepted.append(
                post("action", {"kind": "comment", "site_id": "s2", "text": f"c{n}"}, key)
            )
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait(10)
    assert child.returncode == -signal.SIGKILL
    results, from_journal = load_results(project, journal)
    assert [a.id for a in results.actions] == [a["action"]["id"] for a in accepted]
    assert from_journal == 6
    assert results.dots() == {"s1": 3}
    assert len(read_journal(journal)) == 6


class Writer:
    """What the GUI's controller gives ``save_project(extra_tables=…)``."""

    def __init__(self, results):
        self.results = results

    def owned_tables(self):
        return set(TABLES)

    def write_tables(self, target):
        write_tables(target, self.results)


def test_saving_twice_rewrites_the_tables_and_a_plain_save_keeps_them(tmp_path):
    from app.core.paths import DEFAULT_PROJECT
    from app.core.project.store import open_project, save_project

    project = open_project(DEFAULT_PROJECT)
    path = tmp_path / "p.gpkg"
    save_project(path, project.stack, project.settings, extra_tables=[Writer(Results(actions()))])
    again = open_project(path)
    more = Results(read_tables(path).actions, hidden={"a3"})
    more.add(Action("a7", "comment", "p9", "2026-12-05T08:00:00Z", site_id="s1", text="더"))
    save_project(path, again.stack, again.settings, extra_tables=[Writer(more)])
    back = read_tables(path)
    assert [a.id for a in back.actions] == [a.id for a in more.actions]
    assert back.hidden == {"a3"}
    # a save that knows nothing of participation (the command line) keeps them as they are
    plain = open_project(path)
    save_project(tmp_path / "copy.gpkg", plain.stack, plain.settings)
    kept = read_tables(tmp_path / "copy.gpkg")
    assert [a.id for a in kept.actions] == [a.id for a in more.actions]
