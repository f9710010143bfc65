"""The participation web server: aiohttp in its own thread with its own event loop.

Routes (``T`` the join token, ``F`` the facilitator token; nothing else is served):

| route | what |
|---|---|
| ``GET /p/T/`` | the phone page; ``app.js``, ``app.css``, ``font-400.woff``, ``font-700.woff`` |
| ``POST /p/T/join`` | a new anonymous participant: ``{key, participant, settings}`` |
| ``GET /p/T/scene`` | the current scene, the session's rules, the visible actions |
| ``POST /p/T/action`` | a vote, comment, pin or proposal (header ``X-Participant``: the key) |
| ``GET /p/T/events`` | server-sent events: actions, moderation, rules, scene changes |
| ``GET /f/F/state`` | the facilitator's view: every action, participant count |

Every request is checked against its token (403 when wrong); the body size, the text
lengths, the dots and each participant's request rate are limited (413, 400, 409, 429);
any other failure is a 4xx/5xx with a short code and nothing else. An accepted action is
first written to the journal and fsynced (a group commit: one fsync for the actions that
arrived meanwhile), then counted, answered, handed to ``on_actions`` (the GUI wraps it in
a queued Qt signal) and broadcast to the phones. The server never touches the project.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import socket
import sys
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from aiohttp import web

from app.core.participation import page
from app.core.participation.actions import Action
from app.core.participation.journal import Journal
from app.core.participation.session import Participant, Rejected, Session

#: Content-Security-Policy of every response: scripts and styles only from the page's own
#: files (no inline script can run, whatever text got into the page), no other origin.
CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'none'; "
    "frame-ancestors 'none'"
)
HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",  # the token is in the URL
    "Cache-Control": "no-store",
    "X-Frame-Options": "DENY",
}
#: Most server-sent-event subscribers at once; a queue per subscriber holds this many.
MAX_SUBSCRIBERS = 1000
QUEUE_SIZE = 500
HEARTBEAT_S = 15.0


def free_port(host: str) -> int:
    """A port free on ``host`` now (the server binds port 0 itself; this is for tests)."""
    with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as s:
        s.bind((host, 0))
        return int(s.getsockname()[1])


class ParticipationServer:
    """Runs the session's web server in a thread.

    Parameters
    ----------
    session : Session
    scene : dict
        :func:`~app.core.participation.scene.scene_payload` of the current scene.
    journal : Journal
        Where accepted actions are written before they are answered.
    on_actions : callable
        Called in the server thread with each batch of accepted actions (list of Action).
    host : str
        The interface address to bind (never ``0.0.0.0`` unless the user chose it).
    port : int
        0 picks a free port.
    earlier : list of Action
        Actions of the project from before (counted against the limits; shown to phones).
    hidden : set of str
        Ids of the hidden ones.
    """

    def __init__(
        self,
        session: Session,
        scene: dict[str, Any],
        journal: Journal,
        on_actions: Callable[[list[Action]], None],
        host: str = "127.0.0.1",
        port: int = 0,
        earlier: list[Action] | None = None,
        hidden: set[str] | None = None,
    ) -> None:
        self.session, self.scene, self.journal = session, scene, journal
        self.on_actions = on_actions
        self.host, self.port = host, port
        self.actions: list[Action] = list(earlier or [])
        self.hidden: set[str] = set(hidden or ())
        session.restore(self.actions)
        self.fonts = page.FontCache
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._ready = threading.Event()
        self._stopped: asyncio.Event | None = None
        self._error: BaseException | None = None
        self._subscribers: set[asyncio.Queue] = set()
        self._pending: asyncio.Queue | None = None
        self._disk = ThreadPoolExecutor(1, thread_name_prefix="participation-journal")
        #: event-loop lag samples (seconds): how late a 50 ms timer fired
        self.lag: list[float] = []
        self.requests = 0
        self.rejected = 0

    # -- life ----------------------------------------------------------------------------
    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive() and self._ready.is_set()

    def url(self, host: str | None = None) -> str:
        """The phones' URL (``host`` overrides the bound address, e.g. a name)."""
        shown = host or self.host
        if ":" in shown:
            shown = f"[{shown}]"
        return f"http://{shown}:{self.port}/p/{self.session.join_token}/"

    def facilitator_url(self) -> str:
        return f"http://{self.host}:{self.port}/f/{self.session.facilitator_token}/state"

    def start(self, timeout: float = 10.0) -> None:
        """Start the thread and bind; raises OSError when the address cannot be bound."""
        self._thread = threading.Thread(target=self._run, name="participation", daemon=True)
        self._thread.start()
        self._ready.wait(timeout)
        if self._error is not None:
            raise OSError(str(self._error)) from self._error
        if not self._ready.is_set():
            raise OSError("the participation server did not start")

    def stop(self, timeout: float = 5.0) -> None:
        """End the server (open connections are closed) and wait for its thread."""
        loop, stopped = self._loop, self._stopped
        if loop is not None and stopped is not None and not loop.is_closed():
            with contextlib.suppress(RuntimeError):
                loop.call_soon_threadsafe(stopped.set)
        if self._thread is not None:
            self._thread.join(timeout)
        self._disk.shutdown(wait=True)

    def _run(self) -> None:
        loop = asyncio.new_event_loop()
        self._loop = loop
        asyncio.set_event_loop(loop)
        try:
            loop.run_until_complete(self._serve())
        except BaseException as err:  # reported to start()
            self._error = err
            self._ready.set()
        finally:
            loop.close()

    async def _serve(self) -> None:
        self._stopped = asyncio.Event()
        self._pending = asyncio.Queue()
        app = self._application()
        runner = web.AppRunner(app, access_log=None, handle_signals=False, shutdown_timeout=0.5)
        await runner.setup()
        site = web.TCPSite(runner, self.host, self.port)
        try:
            await site.start()
        except OSError:
            await runner.cleanup()
            raise
        sockets = getattr(site._server, "sockets", None)
        if sockets:
            self.port = int(sockets[0].getsockname()[1])
        tasks = [
            asyncio.ensure_future(self._writer()),
            asyncio.ensure_future(self._measure_lag()),
            asyncio.ensure_future(self._heartbeat()),
        ]
        self.fonts.build_in_background(json.dumps(self.scene, ensure_ascii=False))
        self._ready.set()
        await self._stopped.wait()
        for queue in list(self._subscribers):
            with contextlib.suppress(asyncio.QueueFull):
                queue.put_nowait(None)
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        await runner.cleanup()

    # -- facilitator (thread-safe) ---------------------------------------------------------
    def _call(self, function: Callable[[], None]) -> None:
        loop = self._loop
        if loop is None or loop.is_closed():
            function()
            return
        with contextlib.suppress(RuntimeError):
            loop.call_soon_threadsafe(function)

    def configure(
        self,
        *,
        voting_open: bool | None = None,
        permissions=None,
        dot_budget: int | None = None,
        scene: dict[str, Any] | None = None,
        site_ids=None,
        bounds=None,
    ) -> None:
        """Change the session's rules or the scene (from any thread); phones are told."""

        def apply() -> None:
            session = self.session
            if voting_open is not None:
                session.voting_open = bool(voting_open)
            if permissions is not None:
                session.set_permissions(permissions)
            if dot_budget is not None:
                session.set_dot_budget(dot_budget)
            if site_ids is not None:
                session.site_ids = {str(s) for s in site_ids}
            if bounds is not None:
                session.bounds = tuple(bounds)
            if scene is not None:
                self.scene = scene
                self.fonts.build_in_background(json.dumps(scene, ensure_ascii=False))
                self._broadcast({"type": "scene", "scene": self._scene_state()})
            self._broadcast({"type": "settings", "settings": session.settings()})

        self._call(apply)

    def moderate(self, action_id: str, hidden: bool) -> None:
        """Hide or restore an action on the phones (from any thread)."""

        def apply() -> None:
            if hidden:
                self.hidden.add(action_id)
            else:
                self.hidden.discard(action_id)
            action = next((a for a in self.actions if a.id == action_id), None)
            if action is not None:
                event: dict[str, Any] = {"type": "hide" if hidden else "show", "id": action_id}
                if not hidden:
                    event["action"] = action.public()
                self._broadcast(event)

        self._call(apply)

    # -- the application -------------------------------------------------------------------
    def _application(self) -> web.Application:
        app = web.Application(
            client_max_size=self.session.limits.max_body, middlewares=[self._guard]
        )
        app.on_response_prepare.append(self._headers)
        routes = [
            web.get("/p/{token}/", self._page),
            web.get("/p/{token}/app.js", self._asset),
            web.get("/p/{token}/app.css", self._asset),
            web.get("/p/{token}/font-{weight:400|700}.woff", self._font),
            web.post("/p/{token}/join", self._join),
            web.get("/p/{token}/scene", self._scene),
            web.post("/p/{token}/action", self._action),
            web.get("/p/{token}/events", self._events),
            web.get("/f/{token}/state", self._state),
        ]
        app.add_routes(routes)
        return app

    @staticmethod
    async def _headers(_request: web.Request, response: web.StreamResponse) -> None:
        for key, value in HEADERS.items():
            response.headers.setdefault(key, value)

    @web.middleware
    async def _guard(self, request: web.Request, handler) -> web.StreamResponse:
        """Token check, then the handler; every failure a short JSON code, no detail."""
        self.requests += 1
        try:
            token = request.match_info.get("token", "")
            facilitator = request.path.startswith("/f/")
            if request.match_info.route.resource is not None:
                ok = (
                    self.session.facilitator_ok(token)
                    if facilitator
                    else self.session.join_ok(token)
                )
                if not ok:
                    raise Rejected(403, "bad_token")
            return await handler(request)
        except Rejected as err:
            self.rejected += 1
            return web.json_response({"error": err.code}, status=err.status)
        except web.HTTPException as err:
            self.rejected += 1
            status = err.status if err.status >= 400 else 400
            codes = {404: "not_found", 405: "method_not_allowed", 413: "too_large"}
            return web.json_response({"error": codes.get(status, "bad_request")}, status=status)
        except asyncio.CancelledError:
            raise
        except Exception as err:  # no detail reaches a phone
            self.rejected += 1
            print(f"innoatlas: participation server: {type(err).__name__}", file=sys.stderr)
            return web.json_response({"error": "server_error"}, status=500)

    async def _page(self, _request: web.Request) -> web.Response:
        return web.Response(
            body=page.page_html(self.scene.get("language", "en")),
            content_type="text/html",
            charset="utf-8",
        )

    async def _asset(self, request: web.Request) -> web.Response:
        name = request.path.rsplit("/", 1)[-1]
        content_type = page.FILES[name]
        response = web.Response(body=page.asset(name))
        response.headers["Content-Type"] = content_type
        return response

    async def _font(self, request: web.Request) -> web.Response:
        data = self.fonts.get(int(request.match_info["weight"]))
        if data is None:
            raise Rejected(404, "not_found")
        response = web.Response(body=data, content_type="font/woff")
        response.headers["Cache-Control"] = "private, max-age=86400"
        return response

    async def _body(self, request: web.Request) -> Any:
        limit = self.session.limits.max_body
        if request.content_length is not None and request.content_length > limit:
            raise Rejected(413, "too_large")
        raw = await request.content.read(limit + 1)
        if len(raw) > limit:
            raise Rejected(413, "too_large")
        try:
            return json.loads(raw.decode("utf-8")) if raw else {}
        except (ValueError, UnicodeDecodeError, RecursionError):
            raise Rejected(400, "bad_json") from None

    async def _join(self, request: web.Request) -> web.Response:
        await self._body(request)  # bounded read; the body is not used
        key, participant = self.session.join(request.remote or "?")
        self._broadcast({"type": "count", "count": len(self.session.participants)})
        return web.json_response(
            {"key": key, "participant": participant.id, "settings": self.session.settings()}
        )

    def _visible(self) -> list[dict[str, Any]]:
        return [a.public() for a in self.actions if a.id not in self.hidden]

    def _scene_state(self) -> dict[str, Any]:
        return {
            **self.scene,
            "settings": self.session.settings(),
            "actions": self._visible(),
            "count": len(self.session.participants),
        }

    async def _scene(self, request: web.Request) -> web.Response:
        state = self._scene_state()
        key = request.headers.get("X-Participant")
        if key:
            with contextlib.suppress(Rejected):
                participant = self.session.participant(key)
                state["me"] = {"participant": participant.id, "dots": participant.dots}
        return web.json_response(state)

    async def _action(self, request: web.Request) -> web.Response:
        participant = self.session.participant(request.headers.get("X-Participant"))
        self.session.throttle(participant)
        body = await self._body(request)
        action = self.session.check(participant, body)
        self.session.commit(participant, action)  # counted now: no race with the next one
        future: asyncio.Future = asyncio.get_running_loop().create_future()
        assert self._pending is not None
        await self._pending.put((action, participant, future))
        try:
            await future
        except OSError:
            raise Rejected(503, "not_saved") from None
        return web.json_response({"ok": True, "action": action.public(), "dots": participant.dots})

    async def _writer(self) -> None:
        """Group commit: journal what is pending with one fsync, then answer and hand over."""
        assert self._pending is not None
        loop = asyncio.get_running_loop()
        while True:
            batch = [await self._pending.get()]
            while not self._pending.empty():
                batch.append(self._pending.get_nowait())
            actions = [item[0] for item in batch]
            try:
                await loop.run_in_executor(self._disk, self.journal.append, actions)
            except OSError as err:
                for action, participant, future in batch:
                    self._undo(participant, action)
                    if not future.done():
                        future.set_exception(err)
                continue
            self.actions.extend(actions)
            try:
                self.on_actions(actions)
            except Exception as err:  # the GUI's problem
                print(f"innoatlas: participation hand-over: {err}", file=sys.stderr)
            for action in actions:
                self._broadcast({"type": "action", "action": action.public()})
            for _action, _participant, future in batch:
                if not future.done():
                    future.set_result(True)

    def _undo(self, participant: Participant, action: Action) -> None:
        if action.kind == "vote":
            spent = participant.dots.get(action.site_id, 0) - action.dots
            participant.dots[action.site_id] = max(0, spent)
        elif action.kind == "comment":
            participant.comments -= 1
        elif action.kind == "pin":
            participant.pins -= 1
        else:
            participant.proposals -= 1

    # -- events ----------------------------------------------------------------------------
    def _broadcast(self, event: dict[str, Any]) -> None:
        data = json.dumps(event, ensure_ascii=False)
        for queue in list(self._subscribers):
            try:
                queue.put_nowait(data)
            except asyncio.QueueFull:  # a phone that does not read: let it go
                self._subscribers.discard(queue)

    async def _events(self, request: web.Request) -> web.StreamResponse:
        if len(self._subscribers) >= MAX_SUBSCRIBERS:
            raise Rejected(503, "busy")
        response = web.StreamResponse(
            headers={"Content-Type": "text/event-stream", "X-Accel-Buffering": "no"}
        )
        await response.prepare(request)
        queue: asyncio.Queue = asyncio.Queue(QUEUE_SIZE)
        self._subscribers.add(queue)
        try:
            await response.write(b"retry: 2000\n\n")
            while True:
                data = await queue.get()
                if data is None or queue not in self._subscribers:
                    break
                await response.write(f"data: {data}\n\n".encode())
        except (ConnectionResetError, asyncio.CancelledError):
            pass
        finally:
            self._subscribers.discard(queue)
        return response

    async def _heartbeat(self) -> None:
        while True:
            await asyncio.sleep(HEARTBEAT_S)
            self._broadcast({"type": "count", "count": len(self.session.participants)})

    async def _state(self, _request: web.Request) -> web.Response:
        return web.json_response(
            {
                "actions": [a.to_dict() for a in self.actions],
                "hidden": sorted(self.hidden),
                "participants": len(self.session.participants),
                "settings": self.session.settings(),
            }
        )

    async def _measure_lag(self) -> None:
        while True:
            start = time.perf_counter()
            await asyncio.sleep(0.05)
            self.lag.append(max(0.0, time.perf_counter() - start - 0.05))
            if len(self.lag) > 100_000:
                del self.lag[:50_000]


__all__ = ["CSP", "ParticipationServer", "free_port"]
