"""Reading raw records from files, directories and stdin (for the CLI)."""

from __future__ import annotations

import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

STDIN = "-"

# Content type of one record read from a file with this suffix.
SUFFIX_CONTENT_TYPES: dict[str, str | None] = {
    ".jsonl": "application/json",  # one record per line
    ".ndjson": "application/json",
    ".json": "application/json",
    ".txt": "text/plain",
    ".rss": "application/rss+xml",
    ".atom": "application/atom+xml",
    ".xml": None,  # RSS or Atom: sniffed
}
_LINE_SUFFIXES = frozenset({".jsonl", ".ndjson"})


class InputError(Exception):
    """An input path that cannot be read; ``str()`` is one line for the CLI."""


@dataclass(frozen=True)
class RawInput:
    value: bytes
    content_type: str | None
    origin: str  # "path" or "path:line"


def _read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as error:
        raise InputError(f"cannot read {path}: {error.strerror or error}") from None


def _records_of_file(path: Path, content_type: str | None) -> Iterator[RawInput]:
    data = _read_bytes(path)
    if path.suffix.lower() in _LINE_SUFFIXES:
        for number, line in enumerate(data.splitlines(), start=1):
            if line.strip():
                yield RawInput(line, content_type, f"{path}:{number}")
    else:
        yield RawInput(data, content_type, str(path))


def _directory_files(directory: Path) -> Iterator[Path]:
    try:
        candidates = sorted(directory.rglob("*"))
    except OSError as error:
        raise InputError(f"cannot list {directory}: {error.strerror or error}") from None
    for path in candidates:
        hidden = any(part.startswith(".") for part in path.relative_to(directory).parts)
        if path.is_file() and not hidden and path.suffix.lower() in SUFFIX_CONTENT_TYPES:
            yield path


def read_inputs(paths: Sequence[Path | str]) -> Iterator[RawInput]:
    """Raw records from files, directories (recursive, sorted) and '-' (stdin).

    .jsonl/.ndjson give one record per non-empty line; .json, .txt and feed
    files (.xml/.rss/.atom) one record per file. In a directory, files with
    other suffixes (README.md...) are skipped; a file named explicitly is read
    whatever its suffix, its format sniffed.
    """
    for raw_path in paths:
        if str(raw_path) == STDIN:
            yield RawInput(sys.stdin.buffer.read(), None, "<stdin>")
            continue
        path = Path(raw_path)
        if path.is_dir():
            for file in _directory_files(path):
                yield from _records_of_file(file, SUFFIX_CONTENT_TYPES[file.suffix.lower()])
        elif path.exists():
            yield from _records_of_file(path, SUFFIX_CONTENT_TYPES.get(path.suffix.lower()))
        else:
            raise InputError(f"no such file or directory: {path}")
