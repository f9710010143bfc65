"""A real XYZ tile server on 127.0.0.1 for the basemap tests (never a real tile server).

Each tile is a PNG in four quadrants; the colour of a quadrant depends on the tile's
column and row parity and on the quadrant (:func:`expected_colour`), so a test can tell
from one pixel where on the tile it landed.
"""

from __future__ import annotations

import re
import struct
import threading
import zlib
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import numpy as np

PALETTE = [(r, g, b) for r in (0, 128, 255) for g in (0, 128, 255) for b in (0, 128, 255)][
    1:17
]  # 16 colours, two of them differ by >= 127 in some channel


def expected_colour(x: int, y: int, qx: int, qy: int) -> tuple[int, int, int]:
    """Colour of quadrant ``(qx, qy)`` (0 left/top, 1 right/bottom) of tile column ``x``,
    row ``y``."""
    return PALETTE[(x % 2) * 8 + (y % 2) * 4 + qy * 2 + qx]


def tile_png(x: int, y: int) -> bytes:
    """The 256 × 256 PNG of tile ``x, y``."""
    img = np.zeros((256, 256, 3), np.uint8)
    for qy in (0, 1):
        for qx in (0, 1):
            img[qy * 128 : qy * 128 + 128, qx * 128 : qx * 128 + 128] = expected_colour(
                x, y, qx, qy
            )
    raw = b"".join(b"\x00" + row.tobytes() for row in img)

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", 256, 256, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(raw, 6))
        + chunk(b"IEND", b"")
    )


class TileServer:
    """Serves ``/{z}/{x}/{y}.png``; ``status`` other than 200 answers every request
    with that code. ``requests`` counts the requests, ``agents`` keeps their User-Agent.

    ``held`` keeps every tile request waiting until :meth:`release` (a slow server);
    ``documents`` maps other paths (with their query) to ``(content type, bytes)``,
    e.g. a WMTS capabilities document; ``paths`` keeps every path asked for.
    """

    def __init__(
        self,
        status: int = 200,
        max_age: int = 3600,
        held: bool = False,
        documents: dict[str, tuple[str, bytes]] | None = None,
    ) -> None:
        self.status, self.max_age = status, max_age
        self.requests = 0
        self.agents: list[str] = []
        self.paths: list[str] = []
        self.documents = dict(documents or {})
        self._open = threading.Event()
        if not held:
            self._open.set()
        self._lock = threading.Lock()
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                with server._lock:
                    server.requests += 1
                    server.agents.append(self.headers.get("User-Agent", ""))
                    server.paths.append(self.path)
                document = server.documents.get(self.path)
                if document is not None:
                    self.send_response(200)
                    self.send_header("Content-Type", document[0])
                    self.send_header("Content-Length", str(len(document[1])))
                    self.end_headers()
                    self.wfile.write(document[1])
                    return
                server._open.wait(30)
                match = re.fullmatch(r"/(?:[\w-]+/)*(\d+)/(\d+)/(\d+)\.png", self.path)
                if server.status != 200 or match is None:
                    self.send_response(server.status if match else 404)
                    self.end_headers()
                    return
                body = tile_png(int(match[2]), int(match[3]))
                self.send_response(200)
                self.send_header("Content-Type", "image/png")
                self.send_header("Content-Length", str(len(body)))
                self.send_header("Cache-Control", f"max-age={server.max_age}")
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.httpd.server_address[1]
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def template(self) -> str:
        return f"http://127.0.0.1:{self.port}/{{z}}/{{x}}/{{y}}.png"

    def __enter__(self) -> TileServer:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stop()

    def release(self) -> None:
        """Let the held tile requests (and every later one) through."""
        self._open.set()

    @property
    def root(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def stop(self) -> None:
        self._open.set()
        self.httpd.shutdown()
        self.httpd.server_close()


def dead_template() -> str:
    """A URL template on a loopback port where nothing listens."""
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}/{{z}}/{{x}}/{{y}}.png"
