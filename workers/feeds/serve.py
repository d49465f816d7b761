"""Serve a directory of feed files over HTTP on 127.0.0.1 (the demo's stand-in publisher).

``http.server`` in a daemon thread: it sends Last-Modified and answers a
matching If-Modified-Since with 304, so the demo shows conditional polling.
"""

from __future__ import annotations

import functools
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import TracebackType
from typing import Any

FEED_SUFFIXES = {
    ".rss": "application/rss+xml",
    ".atom": "application/atom+xml",
    ".xml": "application/xml",
    ".json": "application/feed+json",
}


class _QuietHandler(SimpleHTTPRequestHandler):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        # Feed media types, so the poller sees what a publisher would send.
        self.extensions_map = {**SimpleHTTPRequestHandler.extensions_map, **FEED_SUFFIXES}
        super().__init__(*args, **kwargs)

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - stdlib name
        pass


class FeedDirectoryServer:
    """Serves the files of ``directory`` at http://127.0.0.1:PORT/NAME."""

    def __init__(self, directory: Path, host: str = "127.0.0.1", port: int = 0) -> None:
        self.directory = directory
        handler = functools.partial(_QuietHandler, directory=str(directory))
        self._httpd = ThreadingHTTPServer((host, port), handler)
        self._httpd.daemon_threads = True
        self.host = host
        self.port = int(self._httpd.server_address[1])
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)

    def feed_urls(self) -> list[str]:
        return [
            f"http://{self.host}:{self.port}/{path.name}"
            for path in sorted(self.directory.iterdir())
            if path.suffix in FEED_SUFFIXES and path.is_file()
        ]

    def __enter__(self) -> FeedDirectoryServer:
        self._thread.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()


def feeds_yaml(urls: list[str], interval_s: float) -> str:
    """A FEEDS.yaml listing ``urls``."""
    lines = ["feeds:"]
    for url in urls:
        lines += [f"  - url: {url}", f"    interval_s: {interval_s:g}"]
    return "\n".join(lines) + "\n"
