"""Stage state changes during a batch; write them only once its outputs are out.

Deduplication, event linking and alert suppression all remember what they
have seen. If that memory were written before the batch's outputs were
delivered, a crash in between would make the re-delivered records look like
duplicates and lose them. Each batch therefore reads through an overlay and
writes to it; the worker applies the overlay to the Faust table after every
send of the batch is acknowledged by the broker.
"""

from __future__ import annotations

from collections.abc import Iterator, MutableMapping
from typing import Any

_DELETED = object()


class Overlay(MutableMapping[str, Any]):
    def __init__(self, base: MutableMapping[str, Any]) -> None:
        self.base = base
        self.changes: dict[str, Any] = {}

    def __getitem__(self, key: str) -> Any:
        if key in self.changes:
            value = self.changes[key]
            if value is _DELETED:
                raise KeyError(key)
            return value
        return self.base[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.changes[key] = value

    def __delitem__(self, key: str) -> None:
        if key not in self:
            raise KeyError(key)
        self.changes[key] = _DELETED

    def __contains__(self, key: object) -> bool:
        if key in self.changes:
            return self.changes[key] is not _DELETED  # type: ignore[index]
        return key in self.base

    def __iter__(self) -> Iterator[str]:
        seen = set()
        for key, value in self.changes.items():
            seen.add(key)
            if value is not _DELETED:
                yield key
        for key in self.base:
            if key not in seen:
                yield key

    def __len__(self) -> int:
        return sum(1 for _ in self)

    def apply(self) -> int:
        """Write the staged changes to the base mapping; return how many."""
        count = len(self.changes)
        for key, value in self.changes.items():
            if value is _DELETED:
                self.base.pop(key, None)
            else:
                self.base[key] = value
        self.changes.clear()
        return count
