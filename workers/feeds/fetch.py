"""One conditional GET of a feed, with every failure reduced to a bounded class.

aiohttp is the client: Faust already depends on it, it is well kept, and it
streams the (decompressed) body so the size cap holds for gzip bombs too.
Redirects are followed here, not by aiohttp, so that only http and https
are followed, at most ``max_redirects`` of them, and the credential header
never leaves the feed's own host.
"""

from __future__ import annotations

import asyncio
import ssl
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

import aiohttp

from workers import __version__

USER_AGENT = f"parley/{__version__} (news feed poller; +https://github.com/parley/parley)"
ACCEPT = (
    "application/rss+xml, application/atom+xml, application/feed+json, application/json;q=0.9, "
    "application/xml;q=0.8, text/xml;q=0.8, */*;q=0.1"
)
_REDIRECTS = frozenset({301, 302, 303, 307, 308})

#: Every outcome of a poll (the ``outcome`` label of parley_feed_polls_total).
OUTCOMES = (
    "ok",
    "not_modified",
    "timeout",
    "dns",
    "tls",
    "connection",
    "redirect",
    "too_large",
    "http_429",
    "http_4xx",
    "http_5xx",
    "http_other",
    "not_a_feed",
    "malformed",
    "encoding",
    "publish",
    "internal",
)


@dataclass(frozen=True)
class FetchLimits:
    connect_timeout_s: float = 10.0
    read_timeout_s: float = 30.0
    max_bytes: int = 10 * 1024 * 1024
    max_redirects: int = 5


@dataclass(frozen=True)
class FetchResult:
    """What one fetch came to: a body (200), nothing new (304), or an error class."""

    status: int | None
    url: str
    body: bytes = b""
    content_type: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    retry_after: str | None = None
    error: str | None = None  # one of OUTCOMES when the fetch failed
    message: str = ""

    @property
    def not_modified(self) -> bool:
        return self.error is None and self.status == 304


class FetchFailed(Exception):
    def __init__(self, kind: str, message: str, status: int | None = None) -> None:
        super().__init__(message)
        self.kind = kind
        self.status = status


def status_class(status: int) -> str:
    if status == 429:
        return "http_429"
    if 400 <= status < 500:
        return "http_4xx"
    if 500 <= status < 600:
        return "http_5xx"
    return "http_other"


def classify_exception(error: BaseException) -> str:
    """The error class of an exception raised by a request (bounded, for metrics)."""
    if isinstance(error, FetchFailed):
        return error.kind
    if isinstance(error, (asyncio.TimeoutError, TimeoutError, aiohttp.ServerTimeoutError)):
        return "timeout"
    if isinstance(error, aiohttp.ClientConnectorDNSError):
        return "dns"
    if isinstance(
        error,
        (aiohttp.ClientConnectorCertificateError, aiohttp.ClientSSLError, ssl.SSLError),
    ):
        return "tls"
    if isinstance(error, aiohttp.ClientConnectorError) and isinstance(error.os_error, ssl.SSLError):
        return "tls"
    if isinstance(error, (aiohttp.InvalidUrlClientError, aiohttp.NonHttpUrlClientError)):
        return "redirect"
    return "connection"


def conditional_headers(etag: str | None, last_modified: str | None) -> dict[str, str]:
    headers = {}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    return headers


class Fetcher:
    """Fetches feeds over one aiohttp session (connection reuse, one DNS cache)."""

    def __init__(self, limits: FetchLimits) -> None:
        self.limits = limits
        self._session: aiohttp.ClientSession | None = None

    async def start(self) -> None:
        if self._session is None:
            self._session = aiohttp.ClientSession(
                timeout=aiohttp.ClientTimeout(
                    total=self.limits.connect_timeout_s + self.limits.read_timeout_s,
                    connect=self.limits.connect_timeout_s,
                    sock_read=self.limits.read_timeout_s,
                ),
                headers={"User-Agent": USER_AGENT, "Accept": ACCEPT},
                # No cookies carried between feeds or polls.
                cookie_jar=aiohttp.DummyCookieJar(),
            )

    async def close(self) -> None:
        if self._session is not None:
            await self._session.close()
            self._session = None

    async def fetch(
        self,
        url: str,
        *,
        headers: Mapping[str, str] | None = None,
        private_headers: frozenset[str] = frozenset(),
        etag: str | None = None,
        last_modified: str | None = None,
    ) -> FetchResult:
        """GET ``url``; never raises for a network or HTTP problem (see ``FetchResult.error``).

        ``private_headers`` (the credential) are sent to the feed's own host
        only, not to a host it redirects to.
        """
        await self.start()
        try:
            return await self._fetch(url, headers or {}, private_headers, etag, last_modified)
        except Exception as exc:  # noqa: BLE001 - every failure is one error class
            status = exc.status if isinstance(exc, FetchFailed) else None
            return FetchResult(
                status=status,
                url=url,
                error=classify_exception(exc),
                message=_one_line(exc),
            )

    async def _fetch(
        self,
        url: str,
        headers: Mapping[str, str],
        private_headers: frozenset[str],
        etag: str | None,
        last_modified: str | None,
    ) -> FetchResult:
        assert self._session is not None
        origin_host = (urlsplit(url).hostname or "").lower()
        current = url
        for _hop in range(self.limits.max_redirects + 1):
            scheme = urlsplit(current).scheme.lower()
            if scheme not in ("http", "https"):
                raise FetchFailed("redirect", f"redirected to a {scheme or 'relative'} URL")
            same_host = (urlsplit(current).hostname or "").lower() == origin_host
            request_headers = {
                name: value
                for name, value in headers.items()
                if same_host or name.lower() not in private_headers
            }
            request_headers.update(conditional_headers(etag, last_modified))
            async with self._session.get(
                current, headers=request_headers, allow_redirects=False
            ) as response:
                status = response.status
                if status in _REDIRECTS:
                    location = response.headers.get("Location")
                    if not location:
                        raise FetchFailed("redirect", f"HTTP {status} without Location", status)
                    current = urljoin(current, location)
                    continue
                if status == 304:
                    return FetchResult(
                        status=304,
                        url=current,
                        etag=response.headers.get("ETag") or etag,
                        last_modified=response.headers.get("Last-Modified") or last_modified,
                    )
                if status != 200:
                    return FetchResult(
                        status=status,
                        url=current,
                        retry_after=response.headers.get("Retry-After"),
                        error=status_class(status),
                        message=f"HTTP {status} {response.reason or ''}".strip(),
                    )
                body = await self._read_capped(response)
                return FetchResult(
                    status=200,
                    url=current,
                    body=body,
                    content_type=response.headers.get("Content-Type"),
                    etag=response.headers.get("ETag"),
                    last_modified=response.headers.get("Last-Modified"),
                )
        raise FetchFailed("redirect", f"more than {self.limits.max_redirects} redirects")

    async def _read_capped(self, response: aiohttp.ClientResponse) -> bytes:
        limit = self.limits.max_bytes
        declared = response.content_length
        if (
            declared is not None
            and declared > limit
            and not response.headers.get("Content-Encoding")
        ):
            raise FetchFailed("too_large", f"Content-Length {declared} over {limit} bytes", 200)
        chunks: list[bytes] = []
        size = 0
        async for chunk in response.content.iter_chunked(64 * 1024):
            size += len(chunk)
            if size > limit:
                raise FetchFailed("too_large", f"body over {limit} bytes", 200)
            chunks.append(chunk)
        return b"".join(chunks)


def _one_line(error: BaseException) -> str:
    text = str(error) or type(error).__name__
    return " ".join(text.split())[:300]
