"""One fetch against a real HTTP server in this process: every answer and failure class.

The server is ``tests.feedserver.FeedServer`` (http.server in a thread); no
process is started.
"""

from __future__ import annotations

import asyncio
import gzip
from collections.abc import Iterator

import pytest

from tests.feedserver import FeedServer, Fixed, Item, Redirect, RssFeed, rss_document
from workers import __version__
from workers.feeds.fetch import Fetcher, FetchLimits, FetchResult

BODY = "Envoys from both governments met in Vienna on Monday to discuss the agreement."
LIMITS = FetchLimits(
    connect_timeout_s=2.0, read_timeout_s=0.5, max_bytes=64 * 1024, max_redirects=2
)


@pytest.fixture(scope="module")
def server() -> Iterator[FeedServer]:
    with FeedServer() as running:
        yield running


def fetch(url: str, **kwargs: object) -> FetchResult:
    async def once() -> FetchResult:
        fetcher = Fetcher(LIMITS)
        try:
            return await fetcher.fetch(url, **kwargs)  # type: ignore[arg-type]
        finally:
            await fetcher.close()

    return asyncio.run(once())


def test_conditional_get_answers_304_once_validators_are_sent(server: FeedServer) -> None:
    feed = RssFeed("World", [Item("Talks in Vienna", BODY, guid="g1")])
    server.routes["/cond.rss"] = feed
    first = fetch(server.url("/cond.rss"))
    assert first.status == 200 and first.error is None and b"Talks in Vienna" in first.body
    assert first.etag and first.last_modified
    second = fetch(server.url("/cond.rss"), etag=first.etag, last_modified=first.last_modified)
    assert second.not_modified and second.body == b""
    sent = server.requests_for("/cond.rss")[-1].headers
    assert sent["if-none-match"] == first.etag
    assert sent["if-modified-since"] == first.last_modified
    feed.set_items([Item("Talks in Vienna", BODY, guid="g1"), Item("A new item", BODY, guid="g2")])
    third = fetch(server.url("/cond.rss"), etag=first.etag, last_modified=first.last_modified)
    assert third.status == 200 and b"A new item" in third.body


def test_user_agent_names_parley_and_its_version(server: FeedServer) -> None:
    server.routes["/ua.rss"] = Fixed(200, {"Content-Type": "application/rss+xml"}, b"<rss/>")
    fetch(server.url("/ua.rss"))
    agent = server.requests_for("/ua.rss")[-1].headers["user-agent"]
    assert agent.startswith(f"parley/{__version__} ")


@pytest.mark.parametrize(
    ("status", "kind"),
    [(500, "http_5xx"), (503, "http_5xx"), (404, "http_4xx"), (403, "http_4xx"), (410, "http_4xx")],
)
def test_error_statuses(server: FeedServer, status: int, kind: str) -> None:
    server.routes[f"/status-{status}"] = Fixed(status, body=b"nope")
    result = fetch(server.url(f"/status-{status}"))
    assert (result.status, result.error) == (status, kind)


def test_429_carries_retry_after(server: FeedServer) -> None:
    server.routes["/busy"] = Fixed(429, {"Retry-After": "3"})
    result = fetch(server.url("/busy"))
    assert (result.status, result.error, result.retry_after) == (429, "http_429", "3")


def test_slow_answer_times_out(server: FeedServer) -> None:
    server.routes["/slow"] = Fixed(200, body=b"<rss/>", delay_s=1.5)
    assert fetch(server.url("/slow")).error == "timeout"


def test_redirects_are_followed_up_to_the_limit(server: FeedServer) -> None:
    document = rss_document("R", [Item("Moved item", BODY, guid="m")])
    server.routes["/final.rss"] = Fixed(200, {"Content-Type": "application/rss+xml"}, document)
    server.routes["/r1"] = Redirect("/r2")
    server.routes["/r2"] = Redirect(server.url("/final.rss"), status=301)
    result = fetch(server.url("/r1"))
    assert result.status == 200 and result.url.endswith("/final.rss") and result.body == document
    server.routes["/loop-a"] = Redirect("/loop-b")
    server.routes["/loop-b"] = Redirect("/loop-a")
    assert fetch(server.url("/loop-a")).error == "redirect"
    server.routes["/to-ftp"] = Redirect("ftp://files.example.org/feed.rss")
    assert fetch(server.url("/to-ftp")).error == "redirect"


def test_credential_stays_on_the_feeds_own_host(server: FeedServer) -> None:
    server.routes["/private.rss"] = Fixed(200, {"Content-Type": "application/rss+xml"}, b"<rss/>")
    server.routes["/elsewhere"] = Redirect(server.url("/private.rss", host="localhost"))
    fetch(
        server.url("/private.rss"),
        headers={"X-Token": "t0k"},
        private_headers=frozenset({"x-token"}),
    )
    assert server.requests_for("/private.rss")[-1].headers.get("x-token") == "t0k"
    fetch(
        server.url("/elsewhere"),
        headers={"X-Token": "t0k", "Accept-Language": "en"},
        private_headers=frozenset({"x-token"}),
    )
    last = server.requests_for("/private.rss")[-1].headers
    assert "x-token" not in last and last["accept-language"] == "en"


def test_gzip_is_decompressed(server: FeedServer) -> None:
    document = rss_document("Z", [Item("Zipped item", BODY, guid="z")])
    server.routes["/gz.rss"] = Fixed(
        200, {"Content-Type": "application/rss+xml"}, document, gzip_body=True
    )
    result = fetch(server.url("/gz.rss"))
    assert result.status == 200 and result.body == document
    assert "gzip" in server.requests_for("/gz.rss")[-1].headers["accept-encoding"]


def test_huge_responses_are_refused(server: FeedServer) -> None:
    server.routes["/huge"] = Fixed(200, {"Content-Type": "application/rss+xml"}, b"x" * 200_000)
    assert fetch(server.url("/huge")).error == "too_large"
    # A small gzip body that inflates past the cap (Content-Length is no guide).
    server.routes["/bomb"] = Fixed(
        200, {"Content-Type": "application/rss+xml"}, b"<rss>" + b" " * 500_000, gzip_body=True
    )
    assert len(gzip.compress(b" " * 500_000)) < LIMITS.max_bytes
    assert fetch(server.url("/bomb")).error == "too_large"


def test_dns_failure() -> None:
    result = fetch("http://no-such-host.parley-test.invalid/feed.rss")
    assert result.error == "dns" and result.status is None


def test_tls_error_when_https_meets_plain_http(server: FeedServer) -> None:
    result = fetch(f"https://127.0.0.1:{server.port}/cond.rss")
    assert result.error == "tls", result


def test_refused_connection() -> None:
    from workers.broker import free_port

    assert fetch(f"http://127.0.0.1:{free_port()}/feed.rss").error == "connection"
