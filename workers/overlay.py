"""Stage state changes during a batch; write them only once its outputs are out.

Deduplication, event linking and alert suppression all remember what they
have seen. If that memory were written before the batch's outputs were
delivered, a crash in between would make the re-delivered records look like
duplicates and lose them. Each batch therefore reads through an overlay and
writes to it; the worker journals the overlay's changes and applies them to
the state store (``workers.journal``) after every send of the batch is
acknowledged by the broker (event links: before the batch's outputs are sent,
see ``workers.batch``).

Several batches are in flight at once (two per NLP process), so staged
changes are also visible to the other batches of the same worker through a
shared ``pending`` layer: a copy of an article that arrives in the next batch
is still a duplicate. This is safe because any batch failure ends the worker
process, taking the pending layer with it.
"""

from __future__ import annotations

from collections.abc import Iterator, MutableMapping
from typing import Any

_DELETED = object()


class Overlay(MutableMapping[str, Any]):
    def __init__(
        self, base: MutableMapping[str, Any], pending: dict[str, Any] | None = None
    ) -> None:
        self.base = base
        self.pending: dict[str, Any] = pending if pending is not None else {}
        self.changes: dict[str, Any] = {}

    def _staged(self, key: str) -> Any:
        return self.changes[key] if key in self.changes else self.pending[key]

    def _is_staged(self, key: str) -> bool:
        return key in self.changes or key in self.pending

    def __getitem__(self, key: str) -> Any:
        if self._is_staged(key):
            value = self._staged(key)
            if value is _DELETED:
                raise KeyError(key)
            return value
        return self.base[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.changes[key] = value
        self.pending[key] = value

    def __delitem__(self, key: str) -> None:
        if key not in self:
            raise KeyError(key)
        self.changes[key] = _DELETED
        self.pending[key] = _DELETED

    def __contains__(self, key: object) -> bool:
        if isinstance(key, str) and self._is_staged(key):
            return self._staged(key) is not _DELETED
        return key in self.base

    def __iter__(self) -> Iterator[str]:
        seen = set()
        for layer in (self.changes, self.pending):
            for key, value in layer.items():
                if key in seen:
                    continue
                seen.add(key)
                if value is not _DELETED:
                    yield key
        for key in self.base:
            if key not in seen:
                yield key

    def __len__(self) -> int:
        return sum(1 for _ in self)

    def delta(self) -> dict[str, Any]:
        """This batch's changes that are still the newest staged value of their key.

        ``None`` stands for a deletion. A key a later batch staged again is
        left out: that batch writes the newer value (or the process dies with
        both). Taken right after the changes were made, nothing is left out.
        """
        return {
            key: None if value is _DELETED else value
            for key, value in self.changes.items()
            if key in self.pending and self.pending[key] is value
        }

    def release(self) -> None:
        """Drop this batch's staged changes once they are in the base mapping."""
        for key, value in self.changes.items():
            # A later batch may have staged a newer value: leave that one.
            if key in self.pending and self.pending[key] is value:
                del self.pending[key]
        self.changes.clear()

    def apply(self) -> int:
        """Write this batch's newest staged changes to the base mapping; return how many.

        A value a later batch staged again is not written: the base would
        otherwise go back to an older value if the later batch applied first.
        """
        changes = self.delta()
        for key, value in changes.items():
            if value is None:
                self.base.pop(key, None)
            else:
                self.base[key] = value
        self.release()
        return len(changes)
