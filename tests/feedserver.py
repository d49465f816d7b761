"""A real HTTP server in the test process, serving feeds that tests change between polls.

``FeedServer`` runs ``http.server.ThreadingHTTPServer`` in a thread on one
loopback address (127.0.0.1, 127.0.0.2, ... are all loopback on Linux, so a
test can give feeds distinct hosts). Routes are plain objects:

- ``RssFeed``: an RSS 2.0 document built from its current items, with an
  ETag and a Last-Modified that change when the items change, answering 304
  when the request's validators match;
- ``Fixed``: one canned answer (status, headers, body), optionally gzipped,
  after a delay;
- ``Redirect``: a 302 to another path.

Every request is recorded (path and headers) so tests can check what was sent.
"""

from __future__ import annotations

import gzip
import hashlib
import threading
import time
from dataclasses import dataclass, field
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Protocol
from xml.sax.saxutils import escape


@dataclass
class Answer:
    status: int
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""
    delay_s: float = 0.0


class Route(Protocol):
    def answer(self, headers: dict[str, str]) -> Answer: ...


@dataclass
class Item:
    title: str
    body: str
    link: str | None = None
    guid: str | None = None
    published: str = "Tue, 12 Nov 2024 10:20:00 GMT"


def rss_document(title: str, items: list[Item], encoding: str = "utf-8") -> bytes:
    parts = [
        f'<?xml version="1.0" encoding="{encoding}"?>',
        '<rss version="2.0"><channel>',
        f"<title>{escape(title)}</title><link>https://feeds.example.org/</link>",
        "<description>Test feed</description>",
    ]
    for item in items:
        parts.append("<item>")
        parts.append(f"<title>{escape(item.title)}</title>")
        if item.link:
            parts.append(f"<link>{escape(item.link)}</link>")
        if item.guid:
            parts.append(f'<guid isPermaLink="false">{escape(item.guid)}</guid>')
        parts.append(f"<pubDate>{item.published}</pubDate>")
        parts.append(f"<description>{escape(item.body)}</description>")
        parts.append("</item>")
    parts.append("</channel></rss>")
    return "".join(parts).encode(encoding)


@dataclass
class RssFeed:
    """A feed whose items a test edits; answers 304 to matching validators."""

    title: str
    items: list[Item] = field(default_factory=list)
    validators: bool = True
    content_type: str = "application/rss+xml; charset=utf-8"
    last_change: float = field(default_factory=time.time)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def set_items(self, items: list[Item]) -> None:
        with self.lock:
            self.items = list(items)
            # Last-Modified has one-second resolution: make the change visible.
            self.last_change = max(time.time(), self.last_change + 1.0)

    def answer(self, headers: dict[str, str]) -> Answer:
        with self.lock:
            body = rss_document(self.title, self.items)
            etag = '"' + hashlib.sha1(body).hexdigest()[:16] + '"'
            modified = formatdate(self.last_change, usegmt=True)
        if self.validators:
            if headers.get("if-none-match") == etag or (
                "if-none-match" not in headers and headers.get("if-modified-since") == modified
            ):
                return Answer(304, {"ETag": etag, "Last-Modified": modified})
            extra = {"ETag": etag, "Last-Modified": modified}
        else:
            extra = {}
        return Answer(200, {"Content-Type": self.content_type, **extra}, body)


@dataclass
class Fixed:
    """The same answer every time."""

    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""
    delay_s: float = 0.0
    gzip_body: bool = False

    def answer(self, headers: dict[str, str]) -> Answer:
        body, extra = self.body, dict(self.headers)
        if self.gzip_body:
            body = gzip.compress(body)
            extra["Content-Encoding"] = "gzip"
        return Answer(self.status, extra, body, self.delay_s)


@dataclass
class Redirect:
    location: str
    status: int = 302

    def answer(self, headers: dict[str, str]) -> Answer:
        return Answer(self.status, {"Location": self.location})


@dataclass
class Request:
    path: str
    headers: dict[str, str]
    at: float


class FeedServer:
    """Serves ``routes`` (path -> Route) on ``host``:``port``, in a daemon thread."""

    def __init__(self, host: str = "127.0.0.1", routes: dict[str, Route] | None = None) -> None:
        self.host = host
        self.routes: dict[str, Route] = routes if routes is not None else {}
        self.requests: list[Request] = []
        self._lock = threading.Lock()
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self) -> None:  # noqa: N802 - http.server's naming
                headers = {k.lower(): v for k, v in self.headers.items()}
                with server._lock:
                    server.requests.append(Request(self.path, headers, time.time()))
                route = server.routes.get(self.path)
                answer = route.answer(headers) if route else Answer(404, body=b"not found")
                if answer.delay_s:
                    time.sleep(answer.delay_s)
                try:
                    self.send_response(answer.status)
                    for name, value in answer.headers.items():
                        self.send_header(name, value)
                    self.send_header("Content-Length", str(len(answer.body)))
                    self.end_headers()
                    if answer.body:
                        self.wfile.write(answer.body)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up (timeout or size cap): expected

            def log_message(self, format: str, *args: object) -> None:  # noqa: A002
                pass

        self._httpd = ThreadingHTTPServer((host, 0), Handler)
        self._httpd.daemon_threads = True
        self.port = int(self._httpd.server_address[1])
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)

    def url(self, path: str, host: str | None = None) -> str:
        return f"http://{host or self.host}:{self.port}{path}"

    def requests_for(self, path: str) -> list[Request]:
        with self._lock:
            return [r for r in self.requests if r.path == path]

    def __enter__(self) -> FeedServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()
