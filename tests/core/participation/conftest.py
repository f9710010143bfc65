"""A real participation server on 127.0.0.1 with a journal in tmp_path, and a tiny client."""

from __future__ import annotations

import http.client
import json
import threading
from dataclasses import dataclass, field

import pytest

from app.core.participation.actions import Action
from app.core.participation.journal import Journal
from app.core.participation.scene import SiteCard, scene_payload
from app.core.participation.server import ParticipationServer
from app.core.participation.session import Limits, Session

BOUNDS = (200_000.0, 540_000.0, 206_000.0, 546_000.0)
SITES = [
    SiteCard("s1", "가산 혁신센터", 1, 201_000.0, 541_000.0, [("Startups nearby", "42")]),
    SiteCard("s2", "Guro <b>bold</b>", 2, 204_000.0, 544_000.0, [("Station distance", "350 m")]),
]


@dataclass
class Received:
    """What the 'GUI' got from the server thread (thread-safe list)."""

    actions: list[Action] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    event: threading.Event = field(default_factory=threading.Event)

    def __call__(self, batch: list[Action]) -> None:
        with self.lock:
            self.actions.extend(batch)
        self.event.set()

    def ids(self) -> list[str]:
        with self.lock:
            return [a.id for a in self.actions]


class Client:
    """Raw HTTP to the server (so that hostile requests go out exactly as written)."""

    def __init__(self, server: ParticipationServer | None = None, url: str = "") -> None:
        """Of ``server``, or of the phones' ``url`` of a server in another process."""
        if server is not None:
            self.port, self.token = server.port, server.session.join_token
        else:
            self.port = int(url.split(":")[2].split("/")[0])
            self.token = url.rstrip("/").rsplit("/", 1)[1]
        self.server = server
        self.key = ""

    def raw(self, method: str, path: str, body: bytes | None = None, headers=None):
        con = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        try:
            con.request(method, path, body=body, headers=headers or {})
            response = con.getresponse()
            data = response.read()
            return response.status, data, dict(response.getheaders())
        finally:
            con.close()

    def get(self, name: str, token: str | None = None):
        return self.raw("GET", f"/p/{self.token if token is None else token}/{name}")

    def post(self, name: str, body, token: str | None = None, key: str | None = None):
        data = body if isinstance(body, bytes) else json.dumps(body).encode()
        headers = {"Content-Type": "application/json", "X-Participant": key or self.key}
        status, raw, _ = self.raw(
            "POST", f"/p/{self.token if token is None else token}/{name}", data, headers
        )
        try:
            return status, json.loads(raw)
        except ValueError:
            return status, raw

    def join(self) -> str:
        status, answer = self.post("join", {})
        assert status == 200, answer
        self.key = answer["key"]
        return self.key


@pytest.fixture
def received():
    return Received()


@pytest.fixture
def make_server(tmp_path, received):
    servers = []

    def make(limits: Limits | None = None, **kwargs) -> ParticipationServer:
        session = Session(
            site_ids=[s.site_id for s in SITES],
            bounds=BOUNDS,
            permissions=("vote", "comment", "pin", "propose"),
            dot_budget=3,
            limits=limits,
        )
        scene = scene_payload("Workshop <i>1</i>", SITES, BOUNDS, kwargs.pop("language", "en"))
        server = ParticipationServer(
            session, scene, Journal(tmp_path / "p.participation.jsonl"), received, **kwargs
        )
        server.start()
        servers.append(server)
        return server

    yield make
    for server in servers:
        server.stop()


@pytest.fixture
def server(make_server):
    return make_server()


@pytest.fixture
def client(server):
    return Client(server)
