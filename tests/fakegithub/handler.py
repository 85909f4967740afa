"""HTTP/1.1 on 127.0.0.1 for the fake GitHub: keep-alive like GitHub, every request handed
to `handle()`, nothing logged (tests read the recorded requests instead)."""

from __future__ import annotations

import socket
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Protocol


class Answering(Protocol):
    connections: set[socket.socket]

    def handle(
        self, method: str, target: str, headers: dict[str, str], raw: bytes
    ) -> tuple[int, dict[str, str], bytes]: ...


class LocalServer(ThreadingHTTPServer):
    def __init__(self, fake: Answering) -> None:
        super().__init__(("127.0.0.1", 0), Handler)  # port 0: any free port
        self.fake = fake


class Handler(BaseHTTPRequestHandler):
    server: LocalServer
    protocol_version = "HTTP/1.1"  # keep-alive, as clients use GitHub
    timeout = 10  # an idle keep-alive connection ends, and with it its thread

    def version_string(self) -> str:
        return "GitHub.com"

    def setup(self) -> None:
        super().setup()
        self.server.fake.connections.add(self.connection)

    def finish(self) -> None:
        self.server.fake.connections.discard(self.connection)
        super().finish()

    def _serve(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        fake = self.server.fake
        status, headers, body = fake.handle(self.command, self.path, dict(self.headers), raw)
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_GET = do_POST = do_PATCH = do_PUT = do_DELETE = _serve

    def log_message(self, format: str, *args: Any) -> None:
        """Silent."""
