"""FEEDS.yaml: valid files load; every problem names the file and the line."""

from __future__ import annotations

from pathlib import Path

import pytest

from workers.feeds.config import FeedsConfigError, load_feeds


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "FEEDS.yaml"
    path.write_text(text)
    return path


def test_example_file_loads() -> None:
    feeds = load_feeds(Path(__file__).resolve().parents[3] / "examples" / "feeds.yaml")
    assert feeds and all(feed.url.startswith(("http://", "https://")) for feed in feeds)


def test_fields_and_defaults(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "feeds:\n"
        "  - url: https://news.example.org/rss\n"
        "    interval_s: 60\n"
        "    source: Example News\n"
        "    language: fr\n"
        "    headers: {Accept-Language: fr}\n"
        "  - url: http://other.example.org/atom\n"
        "    interval_s: 1\n",
    )
    first, second = load_feeds(path)
    assert (first.url, first.interval_s, first.source, first.language) == (
        "https://news.example.org/rss",
        60,
        "Example News",
        "fr",
    )
    assert first.request_headers() == {"Accept-Language": "fr"}
    assert first.host == "news.example.org"
    assert second.source is None and second.headers == {} and second.credential is None


def test_credential_is_read_from_a_file_and_never_shown(tmp_path: Path) -> None:
    (tmp_path / "token").write_text("Bearer s3cr3t-token\n")
    path = write(
        tmp_path,
        "feeds:\n"
        "  - url: https://api.example.org/feed.json\n"
        "    interval_s: 30\n"
        "    credential_file: token\n"
        "    credential_header: X-Api-Key\n",
    )
    (feed,) = load_feeds(path)
    assert feed.request_headers() == {"X-Api-Key": "Bearer s3cr3t-token"}
    for shown in (repr(feed), str(feed), str(feed.public()), feed.model_dump_json()):
        assert "s3cr3t" not in shown


@pytest.mark.parametrize(
    ("text", "line", "fragment"),
    [
        ("feeds:\n  - url: https://a.example/rss\n", 2, "interval_s"),
        ("feeds:\n  - url: ftp://a.example/rss\n    interval_s: 5\n", 2, "only http and https"),
        ("feeds:\n  - url: https://a.example/rss\n    interval_s: 0\n", 3, "interval_s"),
        (
            "feeds:\n  - url: https://a.example/rss\n    interval_s: 5\n    colour: red\n",
            4,
            "colour",
        ),
        (
            "feeds:\n  - url: https://a.example/rss\n    interval_s: 5\n"
            "  - url: https://a.example/rss\n    interval_s: 9\n",
            4,
            "already listed at line 2",
        ),
        ("feeds: []\n", 1, "non-empty list"),
        ("sources:\n  - url: x\n", 1, "unknown key 'sources'"),
        ("feeds:\n  - url: [unclosed\n", 3, "invalid YAML"),
        ("feeds:\n  - https://a.example/rss\n", 2, "must be a mapping"),
        ("feeds:\n  - url: https://u:p@a.example/rss\n    interval_s: 5\n", 2, "credential_file"),
        (
            "feeds:\n  - url: https://a.example/rss\n    interval_s: 5\n    credential: abc\n",
            4,
            "credential_file",
        ),
        (
            "feeds:\n  - url: https://a.example/rss\n    interval_s: 5\n"
            "    headers: {User-Agent: me}\n",
            4,
            "set by parley",
        ),
        (
            "feeds:\n  - url: https://a.example/rss\n    interval_s: 5\n    language: French\n",
            4,
            "language",
        ),
    ],
)
def test_problems_name_file_and_line(tmp_path: Path, text: str, line: int, fragment: str) -> None:
    path = write(tmp_path, text)
    with pytest.raises(FeedsConfigError) as caught:
        load_feeds(path)
    message = str(caught.value)
    assert message.startswith(f"{path}:{line}:"), message
    assert fragment in message
    assert "\n" not in message


def test_unreadable_credential_names_the_path_not_the_content(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "feeds:\n  - url: https://a.example/rss\n    interval_s: 5\n"
        "    credential_file: missing.token\n",
    )
    with pytest.raises(
        FeedsConfigError,
        match=r"FEEDS.yaml:4: cannot read credential_file .*"
        r"missing.token: FileNotFoundError",
    ):
        load_feeds(path)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(FeedsConfigError, match="cannot read"):
        load_feeds(tmp_path / "nope.yaml")
