"""FEEDS.yaml: the feeds one ``parley poll`` group follows.

```yaml
feeds:
  - url: https://news.example.org/world/rss     # required, http or https
    interval_s: 300                              # required, seconds (>= 1)
    source: Example World News                   # optional: the articles' source name
    language: en                                 # optional: hint when the text is unclear
    headers: {Accept-Language: en}               # optional: extra request headers
    credential_file: secrets/example.token       # optional: header value read from a file
    credential_header: Authorization             # optional (default Authorization)
```

A problem is reported as ``FEEDS.yaml:LINE: problem`` for the feed (or field)
at fault. The credential is read once at load into a ``SecretStr``: it is
sent as a request header and never logged or printed.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml
from pydantic import BaseModel, ConfigDict, Field, SecretStr, ValidationError, field_validator

# Headers parley sets itself: a feed may not override them.
_RESERVED_HEADERS = frozenset(
    {
        "host",
        "user-agent",
        "if-none-match",
        "if-modified-since",
        "accept-encoding",
        "content-length",
        "connection",
    }
)
_HEADER_NAME = re.compile(r"^[!#$%&'*+.^_`|~0-9A-Za-z-]+$")
_LANGUAGE = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$")


class FeedsConfigError(ValueError):
    """FEEDS.yaml is unreadable or invalid; the message starts with ``file:line:``."""


class FeedConfig(BaseModel):
    """One feed to follow."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    url: str
    interval_s: float = Field(ge=1)
    source: str | None = None
    language: str | None = None
    headers: dict[str, str] = Field(default_factory=dict)
    credential_file: Path | None = None
    credential_header: str = "Authorization"
    # Filled from credential_file at load; never part of the YAML.
    credential: SecretStr | None = Field(default=None, exclude=True, repr=False)

    @field_validator("url")
    @classmethod
    def _http_url(cls, value: str) -> str:
        value = value.strip()
        try:
            parts = urlsplit(value)
        except ValueError as exc:
            raise ValueError(f"not a URL: {exc}") from None
        if parts.scheme.lower() not in ("http", "https"):
            raise ValueError("only http and https URLs can be polled")
        if not parts.hostname:
            raise ValueError("URL has no host")
        if parts.username or parts.password:
            raise ValueError("put credentials in credential_file, not in the URL")
        return value

    @field_validator("headers")
    @classmethod
    def _headers(cls, value: dict[str, str]) -> dict[str, str]:
        for name, header_value in value.items():
            if not _HEADER_NAME.match(name):
                raise ValueError(f"invalid header name {name!r}")
            if name.lower() in _RESERVED_HEADERS:
                raise ValueError(f"header {name} is set by parley")
            if "\n" in header_value or "\r" in header_value:
                raise ValueError(f"header {name} contains a line break")
        return value

    @field_validator("credential_header")
    @classmethod
    def _credential_header(cls, value: str) -> str:
        if not _HEADER_NAME.match(value) or value.lower() in _RESERVED_HEADERS:
            raise ValueError(f"invalid credential header {value!r}")
        return value

    @field_validator("language")
    @classmethod
    def _language(cls, value: str | None) -> str | None:
        if value is not None and not _LANGUAGE.match(value):
            raise ValueError(f"not a language code: {value!r} (e.g. en, fr, pt-BR)")
        return value

    @property
    def host(self) -> str:
        """Lower-cased host name: the unit of politeness (one request at a time, a gap)."""
        return (urlsplit(self.url).hostname or "").lower()

    def request_headers(self) -> dict[str, str]:
        """Extra headers for this feed's requests, the credential included."""
        headers = dict(self.headers)
        if self.credential is not None:
            headers[self.credential_header] = self.credential.get_secret_value()
        return headers

    def public(self) -> dict[str, Any]:
        """The feed as safe to log or publish: no credential, header values elided."""
        return {
            "url": self.url,
            "interval_s": self.interval_s,
            "source": self.source,
            "language": self.language,
            "headers": sorted(self.headers),
            "credential": self.credential_file is not None,
        }


def load_feeds(path: Path) -> list[FeedConfig]:
    """The feeds of a FEEDS.yaml file, or ``FeedsConfigError`` naming file and line."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise FeedsConfigError(f"{path}: cannot read: {exc}") from None
    return parse_feeds(text, path)


def parse_feeds(text: str, path: Path) -> list[FeedConfig]:
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else 1
        problem = getattr(exc, "problem", None) or str(exc)
        raise FeedsConfigError(f"{path}:{line}: invalid YAML: {problem}") from None
    if not isinstance(root, yaml.MappingNode):
        raise FeedsConfigError(f"{path}:1: expected a mapping with a 'feeds:' list")
    top = {_scalar(key): value for key, value in root.value}
    unknown = sorted(set(top) - {"feeds"})
    if unknown:
        key_node = next(k for k, _ in root.value if _scalar(k) == unknown[0])
        raise FeedsConfigError(f"{path}:{_line(key_node)}: unknown key {unknown[0]!r}")
    feeds_node = top.get("feeds")
    if not isinstance(feeds_node, yaml.SequenceNode) or not feeds_node.value:
        line = _line(feeds_node) if feeds_node is not None else 1
        raise FeedsConfigError(f"{path}:{line}: 'feeds' must be a non-empty list of feeds")
    feeds: list[FeedConfig] = []
    seen: dict[str, int] = {}
    for node in feeds_node.value:
        feed = _feed(node, path)
        if feed.url in seen:
            raise FeedsConfigError(
                f"{path}:{_line(node)}: feed {feed.url} is already listed at line {seen[feed.url]}"
            )
        seen[feed.url] = _line(node)
        feeds.append(feed)
    return feeds


def _feed(node: yaml.Node, path: Path) -> FeedConfig:
    if not isinstance(node, yaml.MappingNode):
        raise FeedsConfigError(
            f"{path}:{_line(node)}: a feed must be a mapping with url and interval_s"
        )
    data = yaml.safe_load(yaml.serialize(node))
    fields = {_scalar(key): key for key, _ in node.value}
    if "credential" in data:
        raise FeedsConfigError(
            f"{path}:{_line(fields['credential'])}: put the credential in a file and name it "
            "with credential_file"
        )
    try:
        feed = FeedConfig.model_validate(data)
    except ValidationError as exc:
        error = exc.errors()[0]
        field = str(error["loc"][0]) if error["loc"] else ""
        where = _line(fields[field]) if field in fields else _line(node)
        label = ".".join(str(part) for part in error["loc"]) or "feed"
        message = error["msg"].removeprefix("Value error, ")
        raise FeedsConfigError(f"{path}:{where}: {label}: {message}") from None
    if feed.credential_file is None:
        return feed
    credential_path = feed.credential_file
    if not credential_path.is_absolute():
        credential_path = path.parent / credential_path
    try:
        secret = credential_path.read_text(encoding="utf-8").strip()
    except (OSError, UnicodeDecodeError) as exc:
        line = _line(fields["credential_file"])
        # The path is named, never the content.
        raise FeedsConfigError(
            f"{path}:{line}: cannot read credential_file {credential_path}: {type(exc).__name__}"
        ) from None
    if not secret or "\n" in secret or "\r" in secret:
        line = _line(fields["credential_file"])
        raise FeedsConfigError(
            f"{path}:{line}: credential_file {credential_path} must hold one non-empty line"
        )
    return feed.model_copy(update={"credential": SecretStr(secret)})


def _scalar(node: yaml.Node) -> str:
    return str(node.value) if isinstance(node, yaml.ScalarNode) else ""


def _line(node: yaml.Node | None) -> int:
    return node.start_mark.line + 1 if node is not None else 1
