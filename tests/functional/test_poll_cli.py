"""``parley poll`` refuses bad input with one line and a non-zero exit."""

from __future__ import annotations

from pathlib import Path

from tests.functional.test_cli import assert_one_line_error, parley


def test_invalid_feeds_file_names_file_and_line(tmp_path: Path) -> None:
    feeds = tmp_path / "FEEDS.yaml"
    feeds.write_text(
        "feeds:\n  - url: https://a.example/rss\n    interval_s: 5\n"
        "  - url: gopher://b.example/feed\n    interval_s: 5\n"
    )
    result = parley("poll", str(feeds), env={"PARLEY_BROKER": "127.0.0.1:1"})
    assert_one_line_error(result, f"{feeds}:4:", "only http and https")


def test_missing_feeds_file(tmp_path: Path) -> None:
    assert_one_line_error(parley("poll", str(tmp_path / "none.yaml")), "none.yaml")


def test_poll_needs_a_broker(tmp_path: Path) -> None:
    feeds = tmp_path / "FEEDS.yaml"
    feeds.write_text("feeds:\n  - url: https://a.example/rss\n    interval_s: 5\n")
    assert_one_line_error(parley("poll", str(feeds)), "PARLEY_BROKER")


def test_credential_never_reaches_the_output(tmp_path: Path) -> None:
    (tmp_path / "token").write_text("s3cr3t-value\n")
    feeds = tmp_path / "FEEDS.yaml"
    feeds.write_text(
        "feeds:\n  - url: https://a.example/rss\n    interval_s: 5\n"
        "    credential_file: token\n  - url: https://a.example/rss\n"
        "    interval_s: 1\n"
    )
    result = parley("poll", str(feeds), env={"PARLEY_BROKER": "127.0.0.1:1"})
    assert_one_line_error(result, "already listed")
    assert b"s3cr3t" not in result.stdout + result.stderr
