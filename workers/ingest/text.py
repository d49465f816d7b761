"""Text clean-up: HTML to plain text with paragraph breaks, whitespace, site furniture."""

from __future__ import annotations

import re
import unicodedata
from functools import cache
from html import unescape
from html.parser import HTMLParser

from workers.ingest.lexicon import lexicon

# Tags whose start or end is a paragraph boundary in the visible text.
_BLOCK_TAGS = frozenset(
    {
        "p",
        "div",
        "br",
        "li",
        "ul",
        "ol",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "blockquote",
        "section",
        "article",
        "header",
        "footer",
        "table",
        "tr",
        "pre",
        "hr",
        "figure",
        "figcaption",
        "dd",
        "dt",
        "aside",
    }
)
# Tags whose content is never article text.
_SKIPPED_TAGS = frozenset({"script", "style", "noscript", "template", "iframe", "svg", "button"})

_HTML_HINT = re.compile(
    r"<\s*/?\s*[a-zA-Z][a-zA-Z0-9]*(\s[^<>]*)?/?>|&(#\d+|#x[0-9a-fA-F]+|[a-zA-Z]+);"
)
_INVISIBLE = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad]")
_HORIZONTAL_SPACE = re.compile(r"[^\S\n]+")
_PARAGRAPH_BREAK = re.compile(r"\n\s*\n")
# News APIs truncate content and append the remaining length: "... [+2345 chars]".
_TRUNCATION_MARK = re.compile(r"\s*(…|\.\.\.)?\s*\[\+\d+ chars\]\s*$")


class _TextExtractor(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip_depth = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIPPED_TAGS:
            self._skip_depth += 1
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n\n")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _BLOCK_TAGS:
            self.parts.append("\n\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIPPED_TAGS:
            self._skip_depth = max(0, self._skip_depth - 1)
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n\n")

    def handle_data(self, data: str) -> None:
        if not self._skip_depth:
            self.parts.append(data)


def looks_like_html(text: str) -> bool:
    return _HTML_HINT.search(text) is not None


def html_to_text(html: str) -> str:
    """Visible text of an HTML fragment; block elements become paragraph breaks."""
    extractor = _TextExtractor()
    extractor.feed(html)
    extractor.close()
    return "".join(extractor.parts)


def normalize_paragraphs(text: str, *, unwrap_lines: bool = True) -> str:
    """Fold whitespace; paragraphs separated by exactly one blank line.

    With ``unwrap_lines`` single newlines inside a paragraph are hard wraps and
    become spaces; without it every line is its own paragraph (copy that uses
    no blank lines between paragraphs).
    """
    text = unicodedata.normalize("NFC", _INVISIBLE.sub("", text)).replace("\r\n", "\n")
    text = text.replace("\r", "\n").replace("\u00a0", " ")
    blocks = _PARAGRAPH_BREAK.split(text) if unwrap_lines else text.split("\n")
    paragraphs = (_HORIZONTAL_SPACE.sub(" ", block.replace("\n", " ")).strip() for block in blocks)
    return "\n\n".join(p for p in paragraphs if p)


def clean_field(text: str) -> str:
    """A JSON/feed text field as plain paragraphs (HTML reduced when present)."""
    text = _TRUNCATION_MARK.sub("", text)
    if looks_like_html(text):
        text = html_to_text(text)
    else:
        text = unescape(text) if "&" in text else text
    return normalize_paragraphs(text)


def clean_title(text: str) -> str:
    return " ".join(clean_field(text).split())


@cache
def _furniture_pattern() -> re.Pattern[str]:
    headings = lexicon().furniture_headings
    multiword = [re.escape(h) for h in headings if " " in h]
    single = [re.escape(h) for h in headings if " " not in h]
    # A one-word heading must stand alone ("Related", "Share:"); a multi-word
    # one may lead a line ("Read more: ...", "Follow us on X").
    return re.compile(
        rf"^\s*(?:(?:{'|'.join(single)})\s*(?::.*)?|(?:{'|'.join(multiword)})\b.*)$|^\s*©",
        re.IGNORECASE,
    )


_FURNITURE_MAX_LINE = 90


def strip_furniture(text: str) -> str:
    """Cut the text at the first furniture line ("Related", "Share this"...).

    The first line is never furniture: a story needs a start before site
    furniture can follow it.
    """
    pattern = _furniture_pattern()
    lines = text.split("\n")
    seen_text = False
    for index, line in enumerate(lines):
        stripped = line.strip()
        if not stripped:
            continue
        if seen_text and len(stripped) <= _FURNITURE_MAX_LINE and pattern.match(stripped):
            return "\n".join(lines[:index]).rstrip()
        seen_text = True
    return text
