"""Stable article ids and content hashes."""

from __future__ import annotations

import hashlib
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from workers.ingest.lexicon import lexicon

_DEFAULT_PORTS = {"http": "80", "https": "443"}


def _is_tracking(name: str) -> bool:
    lex = lexicon()
    lowered = name.lower()
    return lowered in lex.tracking_names or lowered.startswith(lex.tracking_prefixes)


def canonical_url(url: str) -> str | None:
    """The URL with case, fragment, tracking parameters and trailing slash normalized.

    None for anything that is not an absolute http(s) URL (an RSS guid such as
    "demo-2024-11-12" is not a location).
    """
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return None
    scheme = parts.scheme.lower()
    if scheme not in _DEFAULT_PORTS or not parts.hostname:
        return None
    host = parts.hostname.lower()
    if parts.port is not None and str(parts.port) != _DEFAULT_PORTS[scheme]:
        host = f"{host}:{parts.port}"
    query = sorted(
        (key, value)
        for key, value in parse_qsl(parts.query, keep_blank_values=True)
        if not _is_tracking(key)
    )
    path = parts.path.rstrip("/") or ""
    return urlunsplit((scheme, host, path, urlencode(query), ""))


def _digest(text: str, length: int) -> str:
    return hashlib.sha1(text.encode("utf-8"), usedforsecurity=False).hexdigest()[:length]


def normalized_content(title: str, body: str) -> str:
    return " ".join(f"{title}\n{body}".casefold().split())


def content_hash(title: str, body: str) -> str:
    """Hash of the whitespace-folded, case-folded title and body (syndication-proof)."""
    return _digest(normalized_content(title, body), 32)


def article_id(url: str | None, *, source: str | None, title: str, body: str) -> str:
    """ "u:<hash of canonical URL>" when a URL is known, else "c:<hash of source+content>"."""
    canonical = canonical_url(url) if url else None
    if canonical:
        return f"u:{_digest(canonical, 24)}"
    keyed = "\x1f".join(((source or "").casefold(), normalized_content(title, body)))
    return f"c:{_digest(keyed, 24)}"
